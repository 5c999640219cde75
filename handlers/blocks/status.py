"""The answer to `/als status`: the set, its open rounds, and what is waiting for the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.models.blocks import DividerBlock, HeaderBlock

from bot.domain.sets import WEEKDAYS, SetSettings
from handlers.blocks.common import clip, context_block, escape, plain, section_block
from handlers.blocks.messages import Message
from handlers.blocks.rounds import QuestionInfo, RoundInfo, state_line
from handlers.blocks.sets import meeting_line
from handlers.ids import COMMAND, ActionId

UNANSWERED_SHOWN = 10
ROUNDS_SHOWN = 10


@dataclass(frozen=True)
class StatusInfo:
    settings: SetSettings
    facilitator_id: str
    member_ids: list[str]
    viewer_id: str
    open_rounds: list[RoundInfo] = field(default_factory=list)
    own_unanswered: list[QuestionInfo] = field(default_factory=list)
    own_reflecting: list[RoundInfo] = field(default_factory=list)
    commitments: list[tuple[str, date]] = field(default_factory=list)  # the caller's open ones, verbatim


def build_status_message(status: StatusInfo) -> Message:
    settings = status.settings
    others = [m for m in status.member_ids if m != status.facilitator_id]
    members = ", ".join(f"<@{m}>" for m in others) or "nobody besides the facilitator yet"
    prompt = f"{WEEKDAYS[settings.prompt_weekday]}s at {settings.prompt_time.strftime('%H:%M')}"
    overview = "\n".join(
        [
            f"*{escape(settings.name)}*, facilitated by <@{status.facilitator_id}>",
            f"*Members ({len(others)}):* {members}",
            f"*Next meeting:* {meeting_line(settings)} ({settings.cadence.label.lower()})",
            f"*Weekly reflection prompt:* {prompt} ({settings.timezone.replace('_', ' ')})",
        ]
    )
    blocks: list[dict[str, Any]] = [_HEADER, section_block(overview), _DIVIDER]
    text_lines = [overview]
    own = next((r for r in status.open_rounds if r.presenter_id == status.viewer_id), None)
    if own is not None:
        line = f"*Your round:* {escape(own.problem)}\n{state_line(own)}"
        blocks.append(section_block(line, _button("Close questions", ActionId.CLOSE, own.id)))
        text_lines.append(f"Your round: {own.problem}")
        for q in status.own_unanswered[:UNANSWERED_SHOWN]:
            text = f"<@{q.asker_id}> asked: {escape(q.text)}"
            blocks.append(section_block(text, _button("Answer", ActionId.ANSWER_BUTTON, q.id)))
            text_lines.append(f"Waiting for your answer: {clip(q.text, 200)}")
        if len(status.own_unanswered) > UNANSWERED_SHOWN:
            more = len(status.own_unanswered) - UNANSWERED_SHOWN
            blocks.append(context_block(f"…and {more} more waiting in the round's thread."))
    for r in status.own_reflecting:
        text = f"*Waiting for your reflection:* {escape(r.problem)}"
        blocks.append(section_block(text, _button("Reflect", ActionId.REFLECT, r.id, style="primary")))
        text_lines.append(f"Waiting for your reflection: {r.problem}")
    if status.commitments:
        lines = "\n".join(f"• {escape(action)} (due {due:%A %-d %B %Y})" for action, due in status.commitments[:15])
        blocks.append(section_block(f"*Your open commitments*\n{lines}"))
        text_lines += [f"Your commitment: {action} (due {due:%A %-d %B %Y})" for action, due in status.commitments]
    others_open = [r for r in status.open_rounds if r.presenter_id != status.viewer_id]
    if others_open:
        blocks.append(section_block("*Open rounds*"))
        for r in others_open[:ROUNDS_SHOWN]:
            text = f"*{escape(r.problem)}*, presented by <@{r.presenter_id}>\n{state_line(r)}"
            blocks.append(section_block(text, _button("Ask a question", ActionId.ASK_BUTTON, r.id)))
            text_lines.append(f"Open round: {r.problem} ({r.asked} asked, {r.answered} answered)")
    elif own is None:
        blocks.append(section_block(f"No rounds are open. Bring a problem with `{COMMAND} present`."))
        text_lines.append("No rounds are open.")
    return Message(text=clip("\n".join(text_lines), 3900), blocks=blocks)


# Status is answered within Slack's acknowledgement and asked often, so its blocks are written as
# the dicts slack_sdk's models would give (see section_block): to_dict took 0.145-0.166 ms to build
# a status, these 0.035.
_HEADER = HeaderBlock(text=plain("Set status")).to_dict()
_DIVIDER = DividerBlock().to_dict()


def _button(text: str, action_id: ActionId, value: int, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id.value,
        "value": str(value),
    }
    if style is not None:
        button["style"] = style
    return button
