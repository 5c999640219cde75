"""`/als present`: the presentation modal, and opening the round in the channel."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.domain.rounds import PresentationField, validate_presentation
from bot.services.authz import authorize_in_set
from bot.services.errors import Refused
from bot.services.rounds import open_round
from handlers.blocks.round_modals import build_present_modal
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, selected_values, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.rounds.common import actor, metadata_id
from handlers.rounds.publish import post_root
from storage.standing import read_standing

log = logging.getLogger("als.rounds")

FIELD_BLOCKS = {
    PresentationField.PROBLEM: (BlockId.PROBLEM, ActionId.PROBLEM),
    PresentationField.CONTEXT: (BlockId.CONTEXT, ActionId.CONTEXT),
    PresentationField.WHY: (BlockId.WHY, ActionId.WHY),
    PresentationField.TRIED: (BlockId.TRIED, ActionId.TRIED),
    PresentationField.SUCCESS: (BlockId.SUCCESS, ActionId.SUCCESS),
}


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "present",
            f"{COMMAND} present",
            "Bring a problem to the set: opens a round of questions.",
            run_present,
            SetNeed.REQUIRED,
        )
    )
    app.view(CallbackId.PRESENT)(listener(handle_present_submission))


async def link_to(client: AsyncWebClient, channel: str, ts: str | None) -> str | None:
    if ts is None:
        return None
    try:
        return str((await client.chat_getPermalink(channel=channel, message_ts=ts))["permalink"])
    except SlackApiError:
        return None


async def run_present(request: CommandRequest) -> None:
    learning_set, deps = request.learning_set, request.deps
    assert learning_set is not None
    standing = await deps.db.read_rows(partial(read_standing, set_id=learning_set.id, user_id=request.user_id))
    try:
        authorize_in_set(
            Action.PRESENT, learning_set=learning_set, user_id=request.user_id, active_member=standing.active_member
        )
    except Refused as refusal:
        await request.reply(refusal.message)
        return
    await request.ack()
    if standing.open_round_id is not None:
        link = await link_to(request.client, learning_set.channel_id, standing.open_round_ts)
        where = f"<{link}|your open round>" if link else "your open round"
        await request.respond(
            text=f"You already have a round open in this set: {where}. Close its questions (the button on the "
            f"round, or `{COMMAND} close`) before presenting another problem.",
            response_type="ephemeral",
        )
        return
    view = build_present_modal(set_name=learning_set.name, private_metadata=write_metadata(set=learning_set.id))
    await open_form(
        request.client,
        request.deps,
        trigger_id=str(request.body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=request.user_id,
        view=view,
        agreed=standing.agreed,
    )


async def handle_present_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    values = state_values(body)
    user_id, team_id = actor(body)
    set_id = metadata_id(read_metadata(body), "set")
    result = validate_presentation(
        **{field.value: field_value(values, *ids) for field, ids in FIELD_BLOCKS.items()},
        help_wanted=selected_values(values, BlockId.HELP_WANTED, ActionId.HELP_WANTED),
    )
    if isinstance(result, dict):
        await ack(response_action="errors", errors={FIELD_BLOCKS[f][0].value: m for f, m in result.items()})
        return
    now = deps.clock.now()
    try:
        async with deps.db.write() as uow:
            learning_set = await uow.sets.get(team_id, set_id)
            if learning_set is None:
                raise Refused("This set no longer exists.")
            round_ = await open_round(
                uow, learning_set=learning_set, presenter_id=user_id, presentation=result, now=now
            )
            round_id, channel_id = round_.id, learning_set.channel_id
    except Refused as refusal:
        await ack(response_action="errors", errors={BlockId.PROBLEM.value: refusal.message})
        return
    await ack()
    try:
        await post_root(client, deps.db, team_id=team_id, round_id=round_id)
    except SlackApiError as exc:
        # The round cannot live without its message: undo it and give the presenter their words back.
        log.warning("could not post a new round in its channel: %s", exc.response.get("error"))
        async with deps.db.write() as uow:
            found = await uow.rounds.get(team_id, round_id)
            if found is not None:
                await uow.rounds.delete(found[0])
        await client.chat_postMessage(
            channel=user_id,
            text=f"I couldn't post your round in <#{channel_id}> (am I still in that channel?), so it was not "
            f"opened. Here is what you wrote, to try again:\n>{result.problem}",
        )
