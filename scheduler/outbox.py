"""Sending what the outbox holds: claim, compose, check, send, mark. Exactly once.

Planning puts a row per message under a unique key. A sender claims due rows with a lease (one
statement), composes each from the database as it is now, and sends it with the key in the
message's metadata. Only the claimer may mark a row sent. A row that comes back for another
attempt (its sender died, or Slack failed) is first looked for in the conversation's recent
history by its key, so a message Slack accepted just before a crash is recorded, not repeated.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.slack_api.workspaces import client_for_team
from scheduler.compose import Outgoing, Skip, compose
from scheduler.pacing import Pacer
from storage.models import OutboxMessage
from storage.repositories.outbox import CANCELLED, FAILED

log = logging.getLogger("als.outbox")

METADATA_EVENT = "als_outbox"
MAX_ATTEMPTS = 6
CLAIM_BATCH = 200
SENDERS = 4
HISTORY_LOOKBACK = 15  # Slack returns at most 15 messages a call to some apps
LEASE_MARGIN = timedelta(seconds=20)  # kept free at the end of a lease for the post and its record
NOT_INSTALLED = "the app is not installed in the workspace"
CLOCK_SKEW = timedelta(minutes=5)  # our clock and Slack's may disagree a little
# Slack's answers that no retry will change: record them and move on.
PERMANENT_ERRORS = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "is_archived",
        "not_in_channel",
        "user_disabled",
        "invalid_blocks",
        "msg_too_long",
        "no_text",
        "restricted_action",
        "team_access_not_granted",
        "invalid_metadata_format",
        "missing_scope",
        "not_authed",
        "invalid_auth",
        "token_revoked",
    }
)


def sender_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class DispatchReport:
    claimed: int = 0
    sent: int = 0
    recovered: int = 0  # found already in Slack after a crash, recorded without sending again
    skipped: dict[str, int] = field(default_factory=dict)
    failed: int = 0
    retrying: int = 0
    deferred: int = 0  # its turn to be sent would have come after its lease: given back unattempted
    lost: int = 0  # its lease ran out before it could be sent (a slow instance): not sent by this one


def backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 30))


async def dispatch_due(
    deps: Deps, client: AsyncWebClient, *, now: datetime, me: str, lease: timedelta, pacer: Pacer | None = None
) -> DispatchReport:
    """Claim what is due and send it (at the pacer's pace, when given); returns what happened, counted."""
    report = DispatchReport()
    async with deps.db.write() as uow:
        rows = list(await uow.outbox.claim(me=me, now=now, lease=lease, limit=CLAIM_BATCH))
    report.claimed = len(rows)
    slots = asyncio.Semaphore(SENDERS)
    await asyncio.gather(
        *(deliver(deps, client, row, me=me, now=now, report=report, pacer=pacer, slots=slots) for row in rows)
    )
    return report


async def deliver(
    deps: Deps,
    client: AsyncWebClient,
    row: OutboxMessage,
    *,
    me: str,
    now: datetime,
    report: DispatchReport,
    pacer: Pacer | None = None,
    slots: asyncio.Semaphore | None = None,
) -> None:
    """One row, whatever happens to it; a failure here never stops the others. `slots` bounds the
    rows being composed or sent at once; a row waiting for its turn at the pacer holds none."""
    slots = slots or asyncio.Semaphore(1)
    try:
        async with slots:
            async with deps.db.read() as uow:
                outcome = await compose(uow, row, now=now)
            if isinstance(outcome, Skip):
                async with deps.db.write() as uow:
                    await uow.outbox.mark(row.id, me, status=outcome.status, now=now, error=outcome.reason)
                report.skipped[outcome.status] = report.skipped.get(outcome.status, 0) + 1
                return
            # Each workspace's messages go with that workspace's own token.
            team_client = await client_for_team(deps, client, row.team_id)
            if team_client is None:
                async with deps.db.write() as uow:
                    await uow.outbox.mark(row.id, me, status=CANCELLED, now=now, error=NOT_INSTALLED)
                report.skipped[CANCELLED] = report.skipped.get(CANCELLED, 0) + 1
                return
            client = team_client
            if row.attempts > 1:
                found = await find_sent(client, row, outcome)
                if found is not None:
                    await _record_sent(deps, row, me=me, channel=found[0], ts=found[1], now=now, fold=outcome.fold)
                    report.recovered += 1
                    return
        while True:
            if pacer is not None and not await _wait_ready(deps, pacer, row, outcome.channel):
                async with deps.db.write() as uow:
                    await uow.outbox.defer(row.id, me, attempts=row.attempts - 1)
                report.deferred += 1
                return
            async with slots:
                go = await _renew_lease_and_take_turn(deps, pacer, row, me=me, channel=outcome.channel)
                if go is None:
                    report.lost += 1
                    return
                if not go:
                    continue
                response = await client.chat_postMessage(
                    channel=outcome.channel,
                    text=outcome.message.text,
                    blocks=outcome.message.blocks,
                    metadata={"event_type": METADATA_EVENT, "event_payload": {"key": row.key, "kind": row.kind}},
                    unfurl_links=False,
                    unfurl_media=False,
                )
                await _record_sent(
                    deps,
                    row,
                    me=me,
                    channel=str(response["channel"]),
                    ts=str(response["ts"]),
                    now=now,
                    fold=outcome.fold,
                )
                break
        report.sent += 1
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "unknown")
        await _failed_attempt(
            deps, row, me=me, now=now, error=error, permanent=error in PERMANENT_ERRORS, report=report
        )
    except (aiohttp.ClientError, TimeoutError) as exc:
        await _failed_attempt(deps, row, me=me, now=now, error=type(exc).__name__, permanent=False, report=report)
    except Exception as exc:  # a bug for this row only: record it, keep going with the rest
        log.error("outbox row %s (%s) failed: %s", row.id, row.kind, type(exc).__name__, exc_info=True)
        await _failed_attempt(deps, row, me=me, now=now, error=type(exc).__name__, permanent=False, report=report)


