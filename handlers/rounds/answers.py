"""The presenter's side of a question: answering it, still thinking, and golden questions."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.rounds import ANSWER_MAX, long_text_error, tidy
from bot.services.errors import Refused
from bot.services.rounds import (
    answer_question,
    check_presenter,
    check_unanswered,
    load_question,
    toggle_golden,
    toggle_still_thinking,
)
from handlers.blocks.common import build_notice_modal
from handlers.blocks.round_modals import build_answer_modal
from handlers.blocks.rounds import build_answer_message, build_question_message
from handlers.forms import field_value, read_metadata, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import action_id_value, actor, metadata_id
from handlers.rounds.publish import post_in_thread, question_info, refresh_root, update_in_thread


def register(app: AsyncApp) -> None:
    app.action(ActionId.ANSWER_BUTTON)(listener(handle_answer_button))
    app.action(ActionId.STILL_THINKING)(listener(handle_still_thinking))
    app.action(ActionId.GOLDEN)(listener(handle_golden))
    app.view(CallbackId.ANSWER)(listener(handle_answer_submission))


async def handle_answer_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.read() as uow:
            question, round_, learning_set = await load_question(
                uow, team_id=team_id, question_id=action_id_value(body)
            )
            await check_presenter(uow, learning_set, round_, user_id)
            check_unanswered(question)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_answer_modal(question_info(question), private_metadata=write_metadata(question=question.id))
    await open_form(
        client,
        deps,
        trigger_id=str(body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=user_id,
        view=view,
    )


async def handle_answer_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    answer = tidy(field_value(state_values(body), BlockId.ANSWER, ActionId.ANSWER))
    problem = long_text_error(answer, limit=ANSWER_MAX, required="Write your answer.")
    if problem:
        await ack(response_action="errors", errors={BlockId.ANSWER.value: problem})
        return
    try:
        async with deps.db.write() as uow:
            question = await answer_question(
                uow,
                team_id=team_id,
                question_id=metadata_id(read_metadata(body), "question"),
                user_id=user_id,
                answer=answer,
                now=deps.clock.now(),
            )
            _, round_, learning_set = await load_question(uow, team_id=team_id, question_id=question.id)
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Answer", text=refusal.message))
        return
    await ack()
    info = question_info(question)
    ts = await post_in_thread(
        client,
        deps.db,
        team_id=team_id,
        round_id=round_.id,
        message=build_answer_message(info, presenter_id=user_id, answer=answer),
    )
    async with deps.db.write() as uow:
        found = await uow.rounds.get_question(team_id, question.id)
        if found is not None:
            found[0].answer_ts = ts
    await update_in_thread(
        client, channel=learning_set.channel_id, ts=question.message_ts, message=build_question_message(info)
    )
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_.id)


async def _toggle(
    body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps, *, golden: bool
) -> None:
    user_id, team_id = actor(body)
    toggle = toggle_golden if golden else toggle_still_thinking
    try:
        async with deps.db.write() as uow:
            question = await toggle(uow, team_id=team_id, question_id=action_id_value(body), user_id=user_id)
            _, _, learning_set = await load_question(uow, team_id=team_id, question_id=question.id)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    await update_in_thread(
        client,
        channel=learning_set.channel_id,
        ts=question.message_ts,
        message=build_question_message(question_info(question)),
    )


async def handle_still_thinking(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    await _toggle(body, client, respond, deps, golden=False)


async def handle_golden(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    await _toggle(body, client, respond, deps, golden=True)
