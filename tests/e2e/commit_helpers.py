"""Committing and reading commitments, as members and the database see them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from slack_standin.workspace import Message
from storage.models import Commitment, OutboxMessage
from tests.e2e.harness import Harness


async def commit(
    h: Harness, user_id: str, channel_id: str, action: str, due: date | None = None, extra: dict[str, Any] | None = None
) -> Commitment:
    before = len(h.standin.calls_to("views.open"))
    reply = await h.driver.command(user_id, channel_id, "commit")
    assert reply.text == "", reply.text
    await h.standin.wait_for_call("views.open", before + 1)
    values: dict[str, Any] = {"commitments.action": action, **(extra or {})}
    if due is not None:
        values["commitments.due_date"] = due.isoformat()
    submitted = await h.driver.submit(user_id, values)
    assert submitted.json is None, submitted.text
    await h.idle()
    async with h.db.read() as uow:
        found = await uow.session.scalar(
            select(Commitment).where(Commitment.user_id == user_id).order_by(Commitment.id.desc())
        )
    assert found is not None
    return found


async def reload(h: Harness, commitment_id: int) -> Commitment:
    async with h.db.read() as uow:
        found = await uow.commitments.get(h.ws.team_id, commitment_id)
    assert found is not None
    return found[0]


NOT_ABOUT_COMMITMENTS = {"prompt_nudge", "digest", "meeting_date_needed"}


def dms(h: Harness, user_id: str) -> list[Message]:
    """The member's DMs about commitments (not reflection nudges or the facilitator's digest)."""
    return [
        m
        for m in h.ws.dm_messages(user_id)
        if ((m.metadata or {}).get("event_payload") or {}).get("kind") not in NOT_ABOUT_COMMITMENTS
    ]


async def outbox_rows(h: Harness) -> list[OutboxMessage]:
    async with h.db.read() as uow:
        return list((await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


def keys_sent(h: Harness) -> list[str]:
    """The outbox keys of every message Slack accepted, in order, duplicates included."""
    keys = []
    for call in h.standin.calls_to("chat.postMessage", ok=True):
        metadata = call.args.get("metadata") or {}
        if metadata.get("event_type") == "als_outbox":
            keys.append(metadata["event_payload"]["key"])
    return keys
