"""`/als <subcommand>`: one Slack command, routed to the module that owns each subcommand."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from handlers.blocks.help import build_help_message, build_not_a_set_message, build_plain_message
from handlers.blocks.messages import Message
from handlers.ids import COMMAND
from handlers.listener import listener
from storage.models import LearningSet
from storage.repositories.sets import set_of_channel


@dataclass(frozen=True)
class CommandRequest:
    """A parsed `/als` call: who, where, the words after the subcommand, and the set if any."""

    ack: AsyncAck
    respond: AsyncRespond
    client: AsyncWebClient
    deps: Deps
    body: dict[str, Any]
    subcommand: str
    args: str
    team_id: str
    channel_id: str
    user_id: str
    learning_set: LearningSet | None

    async def reply(self, message: Message | str) -> None:
        """Acknowledge with a message only the caller sees."""
        if isinstance(message, str):
            message = build_plain_message(message)
        await self.ack(text=message.text, blocks=message.blocks, response_type="ephemeral")


RunSubcommand = Callable[[CommandRequest], Awaitable[None]]


class SetNeed(Enum):
    """Whether a subcommand works only in a set's channel, anywhere with the set if there is one, or
    without looking (help stays quick because it reads nothing). FOUND_IN_ITS_READ works only in a
    set's channel too, but finds the set itself, in the one transaction that reads all it shows
    (status, asked often: one read instead of two)."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"
    FOUND_IN_ITS_READ = "found in its read"


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    run: RunSubcommand
    set_need: SetNeed = SetNeed.REQUIRED


class Commands:
    """The subcommands in the order `/als help` lists them."""

    def __init__(self) -> None:
        self._by_name: dict[str, Subcommand] = {}
        self._help: Message | None = None

    def add(self, subcommand: Subcommand) -> None:
        if subcommand.name in self._by_name:
            raise ValueError(f"/als {subcommand.name} is registered twice")
        self._by_name[subcommand.name] = subcommand
        self._help = None

    def help_message(self) -> Message:
        """What `/als help` shows: the same for everyone, so built once."""
        if self._help is None:
            self._help = build_help_message(self.help_lines())
        return self._help

    def get(self, name: str) -> Subcommand | None:
        return self._by_name.get(name)

    def __iter__(self) -> Any:
        return iter(self._by_name.values())

    def help_lines(self) -> list[tuple[str, str]]:
        return [(s.usage, s.summary) for s in self]


def parse_command_text(text: str) -> tuple[str, str]:
    """('setup', 'rest of the words') from the text after `/als`."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return "", ""
    return words[0].lower(), (words[1].strip() if len(words) > 1 else "")


def register(app: AsyncApp, commands: Commands) -> None:
    async def show_help(request: CommandRequest) -> None:
        await request.reply(commands.help_message())

    commands.add(Subcommand("help", f"{COMMAND} help", "Show this list of commands.", show_help, SetNeed.NONE))

    @listener
    async def handle_als_command(
        ack: AsyncAck, respond: AsyncRespond, client: AsyncWebClient, body: dict[str, Any], deps: Deps
    ) -> None:
        name, args = parse_command_text(str(body.get("text") or ""))
        subcommand = commands.get(name)
        if subcommand is None:
            message = build_help_message(commands.help_lines(), unknown=name or None)
            await ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
            return
        team_id, channel_id = str(body.get("team_id") or ""), str(body.get("channel_id") or "")
        learning_set = None
        if subcommand.set_need in (SetNeed.REQUIRED, SetNeed.OPTIONAL):
            learning_set = await deps.db.read_rows(partial(set_of_channel, team_id=team_id, channel_id=channel_id))
        if subcommand.set_need is SetNeed.REQUIRED and learning_set is None:
            message = build_not_a_set_message(subcommand.name)
            await ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
            return
        await subcommand.run(
            CommandRequest(
                ack=ack,
                respond=respond,
                client=client,
                deps=deps,
                body=body,
                subcommand=name,
                args=args,
                team_id=team_id,
                channel_id=channel_id,
                user_id=str(body.get("user_id") or ""),
                learning_set=learning_set,
            )
        )

    app.command(COMMAND)(handle_als_command)
