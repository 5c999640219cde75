"""One sweep: find what is due in the database and do it. Every step takes `now`."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.slack_api.people import sync_set_members

log = logging.getLogger("als.sweep")

MEMBERSHIP_REFRESH = timedelta(hours=24)
SETS_PER_SWEEP = 20
EVENT_MEMORY = timedelta(days=3)  # Slack retries an event for about an hour


async def run_sweep(deps: Deps, client: AsyncWebClient, *, now: datetime) -> None:
    await refresh_memberships(deps, client, now=now)
    await forget_old_events(deps, now=now)


async def refresh_memberships(deps: Deps, client: AsyncWebClient, *, now: datetime) -> int:
    """Re-read the members of sets not checked for a day, to repair join/leave events that never
    arrived (the app was down longer than Slack retries). Returns how many sets were refreshed."""
    async with deps.db.read() as uow:
        due = await uow.sets.list_due_for_member_sync(now - MEMBERSHIP_REFRESH, SETS_PER_SWEEP)
        targets = [(s.id, s.team_id, s.channel_id) for s in due]
    refreshed = 0
    for set_id, team_id, channel_id in targets:
        try:
            await sync_set_members(client, deps.db, team_id=team_id, set_id=set_id, channel_id=channel_id, now=now)
            refreshed += 1
        except SlackApiError as exc:
            log.warning("could not refresh the members of set %s: %s", set_id, exc.response.get("error"))
            async with deps.db.write() as uow:  # try again tomorrow rather than every minute
                learning_set = await uow.sets.get_by_id(set_id)
                if learning_set is not None:
                    learning_set.members_synced_at = now
    return refreshed


async def forget_old_events(deps: Deps, *, now: datetime) -> int:
    async with deps.db.write() as uow:
        return await uow.events.prune(now - EVENT_MEMORY)
