"""The answer to `/als status`."""

from __future__ import annotations

from slack_sdk.models.blocks import HeaderBlock, SectionBlock

from bot.domain.sets import WEEKDAYS, SetSettings
from handlers.blocks.common import escape, mrkdwn, plain
from handlers.blocks.messages import Message
from handlers.blocks.sets import meeting_line


def build_status_message(settings: SetSettings, *, facilitator_id: str, member_ids: list[str]) -> Message:
    others = [m for m in member_ids if m != facilitator_id]
    members = ", ".join(f"<@{m}>" for m in others) or "nobody besides the facilitator yet"
    prompt = f"{WEEKDAYS[settings.prompt_weekday]}s at {settings.prompt_time.strftime('%H:%M')}"
    lines = [
        f"*{escape(settings.name)}*, facilitated by <@{facilitator_id}>",
        f"*Members ({len(others)}):* {members}",
        f"*Next meeting:* {meeting_line(settings)} ({settings.cadence.label.lower()})",
        f"*Weekly reflection prompt:* {prompt} ({settings.timezone.replace('_', ' ')})",
    ]
    text = "\n".join(lines)
    return Message.of(text, [HeaderBlock(text=plain("Set status")), SectionBlock(text=mrkdwn(text))])
