"""The weekly reflection prompt, its gentle nudge, the reflection modal, and where a reflection
ends up: the prompt's thread, a DM to the facilitator, or nowhere but the writer's Home tab."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.domain.reflection import REFLECTION_MAX, Visibility
from handlers.blocks.common import clip, escape, modal_title, mrkdwn, plain, quote
from handlers.blocks.messages import Message
from handlers.ids import ActionId, BlockId, CallbackId


def _reflect_button(prompt_id: int) -> ButtonElement:
    return ButtonElement(
        text=plain("Add my reflection"), action_id=ActionId.REFLECT_ON_PROMPT, value=str(prompt_id), style="primary"
    )


def build_prompt_message(*, prompt: str, prompt_id: int) -> Message:
    blocks: list[Block] = [
        HeaderBlock(text=plain("Weekly reflection")),
        SectionBlock(text=mrkdwn(f"*{escape(prompt)}*")),
        ContextBlock(
            elements=[
                mrkdwn(
                    "A few minutes of looking back is where the learning happens. "
                    "You choose who sees what you write: the set, the facilitator and you, or only you."
                )
            ]
        ),
        ActionsBlock(elements=[_reflect_button(prompt_id)]),
    ]
    return Message.of(f"Weekly reflection: {prompt}", blocks)


def build_nudge(*, prompt: str, prompt_id: int, channel_id: str) -> Message:
    text = (
        f"A gentle nudge: this week's reflection in <#{channel_id}> asked “{escape(prompt)}” "
        "If you have a few minutes, add your thoughts. You choose who sees them, and it is fine to skip a week."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text)), ActionsBlock(elements=[_reflect_button(prompt_id)])])


def build_reflection_modal(*, prompt: str, set_name: str, private_metadata: str) -> View:
    options = [Option(value=v.value, label=v.label) for v in Visibility]
    return View(
        type="modal",
        callback_id=CallbackId.REFLECTION,
        title=modal_title("Your reflection"),
        submit=plain("Save"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=[
            SectionBlock(text=mrkdwn(f"*{escape(prompt)}*")),
            ContextBlock(elements=[mrkdwn(f"Weekly reflection in {escape(set_name)}")]),
            InputBlock(
                block_id=BlockId.REFLECTION_TEXT,
                label=plain("What comes to mind"),
                element=PlainTextInputElement(
                    action_id=ActionId.REFLECTION_TEXT,
                    multiline=True,
                    max_length=REFLECTION_MAX,
                    placeholder=plain("What you tried, what happened, what you noticed or learned"),
                ),
            ),
            InputBlock(
                block_id=BlockId.REFLECTION_VISIBILITY,
                label=plain("Who may see it"),
                element=RadioButtonsElement(
                    action_id=ActionId.REFLECTION_VISIBILITY, options=options, initial_option=options[0]
                ),
            ),
        ],
    )


def build_shared_reflection(*, user_id: str, text: str) -> Message:
    body = f"*<@{user_id}> reflects*\n{quote(text)}"
    return Message.of(clip(f"<@{user_id}> reflects: {text}", 3900), [SectionBlock(text=mrkdwn(clip(body, 3000)))])


def build_reflection_for_facilitator(*, user_id: str, set_name: str, prompt: str | None, text: str) -> Message:
    head = f"<@{user_id}> shared a reflection with you in {escape(set_name)}. Only the two of you can see it."
    about = f"_{escape(prompt)}_\n" if prompt else ""
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(head)),
        SectionBlock(text=mrkdwn(clip(about + quote(text), 3000))),
    ]
    return Message.of(clip(f"{head} {text}", 3900), blocks)


CONFIRMATIONS = {
    Visibility.SET: "Thank you: your reflection is in the prompt's thread for the set.",
    Visibility.FACILITATOR: "Thank you: your reflection went to the facilitator only. You can find it in my Home tab.",
    Visibility.ME: "Saved for you alone: nobody else sees it. You can find it in my Home tab.",
}


def build_reflection_saved(visibility: Visibility) -> Message:
    text = CONFIRMATIONS[visibility]
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])
