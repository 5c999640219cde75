"""Creating and editing sets, and keeping their membership."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Protocol

from bot.domain.people import Person, is_stale
from bot.domain.sets import DEFAULT_REMINDER_LEAD_DAYS, SetSettings, settings_of_stored
from bot.services.commitments import member_tz, reschedule
from bot.services.schedule import schedule_set
from storage.models import LearningSet
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SavedSet:
    set_id: int
    created: bool
    facilitator_user_id: str


async def save_set(
    uow: UnitOfWork,
    *,
    team_id: str,
    channel_id: str,
    caller_user_id: str,
    settings: SetSettings,
    now: datetime,
) -> SavedSet:
    """Make the channel a set with these settings, or update the set it already is.

    The person who first sets a channel up is its facilitator and a member; editing keeps both.
    """
    existing = await uow.sets.get_by_channel(team_id, channel_id)
    if existing is not None:
        lead_days_before = existing.reminder_lead_days
        _apply(existing, settings, now)
        await schedule_set(uow, existing, now=now)
        if existing.reminder_lead_days != lead_days_before:
            for commitment in await uow.commitments.list_open_in_set(existing.id):
                tz = await member_tz(uow, team_id=team_id, user_id=commitment.user_id, fallback=existing.timezone)
                reschedule(commitment, lead_days=existing.reminder_lead_days, tz=tz, now=now)
        return SavedSet(set_id=existing.id, created=False, facilitator_user_id=existing.facilitator_user_id)
    learning_set = LearningSet(
        team_id=team_id,
        channel_id=channel_id,
        facilitator_user_id=caller_user_id,
        reminder_lead_days=DEFAULT_REMINDER_LEAD_DAYS,
        paused_until_date=None,
        members_synced_at=None,
        archived_at=None,
        created_at=now,
    )
    _apply(learning_set, settings, now)
    await uow.sets.add(learning_set)
    await uow.sets.add_member(learning_set.id, caller_user_id, now)
    await schedule_set(uow, learning_set, now=now)
    return SavedSet(set_id=learning_set.id, created=True, facilitator_user_id=caller_user_id)


def _apply(learning_set: LearningSet, settings: SetSettings, now: datetime) -> None:
    learning_set.name = settings.name
    learning_set.timezone = settings.timezone
    learning_set.cadence = settings.cadence.value
    learning_set.next_meeting_at = settings.next_meeting_at
    learning_set.prompt_weekday = settings.prompt_weekday
    learning_set.prompt_time = settings.prompt_time
    learning_set.reminder_lead_days = settings.reminder_lead_days
    learning_set.paused_until_date = settings.paused_until
    learning_set.ground_rules = settings.ground_rules
    learning_set.retention_months = settings.retention_months
    learning_set.updated_at = now


async def record_members(uow: UnitOfWork, *, set_id: int, people: Iterable[Person], now: datetime) -> None:
    """Make the channel's humans the set's active members, as Slack lists them now."""
    learning_set = await uow.sets.get_by_id(set_id)
    if learning_set is None:
        return
    humans = [p.user_id for p in people if p.is_human]
    await uow.sets.replace_members(set_id, humans, now)
    learning_set.members_synced_at = now


async def remember_people(uow: UnitOfWork, *, team_id: str, people: Iterable[Person], now: datetime) -> None:
    for person in people:
        await uow.users.save(
            team_id=team_id,
            user_id=person.user_id,
            display_name=person.display_name,
            tz=person.tz,
            is_bot=person.is_bot,
            is_deleted=person.is_deleted,
            now=now,
        )


async def known_person(uow: UnitOfWork, *, team_id: str, user_id: str, now: datetime) -> Person | None:
    """What we know of a person, if we learnt it within the last day."""
    user = await uow.users.get(team_id, user_id)
    if user is None or is_stale(user.fetched_at, now):
        return None
    return Person(user.user_id, user.display_name, user.tz, user.is_bot, user.is_deleted)


def stop_set(learning_set: LearningSet, *, now: datetime) -> None:
    """The channel was archived or deleted: the set keeps its history but schedules nothing."""
    learning_set.archived_at = learning_set.archived_at or now
    learning_set.next_review_at = learning_set.next_soon_at = None
    learning_set.next_prompt_at = learning_set.next_digest_at = None
    learning_set.updated_at = now


class StoredSet(Protocol):
    """A set as stored: a LearningSet, or the row `/als status` reads (storage.status.SetRow)."""

    @property
    def name(self) -> str: ...
    @property
    def timezone(self) -> str: ...
    @property
    def cadence(self) -> str: ...
    @property
    def next_meeting_at(self) -> datetime | None: ...
    @property
    def prompt_weekday(self) -> int: ...
    @property
    def prompt_time(self) -> time: ...
    @property
    def reminder_lead_days(self) -> int: ...
    @property
    def paused_until_date(self) -> date | None: ...
    @property
    def ground_rules(self) -> str | None: ...
    @property
    def retention_months(self) -> int: ...


def stored_settings(learning_set: StoredSet, now: datetime) -> SetSettings:
    """A stored set's settings, as the domain and the forms see them."""
    return settings_of_stored(
        name=learning_set.name,
        timezone=learning_set.timezone,
        cadence=learning_set.cadence,
        next_meeting_at=learning_set.next_meeting_at,
        prompt_weekday=learning_set.prompt_weekday,
        prompt_time=learning_set.prompt_time,
        now=now,
        reminder_lead_days=learning_set.reminder_lead_days,
        paused_until=learning_set.paused_until_date,
        ground_rules=learning_set.ground_rules,
        retention_months=learning_set.retention_months,
    )