async def _wait_ready(deps: Deps, pacer: Pacer, row: OutboxMessage, channel: str) -> bool:
    """Wait until the channel and the workspace allow a post, unless that comes too late to send and
    record the message within the row's lease (another instance may take the row over after that)."""
    within = None
    if row.lease_until is not None:
        left = row.lease_until - deps.clock.now()
        within = (left - min(LEASE_MARGIN, left / 2)).total_seconds()
    return await pacer.wait_ready(row.team_id, channel, within=within)


async def _renew_lease_and_take_turn(
    deps: Deps, pacer: Pacer | None, row: OutboxMessage, *, me: str, channel: str
) -> bool | None:
    """In one transaction, right before the post leaves: renew the row's lease, and take the
    channel's and the workspace's turn in the pace every instance shares. True: post now. False:
    another instance took the turn first; wait for the next. None: the lease had run out, so the row
    may have been taken over; it must not be posted from here.

    The lease: a sender held up past it (waiting for a turn, or starved of CPU) must not post,
    since another instance may already have taken the row over and, not finding the message in
    Slack, sent it. With a fresh lease, a duplicate would need the post and its record to take longer
    than a whole lease. The turn is taken after the renewal, so that the post leaves the moment it
    is taken."""
    lease = timedelta(seconds=deps.settings.outbox_lease_seconds)
    async with deps.db.write() as uow:
        if not await uow.outbox.renew(row.id, me, now=deps.clock.now(), lease=lease):
            return None
        if pacer is None:
            return True
        turn = pacer.take(row.team_id, channel)
        if turn is None:
            return False
        channel_free, tat = await uow.pace.hold(row.team_id, channel)
        booked = pacer.confirm(turn, channel_free=channel_free, tat=tat)
        if booked is None:
            return False
        await uow.pace.book(row.team_id, channel, channel_free=booked[0], tat=booked[1])
        return True


async def _record_sent(
    deps: Deps, row: OutboxMessage, *, me: str, channel: str, ts: str, now: datetime, fold: list[int]
) -> None:
    async with deps.db.write() as uow:
        if not await uow.outbox.mark_sent(row.id, me, channel=channel, ts=ts, now=now):
            log.warning("outbox row %s was sent but its claim had passed to another sender", row.id)
        await uow.outbox.fold(fold, now)


async def _failed_attempt(
    deps: Deps, row: OutboxMessage, *, me: str, now: datetime, error: str, permanent: bool, report: DispatchReport
) -> None:
    async with deps.db.write() as uow:
        if permanent or row.attempts >= MAX_ATTEMPTS:
            log.warning("outbox row %s (%s) failed for good: %s", row.id, row.kind, error)
            await uow.outbox.mark(row.id, me, status=FAILED, now=now, error=error[:200])
            report.failed += 1
        else:
            log.info("outbox row %s (%s) will be retried: %s", row.id, row.kind, error)
            await uow.outbox.release(row.id, me, error=error[:200], retry_at=now + backoff(row.attempts))
            report.retrying += 1


async def find_sent(client: AsyncWebClient, row: OutboxMessage, outgoing: Outgoing) -> tuple[str, str] | None:
    """(channel, ts) of a message already in Slack with this row's key, if any."""
    channel = outgoing.channel
    if channel.startswith(("U", "W")):
        channel = str((await client.conversations_open(users=channel))["channel"]["id"])
    history = await client.conversations_history(
        channel=channel,
        oldest=f"{row.created_at.timestamp() - 1:.6f}",
        include_all_metadata=True,
        limit=HISTORY_LOOKBACK,
    )
    for message in history.get("messages") or []:
        metadata: dict[str, Any] = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_EVENT and payload.get("key") == row.key:
            return channel, str(message.get("ts"))
    return None
