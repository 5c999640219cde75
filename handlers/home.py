"""App Home: what a member has committed to, across their sets, with the same buttons as the DMs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.reflection import Visibility
from bot.domain.timezones import local_today
from bot.services.activity import activity_of
from bot.services.commitments import info_of, member_tz
from bot.services.sets import stored_settings
from handlers.blocks.digest import health_line
from handlers.blocks.home import REFLECTIONS_SHOWN, ReflectionLine, SetLine, build_home
from handlers.blocks.sets import meeting_line
from handlers.listener import listener

HEALTH_WINDOW = timedelta(weeks=4)


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(listener(handle_app_home_opened))


async def publish_home(client: AsyncWebClient, deps: Deps, *, team_id: str, user_id: str) -> None:
    now = deps.clock.now()
    async with deps.db.read() as uow:
        mine = await uow.commitments.list_for_member(team_id, user_id)
        infos = [await info_of(uow, c, s) for c, s in mine]
        done_dates = {c.id: local_today(c.closed_at, s.timezone) for c, s in mine if c.closed_at is not None}
        sets = await uow.sets.list_of_member(team_id, user_id)
        tz = await member_tz(uow, team_id=team_id, user_id=user_id, fallback=sets[0].timezone if sets else "UTC")
        away = await uow.commitments.get_away(team_id, user_id)
        health = {
            s.id: health_line(await activity_of(uow, s, since=now - HEALTH_WINDOW, now=now))
            for s in sets
            if s.facilitator_user_id == user_id
        }
        written = await uow.reflections.list_of_member(team_id, user_id, REFLECTIONS_SHOWN)
    reflections = [
        ReflectionLine(
            set_name=s.name,
            text=r.text,
            visibility_label=Visibility(r.visibility).label,
            day=local_today(r.created_at, tz),
        )
        for r, s in written
    ]
    lines = [
        SetLine(
            name=s.name,
            channel_id=s.channel_id,
            facilitating=s.facilitator_user_id == user_id,
            next_meeting=meeting_line(stored_settings(s, now)) if s.next_meeting_at else "not set",
            health=health.get(s.id, ""),
        )
        for s in sets
    ]
    view = build_home(
        commitments=infos,
        done_dates=done_dates,
        sets=lines,
        today=local_today(now, tz),
        away_until=away.until_date if away else None,
        reflections=reflections,
    )
    await client.views_publish(user_id=user_id, view=view)


async def handle_app_home_opened(body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    if (event or {}).get("tab") != "home":
        return
    user_id = str((event or {}).get("user") or "")
    team_id = str(body.get("team_id") or "")
    if user_id and team_id:
        await publish_home(client, deps, team_id=team_id, user_id=user_id)
