"""The review posted in a set's channel the day before its meeting."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from slack_sdk.models.blocks import ActionsBlock, Block, ContextBlock, DividerBlock, HeaderBlock, SectionBlock

from bot.domain.commitments import CommitmentInfo
from bot.domain.reminders import due_phrase
from handlers.blocks.common import clip, escape, mrkdwn, plain
from handlers.blocks.meetings import MeetingBrief, bid_button, brief_lines
from handlers.blocks.messages import Message

MEMBERS_SHOWN = 30


@dataclass(frozen=True)
class MemberReview:
    user_id: str
    done: list[CommitmentInfo] = field(default_factory=list)
    open: list[CommitmentInfo] = field(default_factory=list)
    overdue: list[CommitmentInfo] = field(default_factory=list)


def _item(mark: str, info: CommitmentInfo, today: date, *, when: bool) -> str:
    line = f"{mark} {escape(clip(info.action, 300))}"
    if when:
        line += f" _(due {due_phrase(info.due_date, today=today)})_"
    if info.latest_note:
        line += f"\n      _Latest: {escape(clip(info.latest_note, 300))}_"
    return line


def build_review(
    *, set_name: str, members: list[MemberReview], quiet: int, today: date, brief: MeetingBrief
) -> Message:
    """The day-before message: the meeting, the presenter rotation and the draft agenda, then where
    each member's commitments stand."""
    head = f"The meeting is tomorrow: {brief.meeting}."
    blocks: list[Block] = [
        HeaderBlock(text=plain("Meeting tomorrow")),
        SectionBlock(text=mrkdwn(head)),
        SectionBlock(text=mrkdwn(clip("\n".join(brief_lines(brief)), 3000))),
        ActionsBlock(elements=[bid_button()]),
        DividerBlock(),
        SectionBlock(text=mrkdwn("*Where our commitments stand*")),
    ]
    lines = [f"{set_name}: {head} Where our commitments stand:"]
    for member in members[:MEMBERS_SHOWN]:
        counts = f"{len(member.done)} done, {len(member.open)} open, {len(member.overdue)} overdue"
        items = [_item(":white_check_mark:", c, today, when=False) for c in member.done]
        items += [_item(":hourglass_flowing_sand:", c, today, when=True) for c in member.open]
        items += [_item(":warning:", c, today, when=True) for c in member.overdue]
        blocks.append(SectionBlock(text=mrkdwn(clip(f"*<@{member.user_id}>*: {counts}\n" + "\n".join(items), 3000))))
        lines.append(f"<@{member.user_id}>: {counts}")
    if quiet:
        blocks.append(
            ContextBlock(
                elements=[
                    mrkdwn(
                        f"{quiet} {'member has' if quiet == 1 else 'members have'} no commitments recorded yet: "
                        "the meeting is a good moment to make some."
                    )
                ]
            )
        )
    if not members:
        blocks.append(SectionBlock(text=mrkdwn("No commitments have been recorded yet.")))
    blocks.append(
        ContextBlock(
            elements=[
                mrkdwn("Each meeting opens with progress reports: what did you try, what happened, what did you learn?")
            ]
        )
    )
    return Message.of(clip("\n".join(lines), 3900), blocks)
