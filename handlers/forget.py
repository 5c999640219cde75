"""`/als forget me`: after a confirmation, a member's questions, answers, reflections and
commitments in the set are deleted, and the messages the app posted for them say
"(removed at the author's request)"."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.services.authz import authorize
from bot.services.errors import Refused
from bot.services.forget import forget_member
from handlers.blocks.common import build_notice_modal
from handlers.blocks.forget import build_forget_modal, build_forgotten_message, build_removed_message
from handlers.blocks.rounds import build_round_summary
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import read_metadata, write_metadata
from handlers.ids import COMMAND, CallbackId
from handlers.listener import listener
from handlers.rounds.common import actor, metadata_id
from handlers.rounds.publish import info_of_round, question_info, refresh_root, update_in_thread

log = logging.getLogger("als.forget")


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "forget",
            f"{COMMAND} forget me",
            "Delete your questions, answers, reflections and commitments in this set (asks first).",
            run_forget,
            SetNeed.REQUIRED,
        )
    )
    app.view(CallbackId.FORGET)(listener(handle_forget_submission))


async def run_forget(request: CommandRequest) -> None:
    learning_set = request.learning_set
    assert learning_set is not None
    if request.args.strip().lower() != "me":
        await request.reply(f"To delete what you have said in this set, type `{COMMAND} forget me`.")
        return
    try:
        async with request.deps.db.read() as uow:
            await authorize(uow, Action.FORGET_ME, learning_set=learning_set, user_id=request.user_id)
    except Refused as refusal:
        await request.reply(refusal.message)
        return
    await request.ack()
    view = build_forget_modal(set_name=learning_set.name, private_metadata=write_metadata(set=learning_set.id))
    await request.client.views_open(trigger_id=str(request.body.get("trigger_id") or ""), view=view)


async def handle_forget_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    try:
        async with deps.db.write() as uow:
            learning_set = await uow.sets.get(team_id, metadata_id(read_metadata(body), "set"))
            if learning_set is None:
                raise Refused("That set no longer exists.")
            forgotten = await forget_member(uow, learning_set=learning_set, user_id=user_id)
            channel_id = learning_set.channel_id
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Forget me", text=refusal.message))
        return
    await ack()
    removed = build_removed_message()
    failed = 0
    for channel, ts in forgotten.messages:
        try:
            await update_in_thread(client, channel=channel, ts=ts, message=removed)
        except SlackApiError as exc:
            failed += 1
            log.warning("could not mark a message removed: %s", exc.response.get("error"))
    for round_id in sorted(forgotten.rounds_to_redraw):
        await refresh_root(client, deps.db, team_id=team_id, round_id=round_id)
        await _redraw_summary(client, deps, team_id=team_id, round_id=round_id)
    done = build_forgotten_message(forgotten, failed=failed)
    await client.chat_postEphemeral(channel=channel_id, user=user_id, text=done.text, blocks=done.blocks)


async def _redraw_summary(client: AsyncWebClient, deps: Deps, *, team_id: str, round_id: int) -> None:
    """The closing summary lists the round's questions: show it without the forgotten ones."""
    async with deps.db.read() as uow:
        found = await uow.rounds.get(team_id, round_id)
        if found is None or found[0].summary_ts is None:
            return
        round_, learning_set = found
        questions = [question_info(q) for q in await uow.rounds.list_questions(round_id)]
        counts = await uow.rounds.count_questions(round_id)
    info = info_of_round(round_, asked=counts.asked, answered=counts.answered)
    message = build_round_summary(info, questions, closed_by=round_.closed_by_user_id or round_.presenter_user_id)
    await update_in_thread(client, channel=learning_set.channel_id, ts=round_.summary_ts, message=message)
