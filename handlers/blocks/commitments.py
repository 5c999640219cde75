"""Commitments on every surface: the commit modal, the post in the set, reminder DMs and what they
become after a button, the update and drop modals, the celebration and the away summary."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.commitments import CommitmentInfo
from bot.domain.reminders import ACTION_MAX, DONE_LOOKS_LIKE_MAX, NOTE_MAX, ReminderKind, due_phrase
from handlers.blocks.common import clip, context_block, escape, modal_title, mrkdwn, plain, section_block
from handlers.blocks.messages import Message
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId

NO_ROUND = "none"


def commitment_buttons(info: CommitmentInfo, *, surface: str) -> dict[str, Any]:
    """Done, Snooze 1 day, Update and Drop. The value says which commitment and where the buttons
    are ("dm", "summary" or "home"), so the app can redraw that surface afterwards.

    Every reminder carries them, so they are checked against Slack's limits once per surface and
    then only given the commitment's id (slack_sdk's `to_dict` checked each button on every
    reminder: 0.26 -> 0.07 ms to build one)."""
    template = _buttons_of(surface)
    value = f"{info.id}:{surface}"
    return {
        **template,
        "block_id": f"{BlockId.COMMITMENT_BUTTONS.value}.{info.id}",
        "elements": [{**button, "value": value} for button in template["elements"]],
    }


@cache
def _buttons_of(surface: str) -> dict[str, Any]:
    """The buttons as dicts, with an id as long as any the database will hand out; shared, so never
    changed."""
    value = f"{2**63 - 1}:{surface}"
    return ActionsBlock(
        block_id=f"{BlockId.COMMITMENT_BUTTONS.value}.{2**63 - 1}",
        elements=[
            ButtonElement(text=plain("Done"), action_id=ActionId.DONE, value=value, style="primary"),
            ButtonElement(text=plain("Snooze 1 day"), action_id=ActionId.SNOOZE, value=value),
            ButtonElement(text=plain("Update"), action_id=ActionId.UPDATE, value=value),
            ButtonElement(text=plain("Drop"), action_id=ActionId.DROP, value=value, style="danger"),
        ],
    ).to_dict()


def build_commit_modal(
    *, set_name: str, rounds: list[tuple[int, str]], default_round: int | None, default_due: date, private_metadata: str
) -> View:
    blocks: list[Block] = [
        SectionBlock(
            text=mrkdwn(
                f"What will you do before the next meeting of *{escape(set_name)}*? The set will ask how it went."
            )
        ),
        InputBlock(
            block_id=BlockId.COMMIT_ACTION,
            label=plain("I will…"),
            element=PlainTextInputElement(
                action_id=ActionId.COMMIT_ACTION,
                multiline=True,
                max_length=ACTION_MAX,
                placeholder=plain("e.g. Ask two team members to rewrite a section"),
            ),
        ),
        InputBlock(
            block_id=BlockId.COMMIT_DUE,
            label=plain("By"),
            hint=plain("By default, the set's next meeting. I'll remind you at 09:00, your time."),
            element=DatePickerElement(action_id=ActionId.COMMIT_DUE, initial_date=default_due.isoformat()),
        ),
        InputBlock(
            block_id=BlockId.COMMIT_DONE_LOOKS_LIKE,
            label=plain("What done looks like"),
            optional=True,
            element=PlainTextInputElement(
                action_id=ActionId.COMMIT_DONE_LOOKS_LIKE, multiline=True, max_length=DONE_LOOKS_LIKE_MAX
            ),
        ),
    ]
    if rounds:
        options = [Option(value=str(round_id), label=clip(problem, 75)) for round_id, problem in rounds]
        options.append(Option(value=NO_ROUND, label="Not from a round"))
        initial = next((o for o in options if o.value == str(default_round)), options[-1])
        blocks.append(
            InputBlock(
                block_id=BlockId.COMMIT_ROUND,
                label=plain("From the round"),
                element=StaticSelectElement(action_id=ActionId.COMMIT_ROUND, options=options, initial_option=initial),
            )
        )
    return View(
        type="modal",
        callback_id=CallbackId.COMMIT,
        title=modal_title("Commit to act"),
        submit=plain("Commit"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def _details(info: CommitmentInfo) -> str:
    text = f"*I will:* {escape(info.action)}\n*By:* {info.due_date:%A %-d %B %Y}"
    if info.done_looks_like:
        text += f"\n*Done looks like:* {escape(info.done_looks_like)}"
    return clip(text, 3000)


def build_commitment_post(info: CommitmentInfo) -> Message:
    """Posted in the round's thread (or the channel) when a member commits."""
    return Message.of(
        f"<@{info.user_id}> commits to: {clip(info.action, 500)} (by {info.due_date:%-d %B})",
        [SectionBlock(text=mrkdwn(f"*<@{info.user_id}> commits to act*\n{_details(info)}"))],
    )


def _days_away(due: date, *, today: date) -> str:
    days = (due - today).days
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"


