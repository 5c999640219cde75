"""`/als export` (the facilitator: the set's history) and `/als export mine` (a member: their own
words), each sent by DM as a Markdown file and a JSON file through Slack's file upload flow."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.domain.export import Scope, SetHistory
from bot.domain.export_format import file_stem, render_json, render_markdown
from bot.services.errors import Refused
from bot.services.export import gather_history, may_export
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.ids import COMMAND

log = logging.getLogger("als.export")

PREPARING = "Preparing the export; it will arrive in a DM from me in a moment."
NOT_SENT = (
    "Sorry, Slack would not take the export files just now, so nothing was sent. "
    "Please try `{command}` again in a few minutes."
)
USAGE = f"`{COMMAND} export` sends the facilitator the set's history; `{COMMAND} export mine` sends you your own words."


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "export",
            f"{COMMAND} export [mine]",
            "Get the set's history by DM as Markdown and JSON files (facilitator); `mine`: just your own words.",
            run_export,
            SetNeed.REQUIRED,
        )
    )


def _comment(history: SetHistory) -> str:
    if history.scope is Scope.SET:
        return (
            f"Here is the history of *{history.set_name}*: a Markdown file to read and a JSON file for other "
            "tools. Weekly reflections are in it only where their writers shared them with the set."
        )
    return (
        f"Here is everything you wrote in *{history.set_name}*, private reflections included: a Markdown "
        "file to read and a JSON file for other tools. Only you have been sent it."
    )


async def run_export(request: CommandRequest) -> None:
    learning_set, deps = request.learning_set, request.deps
    assert learning_set is not None
    words = request.args.lower().split()
    if words not in ([], ["mine"]):
        await request.reply(USAGE)
        return
    scope = Scope.MINE if words else Scope.SET
    try:
        async with deps.db.read() as uow:
            await may_export(uow, learning_set=learning_set, user_id=request.user_id, scope=scope)
    except Refused as refusal:
        await request.reply(refusal.message)
        return
    await request.reply(PREPARING)
    client, user_id = request.client, request.user_id
    try:
        async with deps.db.read() as uow:
            history = await gather_history(
                uow, learning_set=learning_set, user_id=user_id, scope=scope, now=deps.clock.now()
            )
    except Refused as refusal:  # the set changed hands since the check above
        await client.chat_postEphemeral(channel=request.channel_id, user=user_id, text=refusal.message)
        return
    stem = file_stem(history)
    what = "the set's history" if scope is Scope.SET else "my words"
    try:
        opened = await client.conversations_open(users=user_id)
        await client.files_upload_v2(
            file_uploads=[
                {"content": render_markdown(history), "filename": f"{stem}.md", "title": f"{what} (Markdown)"},
                {"content": render_json(history), "filename": f"{stem}.json", "title": f"{what} (JSON)"},
            ],
            channel=str(opened["channel"]["id"]),
            initial_comment=_comment(history),
        )
    except SlackClientError as exc:
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("could not send an export: %s", error)
        command = f"{COMMAND} export" + (" mine" if scope is Scope.MINE else "")
        await client.chat_postEphemeral(channel=request.channel_id, user=user_id, text=NOT_SENT.format(command=command))
