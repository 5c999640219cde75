"""Moving a round on: to exploratory questions, closing its questions, and the presenter's reflection."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.domain.rounds import REFLECTION_MAX, Phase, long_text_error, tidy
from bot.services.authz import authorize
from bot.services.errors import Refused
from bot.services.rounds import close_questions, load_round, move_to_exploratory, record_reflection
from handlers.blocks.common import build_notice_modal
from handlers.blocks.round_modals import build_reflect_modal
from handlers.blocks.rounds import (
    build_phase_note,
    build_reflect_invitation,
    build_reflect_thanks,
    build_reflection_message,
    build_round_summary,
)
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import action_id_value, actor, metadata_id
from handlers.rounds.publish import info_of_round, post_in_thread, question_info, refresh_root, update_in_thread


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "close",
            f"{COMMAND} close",
            "Close the questions in your round (presenter or facilitator).",
            run_close,
            SetNeed.REQUIRED,
        )
    )
    app.action(ActionId.EXPLORE)(listener(handle_explore_button))
    app.action(ActionId.CLOSE)(listener(handle_close_button))
    app.action(ActionId.REFLECT)(listener(handle_reflect_button))
    app.view(CallbackId.REFLECT)(listener(handle_reflect_submission))


async def handle_explore_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.write() as uow:
            round_ = await move_to_exploratory(uow, team_id=team_id, round_id=action_id_value(body), user_id=user_id)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    await post_in_thread(
        client, deps.db, team_id=team_id, round_id=round_.id, message=build_phase_note(Phase.EXPLORATORY)
    )
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_.id)


async def close_round(client: AsyncWebClient, deps: Deps, *, team_id: str, round_id: int, user_id: str) -> None:
    """Close the questions, post the summary in the thread, and invite the presenter to reflect."""
    async with deps.db.write() as uow:
        round_ = await close_questions(uow, team_id=team_id, round_id=round_id, user_id=user_id, now=deps.clock.now())
        questions = [question_info(q) for q in await uow.rounds.list_questions(round_id)]
        _, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    info = info_of_round(round_)
    summary_ts = await post_in_thread(
        client,
        deps.db,
        team_id=team_id,
        round_id=round_id,
        message=build_round_summary(info, questions, closed_by=user_id),
    )
    async with deps.db.write() as uow:
        await uow.rounds.set_message_ts(round_id, summary_ts=summary_ts)
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_id)
    invitation = build_reflect_invitation(info, channel_id=learning_set.channel_id)
    sent = await client.chat_postMessage(
        channel=round_.presenter_user_id, text=invitation.text, blocks=invitation.blocks
    )
    async with deps.db.write() as uow:
        found = await uow.rounds.get(team_id, round_id)
        if found is not None:
            found[0].reflect_dm_channel, found[0].reflect_dm_ts = str(sent["channel"]), str(sent["ts"])


async def handle_close_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        await close_round(client, deps, team_id=team_id, round_id=action_id_value(body), user_id=user_id)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)


async def run_close(request: CommandRequest) -> None:
    """Closes the caller's own open round; the facilitator may close the only open round too."""
    learning_set = request.learning_set
    assert learning_set is not None
    async with request.deps.db.read() as uow:
        open_rounds = list(await uow.rounds.list_open(learning_set.id))
    own = [r for r in open_rounds if r.presenter_user_id == request.user_id]
    facilitating = request.user_id == learning_set.facilitator_user_id
    if own:
        target = own[0]
    elif facilitating and len(open_rounds) == 1:
        target = open_rounds[0]
    else:
        if not open_rounds:
            text = "There is no round with open questions in this set."
        elif facilitating:
            text = "Several rounds are open: use the “Close questions” button on the round you want to close."
        else:
            text = "You have no round with open questions here. Only the presenter or the facilitator closes a round."
        await request.reply(text)
        return
    await request.ack()
    try:
        await close_round(
            request.client, request.deps, team_id=request.team_id, round_id=target.id, user_id=request.user_id
        )
    except Refused as refusal:
        await request.respond(text=refusal.message, response_type="ephemeral")


async def handle_reflect_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.read() as uow:
            round_, learning_set = await load_round(uow, team_id=team_id, round_id=action_id_value(body))
            await authorize(uow, Action.REFLECT_ON_ROUND, learning_set=learning_set, user_id=user_id, round_=round_)
        if round_.phase == Phase.CLOSED:
            raise Refused("You have already reflected on this round: your reflection is in its thread.")
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_reflect_modal(info_of_round(round_), private_metadata=write_metadata(round=round_.id))
    await open_form(
        client,
        deps,
        trigger_id=str(body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=user_id,
        view=view,
    )


async def handle_reflect_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    values = state_values(body)
    learned = tidy(field_value(values, BlockId.LEARNED, ActionId.LEARNED))
    differently = tidy(field_value(values, BlockId.DIFFERENTLY, ActionId.DIFFERENTLY))
    errors = {
        block.value: message
        for block, message in (
            (BlockId.LEARNED, long_text_error(learned, limit=REFLECTION_MAX, required="Write what you learned.")),
            (BlockId.DIFFERENTLY, long_text_error(differently, limit=REFLECTION_MAX, required=None)),
        )
        if message
    }
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    try:
        async with deps.db.write() as uow:
            round_ = await record_reflection(
                uow,
                team_id=team_id,
                round_id=metadata_id(read_metadata(body), "round"),
                user_id=user_id,
                learned=learned,
                differently=differently,
                now=deps.clock.now(),
            )
            _, learning_set = await load_round(uow, team_id=team_id, round_id=round_.id)
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Reflect", text=refusal.message))
        return
    await ack()
    reflection_ts = await post_in_thread(
        client,
        deps.db,
        team_id=team_id,
        round_id=round_.id,
        message=build_reflection_message(presenter_id=user_id, learned=learned, differently=differently),
    )
    async with deps.db.write() as uow:
        await uow.rounds.set_message_ts(round_.id, reflection_ts=reflection_ts)
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_.id)
    if round_.reflect_dm_channel:
        await update_in_thread(
            client,
            channel=round_.reflect_dm_channel,
            ts=round_.reflect_dm_ts,
            message=build_reflect_thanks(info_of_round(round_), channel_id=learning_set.channel_id),
        )