def build_commit_confirmation(info: CommitmentInfo, *, lead_days: int, today: date) -> Message:
    when = f"{lead_days} {'day' if lead_days == 1 else 'days'} before and on the day" if lead_days else "on the day"
    text = (
        f"Noted: you will “{escape(clip(info.action, 300))}” by {info.due_date:%A %-d %B} "
        f"({_days_away(info.due_date, today=today)}). I'll remind you at 09:00 your time, {when}, "
        "and you can mark it done or update it from that message or from my Home tab."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


REMINDER_HEADS = {
    ReminderKind.LEAD: "Coming up: your commitment to {set} is due {when}.",
    ReminderKind.DUE: "Today is the day: your commitment to {set} is due {when}.",
    ReminderKind.OVERDUE: "Your commitment to {set} was due {when}. How did it go?",
    ReminderKind.SNOOZE: "As you asked yesterday, a reminder: your commitment to {set} is due {when}.",
}


def build_reminder(info: CommitmentInfo, *, kind: ReminderKind, today: date) -> Message:
    """A reminder DM; thousands go out at 09:00, so its blocks are written as dicts (section_block;
    its buttons are checked once per surface): 72 -> 10 µs to build one."""
    head = REMINDER_HEADS[kind].format(set=f"*{escape(info.set_name)}*", when=due_phrase(info.due_date, today=today))
    blocks = [section_block(head), section_block(_details(info))]
    if info.latest_note:
        blocks.append(context_block(f"Your last note: {escape(info.latest_note)}"))
    blocks.append(commitment_buttons(info, surface="dm"))
    return Message(text=f"{head.replace('*', '')} {clip(info.action, 500)}", blocks=blocks)


def build_reminder_outcome(info: CommitmentInfo, *, outcome: str, today: date) -> Message:
    """What a reminder DM becomes after a button: the commitment, what happened, and the buttons
    again while it is still open."""
    blocks: list[Block | dict[str, Any]] = [
        SectionBlock(text=mrkdwn(_details(info))),
        ContextBlock(elements=[mrkdwn(outcome)]),
    ]
    if info.status == "open":
        blocks.append(commitment_buttons(info, surface="dm"))
    return Message.of(f"{outcome.replace('*', '')} {clip(info.action, 500)}", blocks)


def build_update_modal(info: CommitmentInfo, *, private_metadata: str) -> View:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(_details(info))),
        InputBlock(
            block_id=BlockId.WHAT_HAPPENED,
            label=plain("What happened?"),
            element=PlainTextInputElement(action_id=ActionId.WHAT_HAPPENED, multiline=True, max_length=NOTE_MAX),
        ),
        InputBlock(
            block_id=BlockId.WHAT_LEARNED,
            label=plain("What have you learned?"),
            optional=True,
            element=PlainTextInputElement(action_id=ActionId.WHAT_LEARNED, multiline=True, max_length=NOTE_MAX),
        ),
        InputBlock(
            block_id=BlockId.NEW_DUE,
            label=plain("New date, if it has moved"),
            optional=True,
            element=DatePickerElement(action_id=ActionId.NEW_DUE),
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.COMMITMENT_UPDATE,
        title=modal_title("Update commitment"),
        submit=plain("Save"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def build_drop_modal(info: CommitmentInfo, *, private_metadata: str) -> View:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(_details(info))),
        InputBlock(
            block_id=BlockId.DROP_REASON,
            label=plain("Why are you dropping it?"),
            hint=plain("Dropping a commitment is part of learning too: what changed?"),
            element=PlainTextInputElement(action_id=ActionId.DROP_REASON, multiline=True, max_length=NOTE_MAX),
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.COMMITMENT_DROP,
        title=modal_title("Drop commitment"),
        submit=plain("Drop it"),
        close=plain("Keep it"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def build_celebration(info: CommitmentInfo) -> Message:
    text = f":tada: <@{info.user_id}> has done what they committed to: {escape(clip(info.action, 500))}"
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_away_summary(items: list[CommitmentInfo], *, today: date) -> Message:
    """One DM on return instead of every reminder that fell due while the member was away."""
    head = (
        f"Welcome back. While you were away, {len(items)} "
        f"{'reminder was' if len(items) == 1 else 'reminders were'} held for you:"
    )
    blocks: list[Block | dict[str, Any]] = [
        HeaderBlock(text=plain("While you were away")),
        SectionBlock(text=mrkdwn(head)),
    ]
    for info in items[:20]:
        state = {"done": "done :white_check_mark:", "dropped": "dropped"}.get(
            info.status, f"due {due_phrase(info.due_date, today=today)}"
        )
        blocks.append(
            SectionBlock(text=mrkdwn(clip(f"*{escape(info.set_name)}:* {escape(info.action)} ({state})", 3000)))
        )
        if info.status == "open":
            blocks.append(commitment_buttons(info, surface="summary"))
    text = head + " " + "; ".join(clip(i.action, 100) for i in items)
    return Message.of(clip(text, 3900), blocks)


def build_commit_help() -> str:
    return f"Commit to an action with `{COMMAND} commit` in your set's channel."
