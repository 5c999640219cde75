"""`/als settings`, `/als pause <date>` and `/als resume` (the facilitator's), and the button in the
facilitator's DM that asks for the next meeting date of a set whose dates are set by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.domain.sets import is_paused, pause_error
from bot.domain.timezones import local_today, utc_to_local
from bot.services.authz import authorize
from bot.services.errors import Refused
from bot.services.schedule import schedule_set
from bot.services.sets import stored_settings
from handlers.blocks.sets import build_pause_message, build_setup_modal
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import write_metadata
from handlers.ids import COMMAND, ActionId
from handlers.listener import listener
from handlers.rounds.common import actor
from storage.models import LearningSet


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "settings",
            f"{COMMAND} settings",
            "Change the set's name, time zone, meetings, weekly prompt, reminders or pause (facilitator).",
            run_settings,
            SetNeed.REQUIRED,
        )
    )
    commands.add(
        Subcommand(
            "pause",
            f"{COMMAND} pause YYYY-MM-DD",
            "Pause the set's weekly prompts and digests until that date, e.g. for holidays (facilitator).",
            run_pause,
            SetNeed.REQUIRED,
        )
    )
    commands.add(
        Subcommand(
            "resume", f"{COMMAND} resume", "End the set's pause now (facilitator).", run_resume, SetNeed.REQUIRED
        )
    )
    app.action(ActionId.SET_MEETING_BUTTON)(listener(handle_set_meeting_button))


async def _as_facilitator(request: CommandRequest, action: Action) -> LearningSet | None:
    """The set when the permissions table lets the caller do `action`; None, after saying why, if not."""
    learning_set = request.learning_set
    assert learning_set is not None
    try:
        async with request.deps.db.read() as uow:
            await authorize(uow, action, learning_set=learning_set, user_id=request.user_id)
    except Refused as refusal:
        await request.reply(refusal.message)
        return None
    return learning_set


async def open_settings(client: AsyncWebClient, deps: Deps, *, trigger_id: str, learning_set: LearningSet) -> None:
    view = build_setup_modal(
        stored_settings(learning_set, deps.clock.now()),
        editing=True,
        now=deps.clock.now(),
        private_metadata=write_metadata(channel=learning_set.channel_id),
    )
    await client.views_open(trigger_id=trigger_id, view=view)


async def run_settings(request: CommandRequest) -> None:
    learning_set = await _as_facilitator(request, Action.SETTINGS)
    if learning_set is None:
        return
    await request.ack()
    try:
        await open_settings(
            request.client,
            request.deps,
            trigger_id=str(request.body.get("trigger_id") or ""),
            learning_set=learning_set,
        )
    except SlackApiError as exc:
        if exc.response.get("error") != "expired_trigger_id":
            raise
        await request.respond(
            text=f"Slack was too slow to open the form. Please run `{COMMAND} settings` again.",
            response_type="ephemeral",
        )


def _parse(text: str) -> date | None:
    words = text.split()
    try:
        return date.fromisoformat(words[0]) if words else None
    except ValueError:
        return None


async def run_pause(request: CommandRequest) -> None:
    learning_set = await _as_facilitator(request, Action.PAUSE)
    if learning_set is None:
        return
    now = request.deps.clock.now()
    until = _parse(request.args)
    meeting = learning_set.next_meeting_at
    problem = pause_error(
        until,
        today=local_today(now, learning_set.timezone),
        meeting_day=utc_to_local(meeting, learning_set.timezone).date() if meeting else None,
    )
    if problem:
        if until is None:
            example = local_today(now, learning_set.timezone) + timedelta(days=14)
            problem += f" For example: `{COMMAND} pause {example.isoformat()}`."
        await request.reply(problem)
        return
    assert until is not None
    async with request.deps.db.write() as uow:
        stored = await uow.sets.get_by_id(learning_set.id)
        if stored is not None:
            stored.paused_until_date, stored.updated_at = until, now
            await schedule_set(uow, stored, now=now)
    await request.reply(build_pause_message(until))


async def run_resume(request: CommandRequest) -> None:
    learning_set = await _as_facilitator(request, Action.RESUME)
    if learning_set is None:
        return
    now = request.deps.clock.now()
    if not is_paused(learning_set.paused_until_date, timezone=learning_set.timezone, now=now):
        await request.reply("The set is not paused: its weekly prompts and digests run as usual.")
        return
    async with request.deps.db.write() as uow:
        stored = await uow.sets.get_by_id(learning_set.id)
        if stored is not None:
            stored.paused_until_date, stored.updated_at = None, now
            await schedule_set(uow, stored, now=now)
    await request.reply(build_pause_message(None))


async def handle_set_meeting_button(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    await ack()
    user_id, team_id = actor(body)
    actions = body.get("actions") or [{}]
    channel_id = str((actions[0] or {}).get("value") or "") if isinstance(actions, list) else ""
    try:
        async with deps.db.read() as uow:
            learning_set = await uow.sets.get_by_channel(team_id, channel_id)
            if learning_set is None:
                raise Refused("That set no longer exists.")
            await authorize(uow, Action.SETTINGS, learning_set=learning_set, user_id=user_id)
    except Refused as refusal:
        await client.chat_postMessage(channel=user_id, text=refusal.message)
        return
    await open_settings(client, deps, trigger_id=str(body.get("trigger_id") or ""), learning_set=learning_set)
