"""Meeting reminders in the channel (with the draft agenda from members' bids and the presenter
rotation), the bid modal, and the facilitator's DM when a manual cadence needs a date."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.meetings import BID_MAX
from handlers.blocks.common import clip, escape, modal_title, mrkdwn, plain
from handlers.blocks.messages import Message
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId

BIDS_SHOWN = 20


@dataclass(frozen=True)
class Bid:
    user_id: str
    topic: str


@dataclass(frozen=True)
class MeetingBrief:
    """What the set should know before a meeting."""

    meeting: str  # a <!date> token
    open_commitments: int
    overdue_commitments: int
    not_yet_presented: list[str] = field(default_factory=list)  # names, not mentions: nobody is pinged
    new_cycle: bool = False
    bids: list[Bid] = field(default_factory=list)


def bid_button() -> ButtonElement:
    return ButtonElement(text=plain("Bid for time"), action_id=ActionId.BID_BUTTON, value="bid")


def brief_lines(brief: MeetingBrief) -> list[str]:
    commitments = f"*Open commitments:* {brief.open_commitments}"
    if brief.overdue_commitments:
        commitments += f" ({brief.overdue_commitments} overdue)"
    lines = [commitments]
    if brief.not_yet_presented:
        lines.append("*Not yet presented this cycle:* " + ", ".join(escape(n) for n in brief.not_yet_presented))
    elif brief.new_cycle:
        lines.append("*Presenter rotation:* everyone has presented this cycle, so a new cycle starts.")
    if brief.bids:
        agenda = "\n".join(f"• <@{b.user_id}>: {escape(clip(b.topic, BID_MAX))}" for b in brief.bids[:BIDS_SHOWN])
        lines.append(f"*Draft agenda (bids for time):*\n{agenda}")
    else:
        lines.append(f"*Draft agenda:* no bids yet. Want time? Press *Bid for time* or type `{COMMAND} bid`.")
    return lines


def build_meeting_soon(brief: MeetingBrief) -> Message:
    head = f"The meeting starts in an hour: {brief.meeting}."
    blocks: list[Block] = [
        HeaderBlock(text=plain("Meeting in an hour")),
        SectionBlock(text=mrkdwn(head)),
        SectionBlock(text=mrkdwn(clip("\n".join(brief_lines(brief)), 3000))),
        ActionsBlock(elements=[bid_button()]),
        ContextBlock(
            elements=[mrkdwn("Come ready to report back: what did you try, what happened, what did you learn?")]
        ),
    ]
    return Message.of(f"Meeting in an hour: {brief.meeting}. Open commitments: {brief.open_commitments}.", blocks)


def build_bid_modal(*, meeting: str, set_name: str, topic: str, private_metadata: str) -> View:
    return View(
        type="modal",
        callback_id=CallbackId.BID,
        title=modal_title("Bid for time"),
        submit=plain("Bid"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=[
            SectionBlock(
                text=mrkdwn(
                    f"Ask for time at {escape(set_name)}'s next meeting, {meeting}. "
                    "Your bid goes on the draft agenda in the meeting reminders."
                )
            ),
            InputBlock(
                block_id=BlockId.BID_TOPIC,
                label=plain("What do you want time for?"),
                element=PlainTextInputElement(
                    action_id=ActionId.BID_TOPIC,
                    max_length=BID_MAX,
                    initial_value=topic or None,
                    placeholder=plain("e.g. present a problem about the reorganisation"),
                ),
            ),
        ],
    )


def build_bid_saved(*, topic: str, meeting: str, replaced: bool) -> Message:
    verb = "Your bid now reads" if replaced else "Your bid is on the draft agenda"
    text = f"{verb}: “{escape(topic)}”, for the meeting {meeting}."
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_meeting_date_needed(*, set_name: str, channel_id: str) -> Message:
    text = (
        f"The meeting of {escape(set_name)} (<#{channel_id}>) has passed, and the set's dates are set by hand. "
        "When is the next one? Until you set it, there are no meeting reminders."
    )
    button = ButtonElement(
        text=plain("Set the next meeting"), action_id=ActionId.SET_MEETING_BUTTON, value=channel_id, style="primary"
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text)), ActionsBlock(elements=[button])])
