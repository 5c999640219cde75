"""A set's own schedule: the weekly reflection prompt and its nudge, the meeting reminders, the
next meeting once one has passed, and the facilitator's Monday digest.

Each set keeps cursors (the next moment of each kind, UTC); the sweep finds the sets whose moment
has come, hands what is due to the outbox under a unique key, and moves the cursor on. A moment
missed by more than its own day is recorded as missed rather than sent late.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from bot.domain.meetings import (
    digest_moment_after,
    meeting_reminder_moments,
    months_before,
    next_meeting_after,
    prompt_moment_after,
    retention_moment_after,
    week_key,
)
from bot.domain.reflection import PROMPTS, next_prompt_index
from bot.domain.reminders import review_moment
from bot.domain.sets import Cadence, is_paused
from bot.domain.timezones import local_to_utc, local_today
from bot.services.commitments import member_tz
from bot.services.forget import apply_retention
from storage.models import LearningSet, ReflectionPrompt
from storage.repositories.outbox import MISSED, PENDING
from storage.unit_of_work import UnitOfWork

PROMPT = "prompt"
PROMPT_NUDGE = "prompt_nudge"
MEETING_SOON = "meeting_soon"
MEETING_DATE_NEEDED = "meeting_date_needed"
DIGEST = "digest"
NUDGE_AFTER_DAYS = 2
PLAN_BATCH = 200


async def facilitator_tz(uow: UnitOfWork, learning_set: LearningSet) -> str:
    return await member_tz(
        uow, team_id=learning_set.team_id, user_id=learning_set.facilitator_user_id, fallback=learning_set.timezone
    )


async def schedule_set(uow: UnitOfWork, learning_set: LearningSet, *, now: datetime) -> None:
    """Point every cursor of the set at its next moment after `now` (after a save, or for a set
    made before it had a schedule)."""
    learning_set.next_review_at = review_moment(
        next_meeting_at=learning_set.next_meeting_at, tz=learning_set.timezone, now=now
    )
    learning_set.next_soon_at = _soon_after(learning_set, now)
    learning_set.next_prompt_at = prompt_moment_after(
        weekday=learning_set.prompt_weekday, at=learning_set.prompt_time, tz=learning_set.timezone, after=now
    )
    learning_set.next_digest_at = digest_moment_after(tz=await facilitator_tz(uow, learning_set), after=now)
    learning_set.next_retention_at = (
        retention_moment_after(tz=learning_set.timezone, after=now) if learning_set.retention_months else None
    )


def _soon_after(learning_set: LearningSet, now: datetime) -> datetime | None:
    if learning_set.next_meeting_at is None:
        return None
    _, hour_before = meeting_reminder_moments(meeting_at=learning_set.next_meeting_at, tz=learning_set.timezone)
    return hour_before if hour_before > now else None


def _latest_weekly(moment_after: Callable[[datetime], datetime], *, cursor: datetime, now: datetime) -> datetime:
    """The most recent weekly moment at or before `now` (the cursor's, if none is later): after
    the app was down for weeks, only the latest missed moment matters."""
    latest = cursor
    candidate = moment_after(now - timedelta(days=8))
    while candidate <= now:
        latest = max(latest, candidate)
        candidate = moment_after(candidate)
    return latest


def _on_its_day(at: datetime, *, now: datetime, tz: str) -> bool:
    return local_today(at, tz) == local_today(now, tz)


async def _outbox(
    uow: UnitOfWork,
    learning_set: LearningSet,
    *,
    key: str,
    kind: str,
    at: datetime,
    tz: str,
    now: datetime,
    user_id: str | None = None,
    subject_id: int | None = None,
    on_time: bool = True,
) -> bool:
    """Add the message to the outbox once (its key is unique). True when it was added to be sent."""
    added = await uow.outbox.add(
        key=key,
        team_id=learning_set.team_id,
        kind=kind,
        user_id=user_id,
        channel_id=None if user_id else learning_set.channel_id,
        subject_id=learning_set.id if subject_id is None else subject_id,
        local_date=local_today(at, tz),
        timezone=tz,
        due_at=at,
        status=PENDING if on_time else MISSED,
        attempts=0,
        created_at=now,
        finished_at=None if on_time else now,
    )
    return added and on_time


async def plan_schedules(uow: UnitOfWork, *, now: datetime) -> int:
    """Everything of the sets' own schedules that has come due. Returns how many were planned."""
    for learning_set in await uow.sets.list_unscheduled(PLAN_BATCH):
        await schedule_set(uow, learning_set, now=now)
    planned = await roll_meetings_over(uow, now=now)
    planned += await plan_meeting_soon(uow, now=now)
    planned += await plan_prompts(uow, now=now)
    planned += await plan_nudges(uow, now=now)
    planned += await plan_digests(uow, now=now)
    await apply_retention_due(uow, now=now)
    return planned


async def apply_retention_due(uow: UnitOfWork, *, now: datetime) -> int:
    """Once a day per set with a retention period: delete what it said before the period."""
    cleaned = 0
    for learning_set in await uow.sets.list_schedule_due("next_retention_at", now, PLAN_BATCH):
        tz = learning_set.timezone
        learning_set.next_retention_at = retention_moment_after(tz=tz, after=now)
        if not learning_set.retention_months:
            learning_set.next_retention_at = None
            continue
        cutoff_day = months_before(local_today(now, tz), learning_set.retention_months)
        await apply_retention(uow, learning_set=learning_set, cutoff=local_to_utc(cutoff_day, time(0, 0), tz))
        cleaned += 1
    return cleaned


async def roll_meetings_over(uow: UnitOfWork, *, now: datetime) -> int:
    """Once a meeting's time has passed, the next one follows from the cadence; with a manual
    cadence the facilitator is asked, in a DM, for the next date."""
    asked = 0
    for learning_set in await uow.sets.list_schedule_due("next_meeting_at", now, PLAN_BATCH):
        passed = learning_set.next_meeting_at
        assert passed is not None
        cadence = Cadence(learning_set.cadence) if learning_set.cadence in set(Cadence) else Cadence.MANUAL
        following = next_meeting_after(cadence=cadence, meeting_at=passed, tz=learning_set.timezone, now=now)
        learning_set.next_meeting_at = following
        learning_set.updated_at = now
        learning_set.next_review_at = review_moment(next_meeting_at=following, tz=learning_set.timezone, now=now)
        learning_set.next_soon_at = _soon_after(learning_set, now)
        if following is None:
            tz = await facilitator_tz(uow, learning_set)
            asked += await _outbox(
                uow,
                learning_set,
                key=f"{MEETING_DATE_NEEDED}:{learning_set.id}:{passed.isoformat()}",
                kind=MEETING_DATE_NEEDED,
                at=now,
                tz=tz,
                now=now,
                user_id=learning_set.facilitator_user_id,
            )
    return asked


async def plan_meeting_soon(uow: UnitOfWork, *, now: datetime) -> int:
    """The channel reminder an hour before a meeting (only while the meeting is still ahead)."""
    planned = 0
    for learning_set in await uow.sets.list_schedule_due("next_soon_at", now, PLAN_BATCH):
        at, meeting_at = learning_set.next_soon_at, learning_set.next_meeting_at
        learning_set.next_soon_at = None
        if at is None or meeting_at is None:
            continue
        planned += await _outbox(
            uow,
            learning_set,
            key=f"{MEETING_SOON}:{learning_set.id}:{meeting_at.isoformat()}",
            kind=MEETING_SOON,
            at=at,
            tz=learning_set.timezone,
            now=now,
            on_time=now < meeting_at,
        )
    return planned


async def plan_prompts(uow: UnitOfWork, *, now: datetime) -> int:
    """The weekly reflection prompt: one per set per ISO week, none while the set is paused."""
    planned = 0
    for learning_set in await uow.sets.list_schedule_due("next_prompt_at", now, PLAN_BATCH):
        cursor = learning_set.next_prompt_at
        assert cursor is not None
        tz = learning_set.timezone

        def prompt_after(after: datetime, s: LearningSet = learning_set) -> datetime:
            return prompt_moment_after(weekday=s.prompt_weekday, at=s.prompt_time, tz=s.timezone, after=after)

        at = _latest_weekly(prompt_after, cursor=cursor, now=now)
        learning_set.next_prompt_at = prompt_after(now)
        if is_paused(learning_set.paused_until_date, timezone=tz, now=at):
            continue
        day = local_today(at, tz)
        week = week_key(day)
        if await uow.reflections.get_prompt_of_week(learning_set.id, week) is not None:
            continue  # the prompt day changed mid-week: this week already had its prompt
        key = f"{PROMPT}:{learning_set.id}:{week}"
        on_time = _on_its_day(at, now=now, tz=tz)
        if on_time:
            used = await uow.reflections.used_prompt_indexes(learning_set.id)
            index = next_prompt_index(set_id=learning_set.id, used=used, bank_size=len(PROMPTS))
            nudge_day = day + timedelta(days=NUDGE_AFTER_DAYS)
            await uow.reflections.add_prompt(
                ReflectionPrompt(
                    set_id=learning_set.id,
                    week=week,
                    prompt_index=index,
                    text=PROMPTS[index],
                    local_date=day,
                    prompted_at=at,
                    nudge_at=local_to_utc(nudge_day, learning_set.prompt_time, tz),
                    outbox_key=key,
                )
            )
        planned += await _outbox(uow, learning_set, key=key, kind=PROMPT, at=at, tz=tz, now=now, on_time=on_time)
    return planned


async def plan_nudges(uow: UnitOfWork, *, now: datetime) -> int:
    """Two days after a prompt, one gentle DM to each member who has not reflected on it and is
    not away. Nobody is named in the channel."""
    planned = 0
    for prompt, learning_set in await uow.reflections.list_nudges_due(now, PLAN_BATCH):
        at = prompt.nudge_at
        assert at is not None
        prompt.nudge_at = None
        tz = learning_set.timezone
        if learning_set.archived_at is not None or is_paused(learning_set.paused_until_date, timezone=tz, now=at):
            continue
        reflected = await uow.reflections.reflected_on(prompt.id)
        for member in await uow.sets.list_members(learning_set.id):
            if member.user_id in reflected:
                continue
            away = await uow.commitments.get_away(learning_set.team_id, member.user_id)
            if away is not None and away.until_at > at:
                continue
            planned += await _outbox(
                uow,
                learning_set,
                key=f"{PROMPT_NUDGE}:{prompt.id}:{member.user_id}",
                kind=PROMPT_NUDGE,
                at=at,
                tz=tz,
                now=now,
                user_id=member.user_id,
                subject_id=prompt.id,
                on_time=_on_its_day(at, now=now, tz=tz),
            )
    return planned


async def plan_digests(uow: UnitOfWork, *, now: datetime) -> int:
    """Monday 09:00 in the facilitator's zone: a DM per set they facilitate."""
    planned = 0
    for learning_set in await uow.sets.list_schedule_due("next_digest_at", now, PLAN_BATCH):
        cursor = learning_set.next_digest_at
        assert cursor is not None
        tz = await facilitator_tz(uow, learning_set)

        def digest_after(after: datetime, zone: str = tz) -> datetime:
            return digest_moment_after(tz=zone, after=after)

        at = _latest_weekly(digest_after, cursor=cursor, now=now)
        learning_set.next_digest_at = digest_after(now)
        if is_paused(learning_set.paused_until_date, timezone=learning_set.timezone, now=at):
            continue
        planned += await _outbox(
            uow,
            learning_set,
            key=f"{DIGEST}:{learning_set.id}:{local_today(at, tz).isoformat()}",
            kind=DIGEST,
            at=at,
            tz=tz,
            now=now,
            user_id=learning_set.facilitator_user_id,
            on_time=_on_its_day(at, now=now, tz=tz),
        )
    return planned
