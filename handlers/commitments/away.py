"""`/als away <date>` and `/als back` (also from App Home): no DMs until a date, then one summary."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.timezones import local_today, picked_date
from bot.services.commitments import come_back, go_away
from bot.slack_api.people import get_person
from handlers.blocks.away import away_confirmation, back_confirmation, build_away_modal
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, state_values
from handlers.home import publish_home
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.rounds.common import actor

LONGEST_AWAY = timedelta(days=365)


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "away",
            f"{COMMAND} away YYYY-MM-DD",
            "Pause my reminders until the day I am back; what fell due comes in one message then.",
            run_away,
            SetNeed.NONE,
        )
    )
    commands.add(Subcommand("back", f"{COMMAND} back", "End my time away now.", run_back, SetNeed.NONE))
    app.action(ActionId.AWAY_BUTTON)(listener(handle_away_button))
    app.action(ActionId.BACK_BUTTON)(listener(handle_back_button))
    app.view(CallbackId.AWAY)(listener(handle_away_submission))


PICK_A_DAY = "Pick the first day you are back from the calendar."


def until_error(until: date | None, *, today: date) -> str | None:
    if until is None:
        return f"Give the date you are back, like `{COMMAND} away {today + timedelta(days=7):%Y-%m-%d}`."
    if until <= today:
        return "That date is not in the future: give the first day you are back."
    if until > today + LONGEST_AWAY:
        return "Give a date within the next year."
    return None


def _parse(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().split()[0]) if text.strip() else None
    except ValueError:
        return None


async def _tz(client: AsyncWebClient, deps: Deps, team_id: str, user_id: str) -> str:
    person = await get_person(client, deps.db, team_id=team_id, user_id=user_id, now=deps.clock.now())
    return person.tz or "UTC"


async def run_away(request: CommandRequest) -> None:
    deps = request.deps
    async with deps.db.read() as uow:
        cached = await uow.users.get(request.team_id, request.user_id)
    tz = cached.tz if cached is not None and cached.tz else "UTC"
    now = deps.clock.now()
    until = _parse(request.args)
    problem = until_error(until, today=local_today(now, tz))
    if problem:
        await request.reply(problem)
        return
    assert until is not None
    async with deps.db.write() as uow:
        await go_away(uow, team_id=request.team_id, user_id=request.user_id, until=until, tz=tz, now=now)
    await request.reply(away_confirmation(until))


async def run_back(request: CommandRequest) -> None:
    deps = request.deps
    async with deps.db.write() as uow:
        cached = await uow.users.get(request.team_id, request.user_id)
        tz = cached.tz if cached is not None and cached.tz else "UTC"
        was_away = await come_back(uow, team_id=request.team_id, user_id=request.user_id, tz=tz, now=deps.clock.now())
    await request.reply(back_confirmation(was_away))


async def handle_away_button(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    user_id, team_id = actor(body)
    tz = await _tz(client, deps, team_id, user_id)
    await client.views_open(
        trigger_id=str(body.get("trigger_id") or ""), view=build_away_modal(today=local_today(deps.clock.now(), tz))
    )


async def handle_away_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    now = deps.clock.now()
    async with deps.db.read() as uow:
        cached = await uow.users.get(team_id, user_id)
    tz = cached.tz if cached is not None and cached.tz else "UTC"
    until = picked_date(field_value(state_values(body), BlockId.AWAY_UNTIL, ActionId.AWAY_UNTIL))
    problem = PICK_A_DAY if until is None else until_error(until, today=local_today(now, tz))
    if problem:
        await ack(response_action="errors", errors={BlockId.AWAY_UNTIL.value: problem.replace("`", "")})
        return
    assert until is not None
    await ack()
    async with deps.db.write() as uow:
        await go_away(uow, team_id=team_id, user_id=user_id, until=until, tz=tz, now=now)
    await publish_home(client, deps, team_id=team_id, user_id=user_id)


async def handle_back_button(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    user_id, team_id = actor(body)
    tz = await _tz(client, deps, team_id, user_id)
    async with deps.db.write() as uow:
        await come_back(uow, team_id=team_id, user_id=user_id, tz=tz, now=deps.clock.now())
    await publish_home(client, deps, team_id=team_id, user_id=user_id)
