"""`/als status`: where the set stands, for the person asking."""

from __future__ import annotations

from functools import partial

from slack_bolt.async_app import AsyncApp

from bot.domain.rounds import Phase, QuestionStatus
from bot.services.sets import stored_settings
from handlers.blocks.help import build_not_a_set_message
from handlers.blocks.rounds import QuestionInfo, RoundInfo
from handlers.blocks.status import StatusInfo, build_status_message
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.ids import COMMAND
from storage.status import RoundRow, read_channel_status


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "status",
            f"{COMMAND} status",
            "See where this set stands (only you see the answer).",
            run_status,
            SetNeed.FOUND_IN_ITS_READ,
        )
    )


async def run_status(request: CommandRequest) -> None:
    viewer = request.user_id
    found = await request.deps.db.read_rows(
        partial(read_channel_status, team_id=request.team_id, channel_id=request.channel_id, viewer_id=viewer)
    )
    if found is None:
        await request.reply(build_not_a_set_message(request.subcommand))
        return
    learning_set, rows = found
    latest = rows.latest_own
    message = build_status_message(
        StatusInfo(
            settings=stored_settings(learning_set, request.deps.clock.now()),
            facilitator_id=learning_set.facilitator_user_id,
            member_ids=rows.member_ids,
            viewer_id=viewer,
            open_rounds=[_round_info(r) for r in rows.open_rounds],
            own_unanswered=[
                QuestionInfo(
                    id=q.id, asker_id=q.asker_id, text=q.text, phase=Phase(q.phase), status=QuestionStatus(q.status)
                )
                for q in rows.own_unanswered
            ],
            own_reflecting=[_round_info(latest)] if latest is not None and latest.phase == Phase.REFLECTING else [],
            commitments=rows.commitments,
        )
    )
    await request.reply(message)


def _round_info(row: RoundRow) -> RoundInfo:
    return RoundInfo(
        id=row.id,
        presenter_id=row.presenter_id,
        problem=row.problem,
        phase=Phase(row.phase),
        asked=row.asked,
        answered=row.answered,
    )
