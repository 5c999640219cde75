"""Keeping a round's messages in Slack in step with the database.

The root message is re-rendered from the database each time something changes. If someone deleted
it in Slack, it is posted again (and its new timestamp kept), so the round goes on working.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain.questions import QuestionKind
from bot.domain.rounds import HelpWanted, Phase, QuestionStatus
from bot.services.rounds import RoundView, round_view
from handlers.blocks.messages import Message
from handlers.blocks.rounds import QuestionInfo, RoundInfo, build_round_message
from storage.database import Database
from storage.models import Question, Round

log = logging.getLogger("als.rounds")

GONE = frozenset({"message_not_found", "thread_not_found"})


def round_info(view: RoundView) -> RoundInfo:
    return info_of_round(view.round, asked=view.counts.asked, answered=view.counts.answered)


def info_of_round(round_: Round, *, asked: int = 0, answered: int = 0) -> RoundInfo:
    return RoundInfo(
        id=round_.id,
        presenter_id=round_.presenter_user_id,
        problem=round_.problem,
        phase=Phase(round_.phase),
        asked=asked,
        answered=answered,
        context=round_.context,
        why_it_matters=round_.why_it_matters,
        tried=round_.tried,
        success=round_.success,
        help_wanted=tuple(HelpWanted(h) for h in round_.help_wanted.split(",") if h in HelpWanted.__members__.values()),
    )


def question_info(q: Question) -> QuestionInfo:
    return QuestionInfo(
        id=q.id,
        asker_id=q.asker_user_id,
        text=q.text,
        phase=Phase(q.phase),
        status=QuestionStatus(q.status),
        golden=q.golden,
        kind=QuestionKind(q.kind),
    )


async def post_root(client: AsyncWebClient, db: Database, *, team_id: str, round_id: int) -> str:
    async with db.read() as uow:
        view = await round_view(uow, team_id=team_id, round_id=round_id)
    message = build_round_message(round_info(view))
    response = await client.chat_postMessage(
        channel=view.learning_set.channel_id, text=message.text, blocks=message.blocks
    )
    ts = str(response["ts"])
    async with db.write() as uow:
        found = await uow.rounds.get(team_id, round_id)
        if found is not None:
            found[0].root_ts = ts
    return ts


async def refresh_root(client: AsyncWebClient, db: Database, *, team_id: str, round_id: int) -> None:
    """Show the round's current state on its root message (posting it again if it was deleted)."""
    async with db.read() as uow:
        view = await round_view(uow, team_id=team_id, round_id=round_id)
    if view.round.root_ts is None:
        await post_root(client, db, team_id=team_id, round_id=round_id)
        return
    message = build_round_message(round_info(view))
    try:
        await client.chat_update(
            channel=view.learning_set.channel_id, ts=view.round.root_ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as exc:
        if exc.response.get("error") not in GONE:
            raise
        log.info("the root message of round %s was deleted; posting it again", round_id)
        await post_root(client, db, team_id=team_id, round_id=round_id)


async def post_in_thread(client: AsyncWebClient, db: Database, *, team_id: str, round_id: int, message: Message) -> str:
    """Post a reply in the round's thread; returns its timestamp."""
    async with db.read() as uow:
        view = await round_view(uow, team_id=team_id, round_id=round_id)
    root_ts = view.round.root_ts or await post_root(client, db, team_id=team_id, round_id=round_id)
    channel = view.learning_set.channel_id
    try:
        response = await client.chat_postMessage(
            channel=channel, thread_ts=root_ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as exc:
        if exc.response.get("error") not in GONE:
            raise
        root_ts = await post_root(client, db, team_id=team_id, round_id=round_id)
        response = await client.chat_postMessage(
            channel=channel, thread_ts=root_ts, text=message.text, blocks=message.blocks
        )
    return str(response["ts"])


async def update_in_thread(client: AsyncWebClient, *, channel: str, ts: str | None, message: Message) -> None:
    """Update one of the app's thread messages; one that was deleted in Slack stays deleted."""
    if ts is None:
        return
    try:
        await client.chat_update(channel=channel, ts=ts, text=message.text, blocks=message.blocks)
    except SlackApiError as exc:
        if exc.response.get("error") not in GONE:
            raise
