"""Commitments: making them, what members report, being away, and planning their reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.domain.commitments import DONE, DROPPED, OPEN, CommitmentInfo
from bot.domain.permissions import Action
from bot.domain.reminders import (
    Moment,
    due_moments,
    next_moment,
    reminder_moments,
    still_same_day,
)
from bot.domain.timezones import local_to_utc, local_today
from bot.services.authz import authorize
from bot.services.errors import Refused
from bot.services.rounds import require_member
from storage.models import Away, Commitment, CommitmentNote, LearningSet
from storage.repositories.outbox import MISSED, PENDING
from storage.unit_of_work import UnitOfWork

REMINDER = "reminder"
AWAY_SUMMARY = "away_summary"
REVIEW = "review"
PLAN_BATCH = 500

GONE = "That commitment no longer exists."


@dataclass(frozen=True)
class Owned:
    commitment: Commitment
    learning_set: LearningSet


async def member_tz(uow: UnitOfWork, *, team_id: str, user_id: str, fallback: str) -> str:
    """The member's Slack time zone as last read from `users.info`, else the set's."""
    person = await uow.users.get(team_id, user_id)
    return person.tz if person is not None and person.tz else fallback


async def info_of(uow: UnitOfWork, commitment: Commitment, learning_set: LearningSet) -> CommitmentInfo:
    note = await uow.commitments.latest_note(commitment.id)
    return commitment_info(commitment, learning_set, latest_note=note.what_happened if note is not None else "")


def commitment_info(commitment: Commitment, learning_set: LearningSet, *, latest_note: str) -> CommitmentInfo:
    return CommitmentInfo(
        id=commitment.id,
        user_id=commitment.user_id,
        action=commitment.action,
        due_date=commitment.due_date,
        status=commitment.status,
        set_name=learning_set.name,
        channel_id=learning_set.channel_id,
        done_looks_like=commitment.done_looks_like,
        latest_note=latest_note,
    )


def reschedule(commitment: Commitment, *, lead_days: int, tz: str, now: datetime) -> None:
    """Point the reminder cursor at the next reminder after now (none when it is not open)."""
    if commitment.status != OPEN:
        commitment.next_reminder_at = None
        return
    moments = reminder_moments(
        due_date=commitment.due_date, lead_days=lead_days, snoozed_to=commitment.snoozed_to, tz=tz
    )
    upcoming = next_moment(moments, after=now)
    commitment.next_reminder_at = upcoming.at if upcoming else None


async def make_commitment(
    uow: UnitOfWork,
    *,
    learning_set: LearningSet,
    user_id: str,
    round_id: int | None,
    action: str,
    done_looks_like: str,
    due_date: date,
    tz: str,
    now: datetime,
) -> Commitment:
    await require_member(uow, learning_set, user_id, Action.COMMIT)
    if round_id is not None:
        found = await uow.rounds.get(learning_set.team_id, round_id)
        if found is None or found[1].id != learning_set.id or found[0].presenter_user_id != user_id:
            round_id = None
    commitment = Commitment(
        set_id=learning_set.id,
        user_id=user_id,
        round_id=round_id,
        action=action,
        done_looks_like=done_looks_like,
        due_date=due_date,
        status=OPEN,
        snoozed_to=None,
        created_at=now,
        updated_at=now,
        closed_at=None,
        drop_reason=None,
        message_channel=None,
        message_ts=None,
    )
    reschedule(commitment, lead_days=learning_set.reminder_lead_days, tz=tz, now=now)
    return await uow.commitments.add(commitment)


async def owned(uow: UnitOfWork, *, team_id: str, commitment_id: int, user_id: str) -> Owned:
    found = await uow.commitments.get(team_id, commitment_id)
    if found is None:
        raise Refused(GONE)
    await authorize(uow, Action.UPDATE_COMMITMENT, learning_set=found[1], user_id=user_id, commitment=found[0])
    return Owned(*found)


def _check_open(commitment: Commitment) -> None:
    if commitment.status == DONE:
        raise Refused("That commitment is already done.")
    if commitment.status == DROPPED:
        raise Refused("That commitment was dropped.")


async def mark_done(uow: UnitOfWork, *, team_id: str, commitment_id: int, user_id: str, now: datetime) -> Owned:
    found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
    _check_open(found.commitment)
    found.commitment.status, found.commitment.closed_at, found.commitment.updated_at = DONE, now, now
    found.commitment.next_reminder_at = None
    await uow.commitments.add_note(CommitmentNote(commitment_id=commitment_id, kind=DONE, created_at=now))
    return found


async def snooze(uow: UnitOfWork, *, team_id: str, commitment_id: int, user_id: str, tz: str, now: datetime) -> Owned:
    found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
    _check_open(found.commitment)
    found.commitment.snoozed_to = local_today(now, tz) + timedelta(days=1)
    found.commitment.updated_at = now
    reschedule(found.commitment, lead_days=found.learning_set.reminder_lead_days, tz=tz, now=now)
    return found


async def record_update(
    uow: UnitOfWork,
    *,
    team_id: str,
    commitment_id: int,
    user_id: str,
    what_happened: str,
    learned: str,
    new_due_date: date | None,
    tz: str,
    now: datetime,
) -> Owned:
    found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
    _check_open(found.commitment)
    if new_due_date is not None and new_due_date != found.commitment.due_date:
        found.commitment.due_date, found.commitment.snoozed_to = new_due_date, None
    found.commitment.updated_at = now
    reschedule(found.commitment, lead_days=found.learning_set.reminder_lead_days, tz=tz, now=now)
    await uow.commitments.add_note(
        CommitmentNote(
            commitment_id=commitment_id,
            kind="update",
            what_happened=what_happened,
            learned=learned,
            new_due_date=new_due_date,
            created_at=now,
        )
    )
    return found


async def drop(uow: UnitOfWork, *, team_id: str, commitment_id: int, user_id: str, reason: str, now: datetime) -> Owned:
    found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
    _check_open(found.commitment)
    commitment = found.commitment
    commitment.status, commitment.drop_reason, commitment.closed_at, commitment.updated_at = DROPPED, reason, now, now
    commitment.next_reminder_at = None
    await uow.commitments.add_note(
        CommitmentNote(commitment_id=commitment_id, kind=DROPPED, what_happened=reason, created_at=now)
    )
    return found


# ---- being away -----------------------------------------------------------------------------


async def go_away(uow: UnitOfWork, *, team_id: str, user_id: str, until: date, tz: str, now: datetime) -> Away:
    away = Away(
        team_id=team_id, user_id=user_id, until_date=until, until_at=local_to_utc(until, time(0, 0), tz), started_at=now
    )
    await uow.commitments.set_away(away)
    return away


async def come_back(uow: UnitOfWork, *, team_id: str, user_id: str, tz: str, now: datetime) -> bool:
    """End someone's time away; plan one summary of what was held for them. True when they were away."""
    away = await uow.commitments.end_away(team_id, user_id)
    if away is None:
        return False
    if await uow.outbox.list_held(team_id, user_id):
        today = local_today(now, tz)
        await uow.outbox.add(
            key=f"{AWAY_SUMMARY}:{team_id}:{user_id}:{today.isoformat()}",
            team_id=team_id,
            kind=AWAY_SUMMARY,
            user_id=user_id,
            channel_id=None,
            subject_id=None,
            local_date=today,
            timezone=tz,
            due_at=now,
            status=PENDING,
            attempts=0,
            created_at=now,
        )
    return True


