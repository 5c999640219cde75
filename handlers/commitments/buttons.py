"""Done, Snooze 1 day, Update and Drop: from a reminder DM, the away summary or App Home. Each
records what happened and redraws the surface the button was on."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.commitments import CommitmentInfo
from bot.domain.reminders import NOTE_MAX, due_date_error
from bot.domain.rounds import long_text_error, tidy
from bot.domain.timezones import local_today, picked_date
from bot.services.commitments import Owned, drop, info_of, mark_done, member_tz, owned, record_update, snooze
from bot.services.errors import Refused
from handlers.blocks.commitments import (
    build_away_summary,
    build_celebration,
    build_drop_modal,
    build_reminder_outcome,
    build_update_modal,
)
from handlers.blocks.common import build_notice_modal
from handlers.forms import field_value, read_metadata, row_id, state_values, write_metadata
from handlers.home import publish_home
from handlers.ids import ActionId, BlockId, CallbackId
from handlers.listener import listener
from handlers.replies import tell
from handlers.rounds.common import actor, metadata_id
from handlers.rounds.publish import post_in_thread, update_in_thread

SURFACES = frozenset({"dm", "summary", "home"})


def register(app: AsyncApp) -> None:
    app.action(ActionId.DONE)(listener(handle_done))
    app.action(ActionId.SNOOZE)(listener(handle_snooze))
    app.action(ActionId.UPDATE)(listener(handle_update_button))
    app.action(ActionId.DROP)(listener(handle_drop_button))
    app.view(CallbackId.COMMITMENT_UPDATE)(listener(handle_update_submission))
    app.view(CallbackId.COMMITMENT_DROP)(listener(handle_drop_submission))


def _button(body: dict[str, Any]) -> tuple[int, str]:
    """(commitment id, surface) from the button's value "123:dm"."""
    actions = body.get("actions")
    value = actions[0].get("value") if isinstance(actions, list) and actions and isinstance(actions[0], dict) else ""
    head, _, surface = str(value or "").partition(":")
    ok = row_id(head) != 0 and surface in SURFACES
    return (row_id(head), surface) if ok else (0, "dm")


def _where(body: dict[str, Any]) -> dict[str, str]:
    """Where the button was: a message (its channel and ts) or a view."""
    container = body.get("container") if isinstance(body.get("container"), dict) else {}
    return {
        "channel": str((container or {}).get("channel_id") or ""),
        "ts": str((container or {}).get("message_ts") or ""),
    }


def _summary_ids(body: dict[str, Any]) -> list[int]:
    """The commitments an away summary lists, read from its buttons."""
    message = body.get("message") if isinstance(body.get("message"), dict) else {}
    blocks = (message or {}).get("blocks")
    ids: list[int] = []
    for block in blocks if isinstance(blocks, list) else []:
        elements = block.get("elements") if isinstance(block, dict) else None
        for element in elements if isinstance(elements, list) else []:
            if isinstance(element, dict) and element.get("action_id") == ActionId.DONE:
                head = row_id(str(element.get("value") or "").partition(":")[0])
                if head:
                    ids.append(head)
    return ids


async def redraw(
    client: AsyncWebClient,
    deps: Deps,
    *,
    team_id: str,
    user_id: str,
    surface: str,
    where: dict[str, str],
    info: CommitmentInfo,
    outcome: str,
    summary_ids: list[int],
) -> None:
    now = deps.clock.now()
    async with deps.db.read() as uow:
        tz = await member_tz(uow, team_id=team_id, user_id=user_id, fallback="UTC")
        listed = []
        for commitment_id in summary_ids if surface == "summary" else []:
            found = await uow.commitments.get(team_id, commitment_id)
            if found is not None and found[0].user_id == user_id:
                listed.append(await info_of(uow, *found))
    today = local_today(now, tz)
    if surface == "home":
        await publish_home(client, deps, team_id=team_id, user_id=user_id)
    elif surface == "summary" and where["channel"] and where["ts"]:
        await update_in_thread(
            client, channel=where["channel"], ts=where["ts"], message=build_away_summary(listed, today=today)
        )
    elif where["channel"] and where["ts"]:
        await update_in_thread(
            client,
            channel=where["channel"],
            ts=where["ts"],
            message=build_reminder_outcome(info, outcome=outcome, today=today),
        )


async def _celebrate(client: AsyncWebClient, deps: Deps, found: Owned, info: CommitmentInfo, team_id: str) -> None:
    message = build_celebration(info)
    if found.commitment.round_id is not None:
        ts = await post_in_thread(client, deps.db, team_id=team_id, round_id=found.commitment.round_id, message=message)
    else:
        posted = await client.chat_postMessage(
            channel=found.learning_set.channel_id, text=message.text, blocks=message.blocks
        )
        ts = str(posted["ts"])
    async with deps.db.write() as uow:
        stored = await uow.commitments.get(team_id, found.commitment.id)
        if stored is not None:
            stored[0].celebration_ts = ts  # so that forgetting can find it


