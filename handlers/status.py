"""`/als status`: where the set stands, for the person asking."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.domain.rounds import Phase, QuestionStatus
from bot.services.sets import stored_settings
from handlers.blocks.status import StatusInfo, build_status_message
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.ids import COMMAND
from handlers.rounds.publish import info_of_round, question_info


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
    learning_set, viewer = request.learning_set, request.user_id
    assert learning_set is not None
    async with request.deps.db.read() as uow:
        members = await uow.sets.list_members(learning_set.id)
        open_rounds = []
        own_unanswered = []
        for round_, counts in await uow.rounds.list_open_with_counts(learning_set.id):
            open_rounds.append(info_of_round(round_, asked=counts.asked, answered=counts.answered))
            if round_.presenter_user_id == viewer:
                own_unanswered = [
                    question_info(q)
                    for q in await uow.rounds.list_questions(round_.id)
                    if q.status != QuestionStatus.ANSWERED
                ]
        latest = await uow.rounds.get_latest_of(learning_set.id, viewer)
        commitments = [(c.action, c.due_date) for c in await uow.commitments.list_open_in_set(learning_set.id, viewer)]
    reflecting = [info_of_round(latest)] if latest is not None and latest.phase == Phase.REFLECTING else []
    message = build_status_message(
        StatusInfo(
            settings=stored_settings(learning_set, request.deps.clock.now()),
            facilitator_id=learning_set.facilitator_user_id,
            member_ids=[m.user_id for m in members],
            viewer_id=viewer,
            open_rounds=open_rounds,
            own_unanswered=own_unanswered,
            own_reflecting=reflecting,
            commitments=commitments,
        )
    )
    await request.reply(message)
