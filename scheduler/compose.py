"""What each kind of outbox message says, composed from the database at the moment it is sent
(so a reminder for a commitment marked done meanwhile is cancelled, not sent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.commitments import DONE, OPEN, CommitmentInfo
from bot.domain.reminders import ReminderKind
from bot.domain.timezones import local_today
from bot.services.commitments import AWAY_SUMMARY, REMINDER, REVIEW, info_of
from bot.services.sets import stored_settings
from handlers.blocks.commitments import build_away_summary, build_reminder
from handlers.blocks.messages import Message
from handlers.blocks.review import MemberReview, build_review
from handlers.blocks.sets import meeting_line
from storage.models import OutboxMessage
from storage.repositories.outbox import CANCELLED, HELD
from storage.unit_of_work import UnitOfWork

RECENT_DONE = timedelta(days=35)


@dataclass(frozen=True)
class Outgoing:
    channel: str  # a user id (for a DM) or a channel id
    message: Message
    fold: list[int] = field(default_factory=list)  # held rows this message replaces


@dataclass(frozen=True)
class Skip:
    status: str
    reason: str


async def compose(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    if row.kind.startswith(REMINDER + "."):
        return await _reminder(uow, row, now=now)
    if row.kind == AWAY_SUMMARY:
        return await _away_summary(uow, row, now=now)
    if row.kind == REVIEW:
        return await _review(uow, row, now=now)
    return Skip(CANCELLED, f"unknown kind {row.kind}")


async def _is_away(uow: UnitOfWork, row: OutboxMessage, now: datetime) -> bool:
    away = await uow.commitments.get_away(row.team_id, row.user_id or "")
    return away is not None and away.until_at > now


async def _reminder(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    found = await uow.commitments.get(row.team_id, row.subject_id or 0)
    if found is None or found[0].status != OPEN:
        return Skip(CANCELLED, "the commitment is no longer open")
    if await _is_away(uow, row, now):
        return Skip(HELD, "the member is away")
    kind = ReminderKind(row.kind.removeprefix(REMINDER + "."))
    info = await info_of(uow, *found)
    return Outgoing(
        channel=found[0].user_id, message=build_reminder(info, kind=kind, today=local_today(now, row.timezone))
    )


async def _away_summary(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    held = await uow.outbox.list_held(row.team_id, row.user_id or "")
    infos: dict[int, CommitmentInfo] = {}
    for held_row in held:
        found = await uow.commitments.get(row.team_id, held_row.subject_id or 0)
        if found is not None and found[0].id not in infos:
            infos[found[0].id] = await info_of(uow, *found)
    if not infos:
        return Skip(CANCELLED, "nothing was held")
    message = build_away_summary(list(infos.values()), today=local_today(now, row.timezone))
    return Outgoing(channel=row.user_id or "", message=message, fold=[h.id for h in held])


async def _review(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    learning_set = await uow.sets.get(row.team_id, row.subject_id or 0)
    if learning_set is None or learning_set.archived_at is not None or learning_set.next_meeting_at is None:
        return Skip(CANCELLED, "the set or its meeting is gone")
    today = local_today(now, learning_set.timezone)
    members = {m.user_id: MemberReview(m.user_id) for m in await uow.sets.list_members(learning_set.id)}
    for commitment in await uow.commitments.list_in_set(learning_set.id):
        review = members.get(commitment.user_id)
        if review is None:
            continue
        info = await info_of(uow, commitment, learning_set)
        if commitment.status == DONE and commitment.closed_at and now - commitment.closed_at <= RECENT_DONE:
            review.done.append(info)
        elif commitment.status == OPEN:
            (review.overdue if commitment.due_date < today else review.open).append(info)
    active = [r for r in members.values() if r.done or r.open or r.overdue]
    message = build_review(
        set_name=learning_set.name,
        meeting=meeting_line(stored_settings(learning_set, now)),
        members=active,
        quiet=len(members) - len(active),
        today=today,
    )
    return Outgoing(channel=learning_set.channel_id, message=message)