async def handle_done(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    commitment_id, surface = _button(body)
    try:
        async with deps.db.write() as uow:
            found = await mark_done(
                uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id, now=deps.clock.now()
            )
            info = await info_of(uow, found.commitment, found.learning_set)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    await redraw(
        client,
        deps,
        team_id=team_id,
        user_id=user_id,
        surface=surface,
        where=_where(body),
        info=info,
        outcome=":white_check_mark: *Done.* Well done: the set will hear about it.",
        summary_ids=_summary_ids(body),
    )
    await _celebrate(client, deps, found, info, team_id)


async def handle_snooze(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    user_id, team_id = actor(body)
    commitment_id, surface = _button(body)
    now = deps.clock.now()
    try:
        async with deps.db.write() as uow:
            found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
            tz = await member_tz(uow, team_id=team_id, user_id=user_id, fallback=found.learning_set.timezone)
            found = await snooze(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id, tz=tz, now=now)
            info = await info_of(uow, found.commitment, found.learning_set)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    await redraw(
        client,
        deps,
        team_id=team_id,
        user_id=user_id,
        surface=surface,
        where=_where(body),
        info=info,
        outcome=":zzz: Snoozed: I'll remind you again tomorrow at 09:00.",
        summary_ids=_summary_ids(body),
    )


async def _open_modal(
    body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps, *, dropping: bool
) -> None:
    user_id, team_id = actor(body)
    commitment_id, surface = _button(body)
    try:
        async with deps.db.read() as uow:
            found = await owned(uow, team_id=team_id, commitment_id=commitment_id, user_id=user_id)
            if found.commitment.status != "open":
                raise Refused(f"That commitment is already {found.commitment.status}.")
            info = await info_of(uow, found.commitment, found.learning_set)
    except Refused as refusal:
        await tell(body=body, client=client, respond=respond, text=refusal.message)
        return
    metadata = write_metadata(
        commitment=commitment_id, surface=surface, **_where(body), summary=",".join(str(i) for i in _summary_ids(body))
    )
    view = (
        build_drop_modal(info, private_metadata=metadata)
        if dropping
        else build_update_modal(info, private_metadata=metadata)
    )
    await client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)


async def handle_update_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    await _open_modal(body, client, respond, deps, dropping=False)


async def handle_drop_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, deps: Deps
) -> None:
    await ack()
    await _open_modal(body, client, respond, deps, dropping=True)


def _surface_of(metadata: dict[str, Any]) -> tuple[str, dict[str, str], list[int]]:
    surface = metadata.get("surface") if metadata.get("surface") in SURFACES else "dm"
    where = {"channel": str(metadata.get("channel") or ""), "ts": str(metadata.get("ts") or "")}
    summary = [i for i in map(row_id, str(metadata.get("summary") or "").split(",")) if i]
    return str(surface), where, summary


async def handle_update_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    values, metadata = state_values(body), read_metadata(body)
    what_happened = tidy(field_value(values, BlockId.WHAT_HAPPENED, ActionId.WHAT_HAPPENED))
    learned = tidy(field_value(values, BlockId.WHAT_LEARNED, ActionId.WHAT_LEARNED))
    raw_date = field_value(values, BlockId.NEW_DUE, ActionId.NEW_DUE)
    now = deps.clock.now()
    async with deps.db.read() as uow:
        tz = await member_tz(uow, team_id=team_id, user_id=user_id, fallback="UTC")
    new_due = picked_date(raw_date)
    date_problem = None
    if raw_date:
        date_problem = (
            due_date_error(new_due, today=local_today(now, tz)) if new_due else "Pick a date from the calendar."
        )
    errors = {
        block.value: message
        for block, message in (
            (BlockId.WHAT_HAPPENED, long_text_error(what_happened, limit=NOTE_MAX, required="Say what happened.")),
            (BlockId.WHAT_LEARNED, long_text_error(learned, limit=NOTE_MAX, required=None)),
            (BlockId.NEW_DUE, date_problem),
        )
        if message
    }
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    try:
        async with deps.db.write() as uow:
            found = await record_update(
                uow,
                team_id=team_id,
                commitment_id=metadata_id(metadata, "commitment"),
                user_id=user_id,
                what_happened=what_happened,
                learned=learned,
                new_due_date=new_due,
                tz=tz,
                now=now,
            )
            info = await info_of(uow, found.commitment, found.learning_set)
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Update commitment", text=refusal.message))
        return
    await ack()
    surface, where, summary = _surface_of(metadata)
    moved = f" New date: {info.due_date:%A %-d %B}." if new_due else ""
    await redraw(
        client,
        deps,
        team_id=team_id,
        user_id=user_id,
        surface=surface,
        where=where,
        info=info,
        outcome=f":memo: Update saved.{moved}",
        summary_ids=summary,
    )


async def handle_drop_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    user_id, team_id = actor(body)
    metadata = read_metadata(body)
    reason = tidy(field_value(state_values(body), BlockId.DROP_REASON, ActionId.DROP_REASON))
    problem = long_text_error(reason, limit=NOTE_MAX, required="Say why, in a few words: it helps you and the set.")
    if problem:
        await ack(response_action="errors", errors={BlockId.DROP_REASON.value: problem})
        return
    try:
        async with deps.db.write() as uow:
            found = await drop(
                uow,
                team_id=team_id,
                commitment_id=metadata_id(metadata, "commitment"),
                user_id=user_id,
                reason=reason,
                now=deps.clock.now(),
            )
            info = await info_of(uow, found.commitment, found.learning_set)
    except Refused as refusal:
        await ack(response_action="update", view=build_notice_modal(title="Drop commitment", text=refusal.message))
        return
    await ack()
    surface, where, summary = _surface_of(metadata)
    await redraw(
        client,
        deps,
        team_id=team_id,
        user_id=user_id,
        surface=surface,
        where=where,
        info=info,
        outcome="Dropped. Your reason is kept with the commitment.",
        summary_ids=summary,
    )
