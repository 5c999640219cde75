"""Asking: `/als ask` and the round's button open the question modal; coaching happens in the
modal before anything is posted; askers can edit or withdraw their question until it is answered."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.domain.questions import QuestionKind, coach_question
from bot.domain.rounds import Phase, default_round_for_asker, question_error, tidy
from bot.services.errors import Refused
from bot.services.rounds import (
    ask_question,
    check_can_ask,
    check_own_question,
    edit_question,
    load_question,
    load_round,
    require_member,
    withdraw_question,
)
from bot.slack_api.people import get_person
from handlers.blocks.common import build_notice_modal
from handlers.blocks.round_modals import AskChoice, build_ask_modal, build_withdraw_modal
from handlers.blocks.rounds import build_question_message
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, row_id, selected_values, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import action_id_value, actor, metadata_id
from handlers.rounds.publish import post_in_thread, question_info, refresh_root, update_in_thread
from storage.models import Round

NO_ROUND_OPEN = (
    f"No round is open for questions in this set right now. To bring a problem of your own, run `{COMMAND} present`."
)
ONLY_YOURS_OPEN = "The only round open right now is yours: the others ask, and you answer in its thread."


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(Subcommand("ask", f"{COMMAND} ask", "Ask a question in an open round.", run_ask, SetNeed.REQUIRED))
    app.action(ActionId.ASK_BUTTON)(listener(handle_ask_button))
    app.action(ActionId.EDIT)(listener(handle_edit_button))
    app.action(ActionId.WITHDRAW)(listener(handle_withdraw_button))
    app.view(CallbackId.ASK)(listener(handle_ask_submission))
    app.view(CallbackId.WITHDRAW)(listener(handle_withdraw_submission))


async def _choices(client: AsyncWebClient, deps: Deps, team_id: str, rounds: list[Round]) -> list[AskChoice]:
    now = deps.clock.now()
    choices = []
    for r in rounds:
        person = await get_person(client, deps.db, team_id=team_id, user_id=r.presenter_user_id, now=now)
        choices.append(
            AskChoice(
                id=r.id, presenter_name=person.display_name or "A member", problem=r.problem, phase=Phase(r.phase)
            )
        )
    return choices


async def run_ask(request: CommandRequest) -> None:
    learning_set, deps = request.learning_set, request.deps
    assert learning_set is not None
    async with deps.db.read() as uow:
        try:
            await require_member(uow, learning_set, request.user_id, Action.ASK)
        except Refused as refusal:
            await request.reply(refusal.message)
            return
        open_rounds = list(await uow.rounds.list_open(learning_set.id))
    others = [r for r in open_rounds if r.presenter_user_id != request.user_id]
    if not others:
        await request.reply(ONLY_YOURS_OPEN if open_rounds else NO_ROUND_OPEN)
        return
    await request.ack()
    selected = default_round_for_asker([(r.id, r.presenter_user_id) for r in others], request.user_id)
    assert selected is not None
    view = build_ask_modal(
        choices=await _choices(request.client, deps, request.team_id, others),
        selected=selected,
        private_metadata=write_metadata(set=learning_set.id),
    )
    await open_form(
        request.client,
        deps,
        trigger_id=str(request.body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=request.user_id,
        view=view,
    )


async def handle_ask_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    round_id = action_id_value(body)
    try:
        async with deps.db.read() as uow:
            round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
            await check_can_ask(uow, round_=round_, learning_set=learning_set, asker_id=user_id)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_ask_modal(
        choices=await _choices(client, deps, team_id, [round_]),
        selected=round_.id,
        private_metadata=write_metadata(set=learning_set.id, round=round_.id),
    )
    await open_form(
        client,
        deps,
        trigger_id=str(body.get("trigger_id") or ""),
        learning_set=learning_set,
        user_id=user_id,
        view=view,
    )


async def handle_edit_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.read() as uow:
            question, round_, learning_set = await load_question(
                uow, team_id=team_id, question_id=action_id_value(body)
            )
            await check_own_question(uow, learning_set, question, user_id, Action.EDIT_QUESTION)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_ask_modal(
        choices=await _choices(client, deps, team_id, [round_]),
        selected=round_.id,
        text=question.text,
        editing=True,
        private_metadata=write_metadata(set=learning_set.id, round=round_.id, question=question.id),
    )
    await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)


async def handle_ask_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    values, metadata = state_values(body), read_metadata(body)
    picked = field_value(values, BlockId.ASK_ROUND, ActionId.ASK_ROUND)
    round_id = metadata_id(metadata, "round") or row_id(picked) or None
    question_id = metadata_id(metadata, "question")
    editing = question_id != 0
    text = tidy(field_value(values, BlockId.QUESTION, ActionId.QUESTION))
    problem = question_error(text)
    if problem or not isinstance(round_id, int):
        await ack(response_action="errors", errors={BlockId.QUESTION.value: problem or "Pick a round."})
        return
    coaching = coach_question(text)
    as_is = "as_is" in selected_values(values, BlockId.AS_IS, ActionId.AS_IS)
    needs_coaching = coaching.kind != QuestionKind.OPEN and not as_is
    coached = bool(metadata.get("coached")) or as_is
    now = deps.clock.now()
    try:
        async with deps.db.write() as uow:
            round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
            if needs_coaching:
                if not editing:  # refuse now (say, a presenter asking in their own round), not after coaching
                    await check_can_ask(uow, round_=round_, learning_set=learning_set, asker_id=user_id)
                posted = None
            elif editing:
                posted = await edit_question(
                    uow,
                    team_id=team_id,
                    question_id=question_id,
                    user_id=user_id,
                    text=text,
                    kind=coaching.kind.value,
                    coached=coached,
                    now=now,
                )
            else:
                posted = await ask_question(
                    uow,
                    team_id=team_id,
                    round_id=round_id,
                    asker_id=user_id,
                    text=text,
                    kind=coaching.kind.value,
                    coached=coached,
                    now=now,
                )
            channel = learning_set.channel_id
    except Refused as refusal:
        await ack(response_action="errors", errors={BlockId.QUESTION.value: refusal.message})
        return
    if posted is None:
        view = build_ask_modal(
            choices=await _choices(client, deps, team_id, [round_]),
            selected=round_.id,
            text=text,
            coaching=coaching,
            editing=editing,
            private_metadata=write_metadata(**{**metadata, "round": round_.id, "coached": 1}),
        )
        await ack(response_action="update", view=view)
        return
    await ack()
    message = build_question_message(question_info(posted))
    if editing:
        await update_in_thread(client, channel=channel, ts=posted.message_ts, message=message)
        return
    ts = await post_in_thread(client, deps.db, team_id=team_id, round_id=round_id, message=message)
    async with deps.db.write() as uow:
        found = await uow.rounds.get_question(team_id, posted.id)
        if found is not None:
            found[0].message_ts = ts
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_id)


async def handle_withdraw_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    try:
        async with deps.db.read() as uow:
            question, _, learning_set = await load_question(uow, team_id=team_id, question_id=action_id_value(body))
            await check_own_question(uow, learning_set, question, user_id, Action.WITHDRAW_QUESTION)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    view = build_withdraw_modal(question_info(question), private_metadata=write_metadata(question=question.id))
    await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)


async def handle_withdraw_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    question_id = metadata_id(read_metadata(body), "question")
    try:
        async with deps.db.write() as uow:
            question = await withdraw_question(
                uow, team_id=team_id, question_id=question_id, user_id=user_id, now=deps.clock.now()
            )
            round_, learning_set = await load_round(uow, team_id=team_id, round_id=question.round_id)
            channel, ts = learning_set.channel_id, question.message_ts
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Withdraw question", text=refusal.message))
        return
    await ack()
    if ts is not None:
        try:
            await client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as exc:
            if exc.response.get("error") != "message_not_found":
                raise
    await refresh_root(client, deps.db, team_id=team_id, round_id=round_.id)
