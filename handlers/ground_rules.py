"""The ground-rules gate: a member's first contribution to a set (presenting, asking, answering,
reflecting, committing) opens with the set's ground rules and an "I agree" box; once agreed, the
same modal turns into the form they asked for (`response_action: update`). Asked once per set."""

from __future__ import annotations

import json
import secrets
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.ground_rules import ground_rules_of
from handlers.blocks.common import build_notice_modal
from handlers.blocks.ground_rules import AGREE, build_ground_rules_modal
from handlers.forms import read_metadata, selected_values, state_values, write_metadata
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.rounds.common import actor
from storage.models import LearningSet, PendingForm


def register(app: AsyncApp) -> None:
    app.view(CallbackId.GROUND_RULES)(listener(handle_agreement))


async def open_form(
    client: AsyncWebClient,
    deps: Deps,
    *,
    trigger_id: str,
    learning_set: LearningSet,
    user_id: str,
    view: View | dict[str, Any],
    agreed: bool | None = None,
) -> None:
    """Open `view`, behind the set's ground rules if this member has not agreed to them yet
    (`agreed`, when the caller has read it already)."""
    if agreed is None:
        async with deps.db.read() as uow:
            agreed = await uow.ground_rules.has_agreed(learning_set.id, user_id)
    if agreed:
        await client.views_open(trigger_id=trigger_id, view=view)
        return
    token = secrets.token_urlsafe(24)
    async with deps.db.write() as uow:
        await uow.ground_rules.hold_form(
            PendingForm(
                token=token,
                team_id=learning_set.team_id,
                user_id=user_id,
                set_id=learning_set.id,
                view=json.dumps(view.to_dict() if isinstance(view, View) else view),
                created_at=deps.clock.now(),
            )
        )
    rules = build_ground_rules_modal(
        set_name=learning_set.name,
        rules=ground_rules_of(learning_set.ground_rules),
        private_metadata=write_metadata(form=token),
    )
    await client.views_open(trigger_id=trigger_id, view=rules)


async def handle_agreement(ack: AsyncAck, body: dict[str, Any], deps: Deps) -> None:
    user_id, team_id = actor(body)
    if AGREE not in selected_values(state_values(body), BlockId.GROUND_RULES_AGREE, ActionId.GROUND_RULES_AGREE):
        await ack(
            response_action="errors",
            errors={BlockId.GROUND_RULES_AGREE.value: "Tick the box to agree, or cancel if you would rather not."},
        )
        return
    token = read_metadata(body).get("form")
    async with deps.db.write() as uow:
        form = (
            await uow.ground_rules.take_form(token, team_id=team_id, user_id=user_id)
            if isinstance(token, str) and token
            else None
        )
        if form is not None:
            await uow.ground_rules.agree(form.set_id, user_id, deps.clock.now())
    if form is None:
        notice = build_notice_modal(
            title="Ground rules", text=f"This form is out of date. Please use `{COMMAND}` again."
        )
        await ack(response_action="update", view=notice)
        return
    view = json.loads(form.view)
    view.pop("id", None)
    await ack(response_action="update", view=view)
