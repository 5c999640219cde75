"""The answer to `/als status`: the set, its open rounds, and what is waiting for the caller."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from slack_sdk.models.blocks import Block, ButtonElement, ContextBlock, DividerBlock, HeaderBlock, SectionBlock

from bot.domain.sets import WEEKDAYS, SetSettings
from handlers.blocks.common import clip, escape, mrkdwn, plain
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
    blocks: list[Block] = [HeaderBlock(text=plain("Set status")), SectionBlock(text=mrkdwn(overview)), DividerBlock()]
    text_lines = [overview]
    own = next((r for r in status.open_rounds if r.presenter_id == status.viewer_id), None)
    if own is not None:
        line = f"*Your round:* {escape(own.problem)}\n{state_line(own)}"
        blocks.append(
            SectionBlock(
                text=mrkdwn(clip(line, 3000)),
                accessory=ButtonElement(text=plain("Close questions"), action_id=ActionId.CLOSE, value=str(own.id)),
            )
        )
        text_lines.append(f"Your round: {own.problem}")
        for q in status.own_unanswered[:UNANSWERED_SHOWN]:
            blocks.append(
                SectionBlock(
                    text=mrkdwn(clip(f"<@{q.asker_id}> asked: {escape(q.text)}", 3000)),
                    accessory=ButtonElement(text=plain("Answer"), action_id=ActionId.ANSWER_BUTTON, value=str(q.id)),
                )
            )
            text_lines.append(f"Waiting for your answer: {clip(q.text, 200)}")
        if len(status.own_unanswered) > UNANSWERED_SHOWN:
            blocks.append(
                ContextBlock(
                    elements=[
                        mrkdwn(
                            f"…and {len(status.own_unanswered) - UNANSWERED_SHOWN} more waiting in the round's thread."
                        )
                    ]
                )
            )
    for r in status.own_reflecting:
        blocks.append(
            SectionBlock(
                text=mrkdwn(clip(f"*Waiting for your reflection:* {escape(r.problem)}", 3000)),
                accessory=ButtonElement(
                    text=plain("Reflect"), action_id=ActionId.REFLECT, value=str(r.id), style="primary"
                ),
            )
        )
        text_lines.append(f"Waiting for your reflection: {r.problem}")
    if status.commitments:
        lines = "\n".join(f"• {escape(action)} (due {due:%A %-d %B %Y})" for action, due in status.commitments[:15])
        blocks.append(SectionBlock(text=mrkdwn(clip(f"*Your open commitments*\n{lines}", 3000))))
        text_lines += [f"Your commitment: {action} (due {due:%A %-d %B %Y})" for action, due in status.commitments]
    others_open = [r for r in status.open_rounds if r.presenter_id != status.viewer_id]
    if others_open:
        blocks.append(SectionBlock(text=mrkdwn("*Open rounds*")))
        for r in others_open[:ROUNDS_SHOWN]:
            blocks.append(
                SectionBlock(
                    text=mrkdwn(
                        clip(f"*{escape(r.problem)}*, presented by <@{r.presenter_id}>\n{state_line(r)}", 3000)
                    ),
                    accessory=ButtonElement(
                        text=plain("Ask a question"), action_id=ActionId.ASK_BUTTON, value=str(r.id)
                    ),
                )
            )
            text_lines.append(f"Open round: {r.problem} ({r.asked} asked, {r.answered} answered)")
    elif own is None:
        blocks.append(SectionBlock(text=mrkdwn(f"No rounds are open. Bring a problem with `{COMMAND} present`.")))
        text_lines.append("No rounds are open.")
    return Message.of(clip("\n".join(text_lines), 3900), blocks)
