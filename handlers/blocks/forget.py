"""Forgetting a member's words: the confirmation, what the removed messages say, and the summary."""

from __future__ import annotations

from slack_sdk.models.blocks import SectionBlock
from slack_sdk.models.views import View

from bot.domain.forgetting import REMOVED, Forgotten
from handlers.blocks.common import escape, modal_title, mrkdwn, plain
from handlers.blocks.messages import Message
from handlers.ids import CallbackId


def build_forget_modal(*, set_name: str, private_metadata: str) -> View:
    text = (
        f"This deletes what you have said in *{escape(set_name)}*: your questions, your answers, your "
        "reflections (private ones too) and your commitments, and takes the words out of the rounds you "
        "presented. The app's messages for you will read “(removed at the author's request)”. "
        "Others' words stay. This cannot be undone."
    )
    return View(
        type="modal",
        callback_id=CallbackId.FORGET,
        title=modal_title("Forget me"),
        submit=plain("Delete my words"),
        close=plain("Keep them"),
        private_metadata=private_metadata,
        blocks=[SectionBlock(text=mrkdwn(text))],
    )


def build_removed_message() -> Message:
    return Message.of(REMOVED, [SectionBlock(text=mrkdwn(f"_{REMOVED}_"))])


def _count(n: int, one: str) -> str:
    return f"{n} {one}{'' if n == 1 else 's'}"


def build_forgotten_message(forgotten: Forgotten, *, failed: int) -> Message:
    if not forgotten.anything:
        text = "There was nothing of yours to delete in this set."
    else:
        parts = [
            _count(forgotten.questions, "question"),
            _count(forgotten.answers, "answer"),
            _count(forgotten.rounds, "presented round"),
            _count(forgotten.reflections, "reflection"),
            _count(forgotten.commitments, "commitment"),
        ]
        text = "Deleted: " + ", ".join(parts) + ". The app's messages for you now read “" + REMOVED + "”."
        if failed:
            text += f" {_count(failed, 'message')} could not be changed in Slack (perhaps deleted already)."
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])
