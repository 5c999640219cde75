"""Bidding for time at the next meeting: `/als bid [topic]`, or the button on a meeting reminder."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.meetings import bid_error
from bot.domain.rounds import tidy
from bot.services.errors import Refused
from bot.services.meetings import my_bid, save_bid
from bot.services.sets import stored_settings
from handlers.blocks.common import build_notice_modal
from handlers.blocks.meetings import build_bid_modal, build_bid_saved
from handlers.blocks.sets import meeting_line
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, state_values, write_metadata
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import actor
from storage.models import LearningSet


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "bid",
            f"{COMMAND} bid [what you want time for]",
            "Ask for time at the next meeting; bids make the draft agenda.",
            run_bid,
            SetNeed.REQUIRED,
        )
    )
    app.action(ActionId.BID_BUTTON)(listener(handle_bid_button))
    app.view(CallbackId.BID)(listener(handle_bid_submission))


def _meeting(learning_set: LearningSet, deps: Deps) -> str:
    return meeting_line(stored_settings(learning_set, deps.clock.now()))


async def run_bid(request: CommandRequest) -> None:
    learning_set = request.learning_set
    assert learning_set is not None
    deps, now = request.deps, request.deps.clock.now()
    topic = tidy(request.args)
    if topic:
        problem = bid_error(topic)
        if problem:
            await request.reply(problem)
            return
        try:
            async with deps.db.write() as uow:
                replaced = await save_bid(uow, learning_set=learning_set, user_id=request.user_id, topic=topic, now=now)
        except Refused as refusal:
            await request.reply(refusal.message)
            return
        await request.reply(build_bid_saved(topic=topic, meeting=_meeting(learning_set, deps), replaced=replaced))
        return
    try:
        async with deps.db.read() as uow:
            current = await my_bid(uow, learning_set=learning_set, user_id=request.user_id)
    except Refused as refusal:
        await request.reply(refusal.message)
        return
    await request.ack()
    await _open_modal(
        request.client, deps, learning_set, trigger_id=str(request.body.get("trigger_id") or ""), topic=current
    )


async def _open_modal(
    client: AsyncWebClient, deps: Deps, learning_set: LearningSet, *, trigger_id: str, topic: str
) -> None:
    view = build_bid_modal(
        meeting=_meeting(learning_set, deps),
        set_name=learning_set.name,
        topic=topic,
        private_metadata=write_metadata(channel=learning_set.channel_id),
    )
    await client.views_open(trigger_id=trigger_id, view=view)


async def handle_bid_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    channel = body.get("channel") if isinstance(body.get("channel"), dict) else {}
    channel_id = str((channel or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
    try:
        async with deps.db.read() as uow:
            learning_set = await uow.sets.get_by_channel(team_id, channel_id)
            if learning_set is None:
                raise Refused("That set no longer exists.")
            current = await my_bid(uow, learning_set=learning_set, user_id=user_id)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    await _open_modal(client, deps, learning_set, trigger_id=str(body.get("trigger_id") or ""), topic=current)


async def handle_bid_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    topic = tidy(field_value(state_values(body), BlockId.BID_TOPIC, ActionId.BID_TOPIC))
    problem = bid_error(topic)
    if problem:
        await ack(response_action="errors", errors={BlockId.BID_TOPIC.value: problem})
        return
    channel_id = str(read_metadata(body).get("channel") or "")
    now = deps.clock.now()
    try:
        async with deps.db.write() as uow:
            learning_set = await uow.sets.get_by_channel(team_id, channel_id)
            if learning_set is None:
                raise Refused("That set no longer exists.")
            replaced = await save_bid(uow, learning_set=learning_set, user_id=user_id, topic=topic, now=now)
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Bid for time", text=refusal.message))
        return
    await ack()
    saved = build_bid_saved(topic=topic, meeting=_meeting(learning_set, deps), replaced=replaced)
    await client.chat_postEphemeral(channel=channel_id, user=user_id, text=saved.text, blocks=saved.blocks)
