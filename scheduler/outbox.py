"""Sending what the outbox holds: claim, compose, check, send, mark. Exactly once.

Planning puts a row per message under a unique key. A sender claims due rows with a lease (one
statement), composes each from the database as it is now, and sends it with the key in the
message's metadata. Only the claimer may mark a row sent. A row that comes back for another
attempt (its sender died, or Slack failed) is first looked for in the conversation's recent
history by its key, so a message Slack accepted just before a crash is recorded, not repeated.

The database work is grouped wherever that changes nothing a message depends on: a claimed batch
is composed in one read; the leases of the messages about to leave are renewed, and their turns in
the shared pace taken, in one transaction for all the senders ready at that moment; and the
messages Slack accepted are recorded the same way (scheduler.group_commit).
"""

from __future__ import annotations

import asyncio
import itertools
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
from bot.slack_api.workspaces import client_for_team, without_retries
from scheduler.compose import Outgoing, Skip, compose, compose_reminders, is_reminder
from scheduler.group_commit import GroupCommit
from scheduler.pacing import Pacer, Turn
from storage.models import OutboxMessage
from storage.repositories.outbox import CANCELLED, FAILED

log = logging.getLogger("als.outbox")

METADATA_EVENT = "als_outbox"
MAX_ATTEMPTS = 6
CLAIM_BATCH = 200
SENDERS = 64  # posts in flight at once: with Slack answering in about 100 ms, up to ~640 a second
HISTORY_LOOKBACK = 15  # Slack returns at most 15 messages a call to some apps
LEASE_MARGIN = timedelta(seconds=20)  # kept free at the end of a lease for the post and its record
NOT_INSTALLED = "the app is not installed in the workspace"
RATE_LIMITED_RETRIES = 5  # 429s waited out, each at the pace, before the attempt counts as failed
RETRY_AFTER_BOUNDS = (1.0, 60.0)  # seconds: what a Retry-After header is taken as, at least and at most
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
    if rows:
        outcomes = await compose_all(deps, rows, now=now)
        sending = Sending(deps, client, me=me, now=now, report=report, pacer=pacer)
        await asyncio.gather(*(sending.deliver(row, outcomes[row.id]) for row in rows))
    return report


async def compose_all(
    deps: Deps, rows: list[OutboxMessage], *, now: datetime
) -> dict[int, Outgoing | Skip | Exception]:
    """Each row's message: reminders (most of what is sent) together, one read per table; the others
    in one read. A row whose composing fails gets its exception (and the rows after it a new
    transaction, since a failed statement can spoil the one it ran in)."""
    outcomes: dict[int, Outgoing | Skip | Exception] = {}
    reminders = [row for row in rows if is_reminder(row)]
    if reminders:
        try:
            async with deps.db.read() as uow:
                outcomes.update(await compose_reminders(uow, reminders, now=now))
        except Exception as exc:  # then one by one below, so that what fails is known row by row
            log.warning("could not compose %s reminders together: %s", len(reminders), type(exc).__name__)
    left = [row for row in reversed(rows) if row.id not in outcomes]
    while left:
        async with deps.db.read() as uow:
            while left:
                row = left.pop()
                try:
                    outcomes[row.id] = await compose(uow, row, now=now)
                except Exception as exc:
                    outcomes[row.id] = exc
                    break
    return outcomes


@dataclass(frozen=True)
class Accepted:
    """A message Slack accepted, to be recorded as sent."""

    row: OutboxMessage
    channel: str
    ts: str
    fold: list[int]


