"""What each kind of outbox message says, composed from the database at the moment it is sent
(so a reminder for a commitment marked done meanwhile is cancelled, not sent)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain.commitments import DONE, OPEN, CommitmentInfo
from bot.domain.reminders import ReminderKind
from bot.domain.sets import is_paused
from bot.domain.timezones import local_today
from bot.services.activity import DIGEST_WINDOW, activity_of, meeting_facts
from bot.services.commitments import AWAY_SUMMARY, REMINDER, REVIEW, commitment_info, info_of
from bot.services.schedule import DIGEST, MEETING_DATE_NEEDED, MEETING_SOON, PROMPT, PROMPT_NUDGE
from bot.services.sets import stored_settings
from handlers.blocks.commitments import build_away_summary, build_reminder
from handlers.blocks.digest import build_digest
from handlers.blocks.meetings import Bid, MeetingBrief, build_meeting_date_needed, build_meeting_soon
from handlers.blocks.messages import Message
from handlers.blocks.reflections import build_nudge, build_prompt_message
from handlers.blocks.review import MemberReview, build_review
from handlers.blocks.sets import meeting_line
from storage.models import Away, Commitment, LearningSet, OutboxMessage
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
    if is_reminder(row):
        return await _reminder(uow, row, now=now)
    if row.kind == AWAY_SUMMARY:
        return await _away_summary(uow, row, now=now)
    if row.kind == REVIEW:
        return await _review(uow, row, now=now)
    if row.kind == PROMPT:
        return await _prompt(uow, row, now=now)
    if row.kind == PROMPT_NUDGE:
        return await _nudge(uow, row, now=now)
    if row.kind == MEETING_SOON:
        return await _meeting_soon(uow, row, now=now)
    if row.kind == MEETING_DATE_NEEDED:
        return await _meeting_date_needed(uow, row)
    if row.kind == DIGEST:
        return await _digest(uow, row, now=now)
    return Skip(CANCELLED, f"unknown kind {row.kind}")


async def _is_away(uow: UnitOfWork, row: OutboxMessage, now: datetime) -> bool:
    away = await uow.commitments.get_away(row.team_id, row.user_id or "")
    return away is not None and away.until_at > now


def is_reminder(row: OutboxMessage) -> bool:
    return row.kind.startswith(REMINDER + ".")


async def _reminder(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    outcome = (await compose_reminders(uow, [row], now=now))[row.id]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


async def compose_reminders(
    uow: UnitOfWork, rows: Sequence[OutboxMessage], *, now: datetime
) -> dict[int, Outgoing | Skip | Exception]:
    """Reminder rows, composed together from one read per table (the commitments with their sets,
    who is away, the latest notes); a row that cannot be composed gets its exception."""
    found = await uow.commitments.get_many({row.subject_id or 0 for row in rows})
    away = await uow.commitments.away_of({(row.team_id, row.user_id or "") for row in rows})
    notes = await uow.commitments.latest_notes(found.keys())
    outcomes: dict[int, Outgoing | Skip | Exception] = {}
    for row in rows:
        try:
            outcomes[row.id] = _reminder_of(
                row, found.get(row.subject_id or 0), away.get((row.team_id, row.user_id or "")), notes, now=now
            )
        except Exception as exc:
            outcomes[row.id] = exc
    return outcomes


def _reminder_of(
    row: OutboxMessage,
    found: tuple[Commitment, LearningSet] | None,
    away: Away | None,
    notes: dict[int, str],
    *,
    now: datetime,
) -> Outgoing | Skip:
    if found is None or found[1].team_id != row.team_id or found[0].status != OPEN or found[1].archived_at is not None:
        return Skip(CANCELLED, "the commitment is no longer open, or its set has stopped")
    if away is not None and away.until_at > now:
        return Skip(HELD, "the member is away")
    kind = ReminderKind(row.kind.removeprefix(REMINDER + "."))
    commitment, learning_set = found
    info = commitment_info(commitment, learning_set, latest_note=notes.get(commitment.id, ""))
    return Outgoing(
        channel=commitment.user_id, message=build_reminder(info, kind=kind, today=local_today(now, row.timezone))
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
        members=active,
        quiet=len(members) - len(active),
        today=today,
        brief=await _brief(uow, learning_set, now=now),
    )
    return Outgoing(channel=learning_set.channel_id, message=message)


async def _live_set(uow: UnitOfWork, row: OutboxMessage) -> LearningSet | None:
    learning_set = await uow.sets.get(row.team_id, row.subject_id or 0)
    return learning_set if learning_set is not None and learning_set.archived_at is None else None


async def _brief(uow: UnitOfWork, learning_set: LearningSet, *, now: datetime) -> MeetingBrief:
    facts = await meeting_facts(uow, learning_set, now=now)
    return MeetingBrief(
        meeting=meeting_line(stored_settings(learning_set, now)),
        open_commitments=facts.open_commitments,
        overdue_commitments=facts.overdue_commitments,
        not_yet_presented=facts.not_yet_presented,
        new_cycle=facts.new_cycle,
        bids=[Bid(user_id, topic) for user_id, topic in facts.bids],
    )


async def _prompt(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    learning_set = await _live_set(uow, row)
    prompt = await uow.reflections.get_prompt_by_key(row.key)
    if learning_set is None or prompt is None:
        return Skip(CANCELLED, "the set is gone")
    if is_paused(learning_set.paused_until_date, timezone=learning_set.timezone, now=now):
        return Skip(CANCELLED, "the set is paused")
    return Outgoing(
        channel=learning_set.channel_id, message=build_prompt_message(prompt=prompt.text, prompt_id=prompt.id)
    )


async def _nudge(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    found = await uow.reflections.get_prompt(row.team_id, row.subject_id or 0)
    if found is None or found[1].archived_at is not None:
        return Skip(CANCELLED, "the prompt or its set is gone")
    prompt, learning_set = found
    user_id = row.user_id or ""
    if user_id in await uow.reflections.reflected_on(prompt.id):
        return Skip(CANCELLED, "they reflected meanwhile")
    if await _is_away(uow, row, now):
        return Skip(CANCELLED, "away: a nudge is not worth saving up")
    member = await uow.sets.get_member(learning_set.id, user_id)
    if member is None or not member.active:
        return Skip(CANCELLED, "no longer a member")
    message = build_nudge(prompt=prompt.text, prompt_id=prompt.id, channel_id=learning_set.channel_id)
    return Outgoing(channel=user_id, message=message)


async def _meeting_soon(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    learning_set = await _live_set(uow, row)
    if learning_set is None or learning_set.next_meeting_at is None or learning_set.next_meeting_at <= now:
        return Skip(CANCELLED, "the meeting moved or has started")
    return Outgoing(
        channel=learning_set.channel_id, message=build_meeting_soon(await _brief(uow, learning_set, now=now))
    )


async def _meeting_date_needed(uow: UnitOfWork, row: OutboxMessage) -> Outgoing | Skip:
    learning_set = await _live_set(uow, row)
    if learning_set is None or learning_set.next_meeting_at is not None:
        return Skip(CANCELLED, "the next meeting is already set")
    message = build_meeting_date_needed(set_name=learning_set.name, channel_id=learning_set.channel_id)
    return Outgoing(channel=learning_set.facilitator_user_id, message=message)


async def _digest(uow: UnitOfWork, row: OutboxMessage, *, now: datetime) -> Outgoing | Skip:
    learning_set = await _live_set(uow, row)
    if learning_set is None or learning_set.facilitator_user_id != row.user_id:
        return Skip(CANCELLED, "the set or its facilitator changed")
    since = row.due_at - DIGEST_WINDOW
    activity = await activity_of(uow, learning_set, since=since, now=row.due_at)
    message = build_digest(
        set_name=learning_set.name,
        channel_id=learning_set.channel_id,
        activity=activity,
        since=local_today(since, row.timezone),
        until=local_today(row.due_at - timedelta(minutes=1), row.timezone),
    )
    return Outgoing(channel=row.user_id or "", message=message)
