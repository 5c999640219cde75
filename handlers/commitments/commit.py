"""`/als commit`: the modal, and the commitment posted where the set will see it."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.permissions import Action
from bot.domain.reminders import ACTION_MAX, DONE_LOOKS_LIKE_MAX, due_date_error
from bot.domain.rounds import long_text_error, tidy
from bot.domain.timezones import local_today, picked_date
from bot.services.commitments import info_of, make_commitment, member_tz
from bot.services.errors import Refused
from bot.services.rounds import require_member
from bot.slack_api.people import get_person
from handlers.blocks.commitments import NO_ROUND, build_commit_confirmation, build_commit_modal, build_commitment_post
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, row_id, state_values, write_metadata
from handlers.ground_rules import open_form
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.rounds.common import actor, metadata_id
from handlers.rounds.publish import post_in_thread

log = logging.getLogger("als.commitments")
ROUNDS_OFFERED = 5


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "commit",
            f"{COMMAND} commit",
            "Commit to an action before the next meeting; I'll remind you.",
            run_commit,
            SetNeed.REQUIRED,
        )
    )
    app.view(CallbackId.COMMIT)(listener(handle_commit_submission))


async def run_commit(request: CommandRequest) -> None:
    learning_set, deps = request.learning_set, request.deps
    assert learning_set is not None
    async with deps.db.read() as uow:
        try:
            await require_member(uow, learning_set, request.user_id, Action.COMMIT)
        except Refused as refusal:
            await request.reply(refusal.message)
            return
        rounds = await uow.rounds.list_of_presenter(learning_set.id, request.user_id, ROUNDS_OFFERED)
    await request.ack()
    now = deps.clock.now()
    person = await get_person(request.client, deps.db, team_id=request.team_id, user_id=request.user_id, now=now)
    today = local_today(now, person.tz or learning_set.timezone)
    meeting = local_today(learning_set.next_meeting_at, learning_set.timezone) if learning_set.next_meeting_at else None
    default_due = meeting if meeting is not None and meeting >= today else today + timedelta(days=14)
    view = build_commit_modal(
        set_name=learning_set.name,
        rounds=[(r.id, r.problem) for r in rounds],
        default_round=rounds[0].id if rounds else None,
        default_due=default_due,
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


class _Invalid(Exception):
    """Leaves the transaction (changing nothing) with the inline errors for the modal."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("invalid")
        self.errors = errors


async def handle_commit_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    values, set_id = state_values(body), metadata_id(read_metadata(body), "set")
    action = tidy(field_value(values, BlockId.COMMIT_ACTION, ActionId.COMMIT_ACTION))
    done_looks_like = tidy(field_value(values, BlockId.COMMIT_DONE_LOOKS_LIKE, ActionId.COMMIT_DONE_LOOKS_LIKE))
    due = picked_date(field_value(values, BlockId.COMMIT_DUE, ActionId.COMMIT_DUE))
    picked = field_value(values, BlockId.COMMIT_ROUND, ActionId.COMMIT_ROUND) or NO_ROUND
    round_id = row_id(picked) or None
    now = deps.clock.now()
    try:
        async with deps.db.write() as uow:
            learning_set = await uow.sets.get(team_id, set_id)
            if learning_set is None:
                raise Refused("This set no longer exists.")
            tz = await member_tz(uow, team_id=team_id, user_id=user_id, fallback=learning_set.timezone)
            errors = {
                block.value: message
                for block, message in (
                    (
                        BlockId.COMMIT_ACTION,
                        long_text_error(action, limit=ACTION_MAX, required="Say what you will do."),
                    ),
                    (BlockId.COMMIT_DUE, due_date_error(due, today=local_today(now, tz))),
                    (
                        BlockId.COMMIT_DONE_LOOKS_LIKE,
                        long_text_error(done_looks_like, limit=DONE_LOOKS_LIKE_MAX, required=None),
                    ),
                )
                if message
            }
            if errors:
                raise _Invalid(errors)
            assert due is not None
            commitment = await make_commitment(
                uow,
                learning_set=learning_set,
                user_id=user_id,
                round_id=round_id,
                action=action,
                done_looks_like=done_looks_like,
                due_date=due,
                tz=tz,
                now=now,
            )
            info = await info_of(uow, commitment, learning_set)
            lead_days, channel, linked_round = (
                learning_set.reminder_lead_days,
                learning_set.channel_id,
                commitment.round_id,
            )
    except _Invalid as invalid:
        await ack(response_action="errors", errors=invalid.errors)
        return
    except Refused as refusal:
        await ack(response_action="errors", errors={BlockId.COMMIT_ACTION.value: refusal.message})
        return
    await ack()
    post = build_commitment_post(info)
    try:
        if linked_round is not None:
            ts = await post_in_thread(client, deps.db, team_id=team_id, round_id=linked_round, message=post)
        else:
            ts = str((await client.chat_postMessage(channel=channel, text=post.text, blocks=post.blocks))["ts"])
        async with deps.db.write() as uow:
            found = await uow.commitments.get(team_id, info.id)
            if found is not None:
                found[0].message_channel, found[0].message_ts = channel, ts
    except SlackApiError as exc:  # the commitment is kept; only its announcement failed
        log.warning("could not post a commitment in its set: %s", exc.response.get("error"))
    confirmation = build_commit_confirmation(info, lead_days=lead_days, today=local_today(now, tz))
    await client.chat_postEphemeral(channel=channel, user=user_id, text=confirmation.text, blocks=confirmation.blocks)
