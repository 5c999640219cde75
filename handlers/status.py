"""`/als status`: where the set stands, for the person asking."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.services.sets import stored_settings
from handlers.blocks.status import build_status_message
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.ids import COMMAND


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "status",
            f"{COMMAND} status",
            "See where this set stands (only you see the answer).",
            run_status,
            SetNeed.REQUIRED,
        )
    )


async def run_status(request: CommandRequest) -> None:
    learning_set = request.learning_set
    assert learning_set is not None
    async with request.deps.db.read() as uow:
        members = await uow.sets.list_members(learning_set.id)
    message = build_status_message(
        stored_settings(learning_set, request.deps.clock.now()),
        facilitator_id=learning_set.facilitator_user_id,
        member_ids=[m.user_id for m in members],
    )
    await request.ack(text=message.text, blocks=message.blocks, response_type="ephemeral")
