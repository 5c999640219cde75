"""Weekly reflections: "Add my reflection" (on the prompt or its nudge), the modal, and sending the
reflection exactly where its writer chose: the prompt's thread, the facilitator, or nowhere."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.reflection import Visibility, reflection_error
from bot.services.errors import Refused
from bot.services.reflections import load_prompt, record_reflection
from handlers.blocks.common import build_notice_modal
from handlers.blocks.reflections import (
    build_reflection_for_facilitator,
    build_reflection_modal,
    build_reflection_saved,
    build_shared_reflection,
)
from handlers.forms import field_value, read_metadata, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.home import publish_home
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import action_id_value, actor, metadata_id


def register(app: AsyncApp) -> None:
    app.action(ActionId.REFLECT_ON_PROMPT)(listener(handle_reflect_button))
    app.view(CallbackId.REFLECTION)(listener(handle_reflection_submission))


async def handle_reflect_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.read() as uow:
            prompt, learning_set = await load_prompt(
                uow, team_id=team_id, prompt_id=action_id_value(body), user_id=user_id
            )
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_reflection_modal(
        prompt=prompt.text, set_name=learning_set.name, private_metadata=write_metadata(prompt=prompt.id)
    )
    await open_form(
        client,
        deps,
        trigger_id=str(body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=user_id,
        view=view,
    )


async def handle_reflection_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    values = state_values(body)
    text = (field_value(values, BlockId.REFLECTION_TEXT, ActionId.REFLECTION_TEXT) or "").strip()
    problem = reflection_error(text)
    if problem:
        await ack(response_action="errors", errors={BlockId.REFLECTION_TEXT.value: problem})
        return
    try:
        visibility = Visibility(
            field_value(values, BlockId.REFLECTION_VISIBILITY, ActionId.REFLECTION_VISIBILITY) or ""
        )
    except ValueError:
        await ack(response_action="errors", errors={BlockId.REFLECTION_VISIBILITY.value: "Choose who may see it."})
        return
    try:
        async with deps.db.write() as uow:
            saved = await record_reflection(
                uow,
                team_id=team_id,
                prompt_id=metadata_id(read_metadata(body), "prompt"),
                user_id=user_id,
                text=text,
                visibility=visibility,
                now=deps.clock.now(),
            )
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Your reflection", text=refusal.message))
        return
    await ack()

    if visibility is Visibility.SET:
        message = build_shared_reflection(user_id=user_id, text=text)
        posted = await client.chat_postMessage(
            channel=saved.channel_id, thread_ts=saved.thread_ts, text=message.text, blocks=message.blocks
        )
        async with deps.db.write() as uow:
            await uow.reflections.set_message(saved.reflection_id, channel=saved.channel_id, ts=str(posted["ts"]))
    elif visibility is Visibility.FACILITATOR and saved.facilitator_id != user_id:
        message = build_reflection_for_facilitator(
            user_id=user_id, set_name=saved.set_name, prompt=saved.prompt_text, text=text
        )
        await client.chat_postMessage(channel=saved.facilitator_id, text=message.text, blocks=message.blocks)
    confirmation = build_reflection_saved(visibility)
    await client.chat_postEphemeral(
        channel=saved.channel_id, user=user_id, text=confirmation.text, blocks=confirmation.blocks
    )
    await publish_home(client, deps, team_id=team_id, user_id=user_id)
