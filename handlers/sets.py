"""`/als setup`, its modal, and keeping a set's members in step with its channel."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.deps import Deps
from bot.domain.people import Person
from bot.domain.permissions import Action, may
from bot.domain.sets import SettingField, SettingsForm, default_settings, size_advice, validate_settings
from bot.domain.timezones import search_timezones
from bot.services.authz import authorize, roles_of
from bot.services.errors import Refused
from bot.services.schedule import schedule_set
from bot.services.sets import save_set, stop_set, stored_settings
from bot.slack_api.people import get_person, sync_set_members
from handlers.blocks.common import build_notice_modal
from handlers.blocks.sets import (
    build_facilitator_only_message,
    build_members_unknown_message,
    build_not_a_channel_message,
    build_not_in_channel_message,
    build_set_created_message,
    build_set_saved_message,
    build_setup_modal,
    build_welcome_message,
)
from handlers.commands import CommandRequest, Commands, SetNeed, Subcommand
from handlers.forms import field_value, read_metadata, state_values, write_metadata
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId
from handlers.listener import listener

log = logging.getLogger("als.sets")

FIELD_BLOCKS: dict[SettingField, tuple[BlockId, ActionId]] = {
    SettingField.NAME: (BlockId.SET_NAME, ActionId.SET_NAME),
    SettingField.TIMEZONE: (BlockId.SET_TIMEZONE, ActionId.SET_TIMEZONE),
    SettingField.CADENCE: (BlockId.SET_CADENCE, ActionId.SET_CADENCE),
    SettingField.MEETING_DATE: (BlockId.SET_MEETING_DATE, ActionId.SET_MEETING_DATE),
    SettingField.MEETING_TIME: (BlockId.SET_MEETING_TIME, ActionId.SET_MEETING_TIME),
    SettingField.PROMPT_WEEKDAY: (BlockId.SET_PROMPT_WEEKDAY, ActionId.SET_PROMPT_WEEKDAY),
    SettingField.PROMPT_TIME: (BlockId.SET_PROMPT_TIME, ActionId.SET_PROMPT_TIME),
    SettingField.LEAD_DAYS: (BlockId.SET_LEAD_DAYS, ActionId.SET_LEAD_DAYS),
    SettingField.PAUSED_UNTIL: (BlockId.SET_PAUSED_UNTIL, ActionId.SET_PAUSED_UNTIL),
    SettingField.GROUND_RULES: (BlockId.SET_GROUND_RULES, ActionId.SET_GROUND_RULES),
    SettingField.RETENTION: (BlockId.SET_RETENTION, ActionId.SET_RETENTION),
}
NOT_IN_CHANNEL_ERRORS = frozenset({"channel_not_found", "not_in_channel"})


def register(app: AsyncApp, commands: Commands) -> None:
    commands.add(
        Subcommand(
            "setup",
            f"{COMMAND} setup",
            "Make this channel an action learning set, or change its settings (facilitator).",
            run_setup,
            SetNeed.OPTIONAL,
        )
    )
    app.view(CallbackId.SETUP)(listener(handle_setup_submission))
    app.options(ActionId.SET_TIMEZONE)(listener(handle_timezone_options))
    app.event("member_joined_channel")(listener(handle_member_joined))
    app.event("member_left_channel")(listener(handle_member_left))
    app.event("channel_archive")(listener(handle_channel_ended))
    app.event("channel_deleted")(listener(handle_channel_ended))
    app.event("group_archive")(listener(handle_channel_ended))
    app.event("group_deleted")(listener(handle_channel_ended))
    app.event("channel_unarchive")(listener(handle_channel_back))
    app.event("group_unarchive")(listener(handle_channel_back))


async def run_setup(request: CommandRequest) -> None:
    learning_set = request.learning_set
    if learning_set is not None:
        try:
            async with request.deps.db.read() as uow:
                await authorize(uow, Action.SETUP, learning_set=learning_set, user_id=request.user_id)
        except Refused as refusal:
            await request.reply(refusal.message)
            return
    if request.channel_id.startswith("D"):
        await request.reply(build_not_a_channel_message())
        return
    await request.ack()
    deps, client, now = request.deps, request.client, request.deps.clock.now()
    channel, person = await asyncio.gather(
        client.conversations_info(channel=request.channel_id),
        get_person(client, deps.db, team_id=request.team_id, user_id=request.user_id, now=now),
        return_exceptions=True,
    )
    if isinstance(channel, SlackApiError) and channel.response.get("error") in NOT_IN_CHANNEL_ERRORS:
        await _respond(request, build_not_in_channel_message())
        return
    if isinstance(channel, BaseException):
        raise channel
    info: dict[str, Any] = channel.get("channel") or {}
    if info.get("is_im") or info.get("is_mpim"):
        await _respond(request, build_not_a_channel_message())
        return
    if not info.get("is_member"):
        await _respond(request, build_not_in_channel_message())
        return
    tz = person.tz if isinstance(person, Person) else None
    settings = (
        stored_settings(learning_set, now)
        if learning_set is not None
        else default_settings(channel_name=str(request.body.get("channel_name") or ""), timezone=tz, now=now)
    )
    view = build_setup_modal(
        settings,
        editing=learning_set is not None,
        now=now,
        private_metadata=write_metadata(channel=request.channel_id),
    )
    try:
        await client.views_open(trigger_id=str(request.body.get("trigger_id") or ""), view=view)
    except SlackApiError as exc:
        if exc.response.get("error") != "expired_trigger_id":
            raise
        await request.respond(
            text=f"Slack was too slow to open the form. Please run `{COMMAND} setup` again.",
            response_type="ephemeral",
        )


async def _respond(request: CommandRequest, message: Any) -> None:
    await request.respond(text=message.text, blocks=message.blocks, response_type="ephemeral")


def read_settings_form(body: dict[str, Any]) -> SettingsForm:
    values = state_values(body)
    fields = {field.value: field_value(values, *ids) for field, ids in FIELD_BLOCKS.items()}
    return SettingsForm(**fields)


async def handle_setup_submission(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, deps: Deps) -> None:
    now = deps.clock.now()
    channel_id = read_metadata(body).get("channel")
    user = body.get("user") or {}
    user_id, team_id = (
        str(user.get("id") or ""),
        str((body.get("team") or {}).get("id") or user.get("team_id") or ""),
    )
    if not isinstance(channel_id, str) or not channel_id or not user_id or not team_id:
        notice = build_notice_modal(title="Form out of date", text=f"Please run `{COMMAND} setup` again.")
        await ack(response_action="update", view=notice)
        return
    result = validate_settings(read_settings_form(body), now=now)
    if isinstance(result, dict):
        await ack(response_action="errors", errors={FIELD_BLOCKS[f][0].value: m for f, m in result.items()})
        return
    async with deps.db.write() as uow:
        existing = await uow.sets.get_by_channel(team_id, channel_id)
        refused = existing is not None and not may(
            Action.SETUP, await roles_of(uow, learning_set=existing, user_id=user_id)
        )
        if not refused:
            saved = await save_set(
                uow, team_id=team_id, channel_id=channel_id, caller_user_id=user_id, settings=result, now=now
            )
    if refused:
        assert existing is not None
        message = build_facilitator_only_message(existing.facilitator_user_id)
        await ack(response_action="update", view=build_notice_modal(title="Set settings", text=message.text))
        return
    await ack()

    try:
        humans = await sync_set_members(
            client, deps.db, team_id=team_id, set_id=saved.set_id, channel_id=channel_id, now=now
        )
    except SlackApiError as exc:
        log.warning("could not read the members of a new set's channel: %s", exc.response.get("error"))
        message = build_members_unknown_message()
        await client.chat_postEphemeral(channel=channel_id, user=user_id, text=message.text, blocks=message.blocks)
        return
    member_ids = [p.user_id for p in humans]
    besides = len([m for m in member_ids if m != saved.facilitator_user_id])
    if saved.created:
        announcement = build_set_created_message(
            result, facilitator_id=saved.facilitator_user_id, member_ids=member_ids
        )
        await client.chat_postMessage(channel=channel_id, text=announcement.text, blocks=announcement.blocks)
    confirmation = build_set_saved_message(
        result, created=saved.created, member_count=besides, size_note=size_advice(besides)
    )
    await client.chat_postEphemeral(
        channel=channel_id, user=user_id, text=confirmation.text, blocks=confirmation.blocks
    )


async def handle_timezone_options(ack: AsyncAck, body: dict[str, Any], deps: Deps) -> None:
    query = body.get("value")
    matches = search_timezones(query if isinstance(query, str) else "", deps.clock.now())
    await ack(options=[{"text": {"type": "plain_text", "text": label[:75]}, "value": tz} for tz, label in matches])


async def handle_member_joined(
    body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext, deps: Deps
) -> None:
    event = body.get("event") or {}
    user_id, channel_id = str(event.get("user") or ""), str(event.get("channel") or "")
    team_id = str(body.get("team_id") or event.get("team") or "")
    now = deps.clock.now()
    async with deps.db.read() as uow:
        learning_set = await uow.sets.get_by_channel(team_id, channel_id)
    if learning_set is None or not user_id:
        return
    if user_id == context.bot_user_id:  # the app was added back: whoever came and went meanwhile
        await sync_set_members(client, deps.db, team_id=team_id, set_id=learning_set.id, channel_id=channel_id, now=now)
        return
    person = await get_person(client, deps.db, team_id=team_id, user_id=user_id, now=now)
    if not person.is_human:
        return
    async with deps.db.write() as uow:
        joined = await uow.sets.add_member(learning_set.id, user_id, now)
    if joined:
        welcome = build_welcome_message(learning_set.name)
        await client.chat_postEphemeral(channel=channel_id, user=user_id, text=welcome.text, blocks=welcome.blocks)


def _channel_of(body: dict[str, Any]) -> tuple[str, str]:
    event = body.get("event") if isinstance(body.get("event"), dict) else {}
    channel = (event or {}).get("channel")
    channel_id = channel.get("id") if isinstance(channel, dict) else channel
    return str(body.get("team_id") or ""), str(channel_id or "")


async def handle_channel_ended(body: dict[str, Any], deps: Deps) -> None:
    """An archived or deleted channel's set stops: no prompts, reminders, reviews or digests."""
    team_id, channel_id = _channel_of(body)
    async with deps.db.write() as uow:
        learning_set = await uow.sets.get_by_channel(team_id, channel_id)
        if learning_set is not None:
            stop_set(learning_set, now=deps.clock.now())


async def handle_channel_back(body: dict[str, Any], deps: Deps) -> None:
    team_id, channel_id = _channel_of(body)
    async with deps.db.write() as uow:
        learning_set = await uow.sets.get_by_channel(team_id, channel_id)
        if learning_set is not None and learning_set.archived_at is not None:
            learning_set.archived_at = None
            await schedule_set(uow, learning_set, now=deps.clock.now())


async def handle_member_left(body: dict[str, Any], deps: Deps) -> None:
    event = body.get("event") or {}
    user_id, channel_id = str(event.get("user") or ""), str(event.get("channel") or "")
    team_id = str(body.get("team_id") or event.get("team") or "")
    async with deps.db.write() as uow:
        learning_set = await uow.sets.get_by_channel(team_id, channel_id)
        if learning_set is not None:
            await uow.sets.end_membership(learning_set.id, user_id, deps.clock.now())
