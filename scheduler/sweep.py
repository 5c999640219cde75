"""One sweep: find what is due in the database and do it. Every step takes `now`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.people import PERSON_INFO_LIFETIME
from bot.services.commitments import come_back, member_tz, plan_reminders, plan_reviews, reschedule
from bot.services.schedule import plan_schedules
from bot.slack_api.people import fetch_person, sync_set_members
from bot.slack_api.workspaces import client_for_team
from scheduler.outbox import DispatchReport, dispatch_due
from scheduler.pacing import Pacer

log = logging.getLogger("als.sweep")

MEMBERSHIP_REFRESH = timedelta(hours=24)
SETS_PER_SWEEP = 20
PEOPLE_PER_SWEEP = 50
EVENT_MEMORY = timedelta(days=3)  # Slack retries an event for about an hour
PENDING_FORM_LIFETIME = timedelta(days=1)


async def run_sweep(
    deps: Deps, client: AsyncWebClient, *, now: datetime, me: str, pacer: Pacer | None = None
) -> DispatchReport:
    await plan(deps, now=now)
    report = await dispatch_due(
        deps, client, now=now, me=me, lease=timedelta(seconds=deps.settings.outbox_lease_seconds), pacer=pacer
    )
    await refresh_time_zones(deps, client, now=now)
    await refresh_memberships(deps, client, now=now)
    await forget_old_events(deps, now=now)
    return report


async def plan(deps: Deps, *, now: datetime) -> None:
    """Turn what has come due in the database into outbox rows (each key once)."""
    async with deps.db.write() as uow:
        await plan_reminders(uow, now=now)
        await plan_reviews(uow, now=now)
        await plan_schedules(uow, now=now)
        for away in await uow.commitments.list_back(now, PEOPLE_PER_SWEEP):
            tz = await member_tz(uow, team_id=away.team_id, user_id=away.user_id, fallback="UTC")
            await come_back(uow, team_id=away.team_id, user_id=away.user_id, tz=tz, now=now)


async def refresh_time_zones(deps: Deps, client: AsyncWebClient, *, now: datetime) -> int:
    """Re-read the zone of members with open commitments whose Slack profile is a day old; when it
    changed, their reminders move to 09:00 in the new zone."""
    async with deps.db.read() as uow:
        stale = await uow.users.list_stale_with_open_commitments(now - PERSON_INFO_LIFETIME, PEOPLE_PER_SWEEP)
    refreshed = 0
    for team_id, user_id in stale:
        try:
            team_client = await client_for_team(deps, client, team_id)
            person = await fetch_person(team_client, user_id) if team_client is not None else None
        except SlackApiError as exc:
            log.info("could not refresh a member's profile: %s", exc.response.get("error"))
            person = None
        async with deps.db.write() as uow:
            known = await uow.users.get(team_id, user_id)
            if known is None:
                continue
            changed = person is not None and person.tz != known.tz
            if person is not None:
                known.tz, known.display_name, known.is_deleted = person.tz, person.display_name, person.is_deleted
            known.fetched_at = now
            if changed:
                for commitment, learning_set in await uow.commitments.list_open_of_user(team_id, user_id):
                    reschedule(
                        commitment,
                        lead_days=learning_set.reminder_lead_days,
                        tz=known.tz or learning_set.timezone,
                        now=now,
                    )
        refreshed += 1
    return refreshed


async def refresh_memberships(deps: Deps, client: AsyncWebClient, *, now: datetime) -> int:
    """Re-read the members of sets not checked for a day, to repair join/leave events that never
    arrived (the app was down longer than Slack retries). Returns how many sets were refreshed."""
    async with deps.db.read() as uow:
        due = await uow.sets.list_due_for_member_sync(now - MEMBERSHIP_REFRESH, SETS_PER_SWEEP)
        targets = [(s.id, s.team_id, s.channel_id) for s in due]
    refreshed = 0
    for set_id, team_id, channel_id in targets:
        try:
            team_client = await client_for_team(deps, client, team_id)
            if team_client is None:  # not installed there (any more): nothing to refresh with
                await _synced_later(deps, set_id, now=now)
                continue
            await sync_set_members(team_client, deps.db, team_id=team_id, set_id=set_id, channel_id=channel_id, now=now)
            refreshed += 1
        except SlackApiError as exc:
            log.warning("could not refresh the members of set %s: %s", set_id, exc.response.get("error"))
            await _synced_later(deps, set_id, now=now)
    return refreshed


async def _synced_later(deps: Deps, set_id: int, *, now: datetime) -> None:
    """Try the set again tomorrow rather than every minute."""
    async with deps.db.write() as uow:
        learning_set = await uow.sets.get_by_id(set_id)
        if learning_set is not None:
            learning_set.members_synced_at = now


async def forget_old_events(deps: Deps, *, now: datetime) -> int:
    """Event ids past Slack's retries, and forms left waiting behind the ground rules for a day."""
    async with deps.db.write() as uow:
        await uow.ground_rules.prune_forms(now - PENDING_FORM_LIFETIME)
        return await uow.events.prune(now - EVENT_MEMORY)