class Sending:
    """One claimed batch on its way: each row is delivered by its own coroutine, at most SENDERS
    posts in flight, their database work grouped."""

    def __init__(
        self,
        deps: Deps,
        client: AsyncWebClient,
        *,
        me: str,
        now: datetime,
        report: DispatchReport,
        pacer: Pacer | None = None,
    ) -> None:
        self.deps, self.client, self.me, self.now, self.report, self.pacer = deps, client, me, now, report, pacer
        self.slots = asyncio.Semaphore(SENDERS)
        self.turns: GroupCommit[tuple[OutboxMessage, Turn | None], bool | None] = GroupCommit(self._renew_and_take)
        self.records: GroupCommit[Accepted, bool] = GroupCommit(self._record)

    async def deliver(self, row: OutboxMessage, outcome: Outgoing | Skip | Exception) -> None:
        """One row, whatever happens to it; a failure here never stops the others. A row waiting for
        its turn at the pacer holds no slot."""
        deps, me, now, report = self.deps, self.me, self.now, self.report
        try:
            if isinstance(outcome, Exception):
                raise outcome
            if isinstance(outcome, Skip):
                async with deps.db.write() as uow:
                    await uow.outbox.mark(row.id, me, status=outcome.status, now=now, error=outcome.reason)
                report.skipped[outcome.status] = report.skipped.get(outcome.status, 0) + 1
                return
            # Each workspace's messages go with that workspace's own token.
            client = await client_for_team(deps, self.client, row.team_id)
            if client is None:
                async with deps.db.write() as uow:
                    await uow.outbox.mark(row.id, me, status=CANCELLED, now=now, error=NOT_INSTALLED)
                report.skipped[CANCELLED] = report.skipped.get(CANCELLED, 0) + 1
                return
            if row.attempts > 1:
                async with self.slots:
                    found = await find_sent(client, row, outcome)
                if found is not None:
                    await self._recorded(Accepted(row, found[0], found[1], outcome.fold))
                    report.recovered += 1
                    return
            # With a pacer (as the scheduler sends), nothing is retried inside the client: a 429 takes
            # its turn at the pace below, and any other failure gives the attempt back, so that the
            # next one looks in Slack's history first (a 5xx can come after Slack has posted).
            poster = client if self.pacer is None else without_retries(client)
            rate_limited = 0
            while True:
                if self.pacer is not None and not await _wait_ready(deps, self.pacer, row, outcome.channel):
                    async with deps.db.write() as uow:
                        await uow.outbox.defer(row.id, me, attempts=row.attempts - 1)
                    report.deferred += 1
                    return
                async with self.slots:
                    turn = None
                    if self.pacer is not None:
                        turn = self.pacer.take(row.team_id, outcome.channel)
                        if turn is None:
                            continue  # another sender here took it meanwhile
                    posting = False
                    try:
                        go = await self.turns.submit((row, turn))
                        if go is None:
                            report.lost += 1
                            return
                        if not go:
                            continue
                        posting = True
                        response = await poster.chat_postMessage(
                            channel=outcome.channel,
                            text=outcome.message.text,
                            blocks=outcome.message.blocks,
                            metadata={
                                "event_type": METADATA_EVENT,
                                "event_payload": {"key": row.key, "kind": row.kind},
                            },
                            unfurl_links=False,
                            unfurl_media=False,
                        )
                    except SlackApiError as exc:
                        if (
                            self.pacer is None
                            or exc.response.status_code != 429
                            or rate_limited >= RATE_LIMITED_RETRIES
                        ):
                            raise
                        rate_limited += 1  # Slack posted nothing: wait as it asks, then take a new turn
                        self.pacer.rate_limited(row.team_id, outcome.channel, retry_after(exc))
                        continue
                    finally:
                        if self.pacer is not None and turn is not None:
                            (self.pacer.posted if posting else self.pacer.release)(turn)
                await self._recorded(Accepted(row, str(response["channel"]), str(response["ts"]), outcome.fold))
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

    async def _recorded(self, accepted: Accepted) -> None:
        if not await self.records.submit(accepted):
            log.warning("outbox row %s was sent but its claim had passed to another sender", accepted.row.id)

    async def _renew_and_take(self, group: list[tuple[OutboxMessage, Turn | None]]) -> list[bool | None]:
        """In one transaction, right before these posts leave: renew each row's lease, and confirm
        each turn in the pace every instance shares. Per row, True: post now. False: another
        instance took the turn first; wait for the next. None: the lease had run out, so the row may
        have been taken over; it must not be posted from here.

        The lease: a sender held up past it (waiting for a turn, or starved of CPU) must not post,
        since another instance may already have taken the row over and, not finding the message in
        Slack, sent it. With a fresh lease, a duplicate would need the post and its record to take
        longer than a whole lease. Turns are confirmed workspace by workspace in the order of their
        ids, so that two instances always lock the shared rows in the same order."""
        lease = timedelta(seconds=self.deps.settings.outbox_lease_seconds)
        async with self.deps.db.write() as uow:
            held = await uow.outbox.renew_many(
                [row.id for row, _ in group], self.me, now=self.deps.clock.now(), lease=lease
            )
            verdicts: dict[int, bool | None] = {row.id: (True if row.id in held else None) for row, _ in group}
            turns = sorted(
                ((row, turn) for row, turn in group if row.id in held and turn is not None),
                key=lambda item: (item[1].team_id, item[1].at),
            )
            if self.pacer is not None:
                for team_id, of_team in itertools.groupby(turns, key=lambda item: item[1].team_id):
                    taken = list(of_team)
                    channel_free, tat = await uow.pace.hold(team_id, [turn.channel for _, turn in taken])
                    booked: dict[str, float] = {}
                    for row, turn in taken:
                        confirmed = self.pacer.confirm(turn, channel_free=channel_free[turn.channel], tat=tat)
                        verdicts[row.id] = confirmed is not None
                        if confirmed is not None:
                            booked[turn.channel], tat = confirmed
                    if booked:
                        await uow.pace.book(team_id, booked, tat=tat)
        return [verdicts[row.id] for row, _ in group]

    async def _record(self, group: list[Accepted]) -> list[bool]:
        """Mark these rows sent (those this instance still holds), and what each replaces folded."""
        async with self.deps.db.write() as uow:
            recorded = await uow.outbox.mark_sent_many(
                [(one.row.id, one.channel, one.ts) for one in group], self.me, now=self.now
            )
            await uow.outbox.fold([row_id for one in group for row_id in one.fold], self.now)
        return [one.row.id in recorded for one in group]


def retry_after(exc: SlackApiError) -> float:
    """Seconds Slack asked us to wait before trying again (its Retry-After header), within bounds."""
    low, high = RETRY_AFTER_BOUNDS
    try:
        seconds = float(exc.response.headers.get("Retry-After", low))
    except (TypeError, ValueError):
        seconds = low
    return min(max(seconds, low), high)


async def _wait_ready(deps: Deps, pacer: Pacer, row: OutboxMessage, channel: str) -> bool:
    """Wait until the channel and the workspace allow a post, unless that comes too late to send and
    record the message within the row's lease (another instance may take the row over after that)."""
    within = None
    if row.lease_until is not None:
        left = row.lease_until - deps.clock.now()
        within = (left - min(LEASE_MARGIN, left / 2)).total_seconds()
    return await pacer.wait_ready(row.team_id, channel, within=within)


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