# ---- planning what is due -------------------------------------------------------------------


async def plan_reminders(uow: UnitOfWork, *, now: datetime) -> int:
    """Hand every reminder whose time has come to the outbox, once, and move each cursor on.
    Returns how many were planned to be sent (missed ones are recorded, not counted). A batch is
    planned with one read of the members' time zones and one insert."""
    due = await uow.commitments.list_reminders_due(now, PLAN_BATCH)
    zones = await uow.users.zones({(learning_set.team_id, commitment.user_id) for commitment, learning_set in due})
    rows: list[dict[str, Any]] = []
    for commitment, learning_set in due:
        cursor = commitment.next_reminder_at
        assert cursor is not None
        tz = zones.get((learning_set.team_id, commitment.user_id)) or learning_set.timezone
        moments = reminder_moments(
            due_date=commitment.due_date,
            lead_days=learning_set.reminder_lead_days,
            snoozed_to=commitment.snoozed_to,
            tz=tz,
        )
        due_now = due_moments(moments, cursor=cursor, now=now) if commitment.status == OPEN else []
        rows.extend(_reminder_row(commitment, learning_set, moment, tz=tz, now=now) for moment in due_now)
        upcoming = next_moment(moments, after=now) if commitment.status == OPEN else None
        commitment.next_reminder_at = upcoming.at if upcoming else None
    added = await uow.outbox.add_many(rows)
    return sum(1 for row in rows if row["key"] in added and row["status"] == PENDING)


def _reminder_row(
    commitment: Commitment, learning_set: LearningSet, moment: Moment, *, tz: str, now: datetime
) -> dict[str, Any]:
    """The outbox row of one reminder: pending, or recorded as missed when its day has passed."""
    on_time = still_same_day(moment, now=now, tz=tz)
    return {
        "key": f"{REMINDER}:{commitment.id}:{moment.kind.value}:{moment.local_date.isoformat()}",
        "team_id": learning_set.team_id,
        "kind": f"{REMINDER}.{moment.kind.value}",
        "user_id": commitment.user_id,
        "channel_id": None,
        "subject_id": commitment.id,
        "local_date": moment.local_date,
        "timezone": tz,
        "due_at": moment.at,
        "status": PENDING if on_time else MISSED,
        "attempts": 0,
        "created_at": now,
        "finished_at": None if on_time else now,
    }


async def plan_reviews(uow: UnitOfWork, *, now: datetime) -> int:
    """The pre-meeting review of every set whose review time has come, into the outbox once."""
    planned = 0
    for learning_set in await uow.sets.list_reviews_due(now, PLAN_BATCH):
        at, meeting_at = learning_set.next_review_at, learning_set.next_meeting_at
        learning_set.next_review_at = None
        if at is None or meeting_at is None:
            continue
        day = local_today(at, learning_set.timezone)
        on_time = local_today(now, learning_set.timezone) == day
        meeting_day = local_today(meeting_at, learning_set.timezone)
        added = await uow.outbox.add(
            key=f"{REVIEW}:{learning_set.id}:{meeting_day.isoformat()}",
            team_id=learning_set.team_id,
            kind=REVIEW,
            user_id=None,
            channel_id=learning_set.channel_id,
            subject_id=learning_set.id,
            local_date=day,
            timezone=learning_set.timezone,
            due_at=at,
            status=PENDING if on_time else MISSED,
            attempts=0,
            created_at=now,
            finished_at=None if on_time else now,
        )
        planned += int(added and on_time)
    return planned
