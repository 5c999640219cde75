"""Being away: the modal from App Home and the replies to `/als away` and `/als back`."""

from __future__ import annotations

from datetime import date, timedelta

from slack_sdk.models.blocks import DatePickerElement, InputBlock, SectionBlock
from slack_sdk.models.views import View

from handlers.blocks.common import modal_title, mrkdwn, plain
from handlers.ids import COMMAND, ActionId, BlockId, CallbackId


def build_away_modal(*, today: date) -> View:
    return View(
        type="modal",
        callback_id=CallbackId.AWAY,
        title=modal_title("Away"),
        submit=plain("Pause reminders"),
        close=plain("Cancel"),
        blocks=[
            SectionBlock(
                text=mrkdwn("I'll hold your reminders while you are away and send one summary when you are back.")
            ),
            InputBlock(
                block_id=BlockId.AWAY_UNTIL,
                label=plain("Back on"),
                element=DatePickerElement(
                    action_id=ActionId.AWAY_UNTIL, initial_date=(today + timedelta(days=7)).isoformat()
                ),
            ),
        ],
    )


def away_confirmation(until: date) -> str:
    return (
        f"You're away until {until:%A %-d %B}. I'll hold your reminders and send one summary when you are "
        f"back. `{COMMAND} back` ends it early."
    )


def back_confirmation(was_away: bool) -> str:
    if not was_away:
        return "You weren't away: your reminders are on."
    return "Welcome back. Your reminders are on again; anything held while you were away comes in one message."
