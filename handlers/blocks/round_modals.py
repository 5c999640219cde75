"""The modals of a round: present, ask (with coaching), answer, withdraw and reflect."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    ContextBlock,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.domain.questions import Coaching
from bot.domain.rounds import (
    ANSWER_MAX,
    CONTEXT_MAX,
    PHASE_HINTS,
    PROBLEM_MAX,
    PROMPT_MAX,
    QUESTION_MAX,
    REFLECTION_MAX,
    HelpWanted,
    Phase,
)
from handlers.blocks.common import clip, escape, modal_title, mrkdwn, plain, quote
from handlers.blocks.rounds import QuestionInfo, RoundInfo
from handlers.ids import ActionId, BlockId, CallbackId


def _text_input(
    block_id: BlockId,
    action_id: ActionId,
    label: str,
    *,
    limit: int,
    multiline: bool = True,
    optional: bool = False,
    hint: str | None = None,
    placeholder: str | None = None,
    initial: str | None = None,
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=plain(label),
        optional=optional,
        hint=plain(hint) if hint else None,
        element=PlainTextInputElement(
            action_id=action_id,
            multiline=multiline,
            max_length=limit,
            placeholder=plain(placeholder) if placeholder else None,
            initial_value=initial or None,
        ),
    )


def build_present_modal(*, set_name: str, private_metadata: str) -> dict[str, Any]:
    """The present form, as the dict Slack gets. Only its first line and metadata differ from set
    to set; the rest (title, buttons, fields) is the same for everyone, so it is checked against
    Slack's limits and turned into dicts once (slack_sdk's `to_dict` checks each element every
    time: keeping the fields took building the form from 0.79 to 0.15 ms on one machine, keeping the
    title and buttons too from 120 to 41 µs on another)."""
    if len(private_metadata) > View.private_metadata_max_length:
        raise ValueError(f"private_metadata is longer than {View.private_metadata_max_length} characters")
    intro = SectionBlock(
        text=mrkdwn(
            f"Bring a real problem you own to *{escape(set_name)}*. The set will help with questions, not advice; "
            "you answer, reflect, and then commit to what you will do."
        )
    ).to_dict()
    return {**_present_shell(), "private_metadata": private_metadata, "blocks": [intro, *_present_fields()]}


@cache
def _present_shell() -> dict[str, Any]:
    """The present form without its blocks and metadata, checked by slack_sdk once: never change it."""
    shell = View(
        type="modal",
        callback_id=CallbackId.PRESENT,
        title=modal_title("Present a problem"),
        submit=plain("Open the round"),
        close=plain("Cancel"),
        blocks=[SectionBlock(text=mrkdwn("-"))],
    ).to_dict()
    del shell["blocks"]
    return shell


@cache
def _present_fields() -> tuple[dict[str, Any], ...]:
    """The present form's fields as dicts, built once and shared: never change them."""
    help_options = [Option(value=h.value, label=h.label) for h in HelpWanted]
    fields: list[Block] = [
        _text_input(
            BlockId.PROBLEM,
            ActionId.PROBLEM,
            "Your problem in one line",
            limit=PROBLEM_MAX,
            multiline=False,
            placeholder="e.g. How do I get my team to own the quarterly plan?",
        ),
        _text_input(
            BlockId.CONTEXT,
            ActionId.CONTEXT,
            "The story so far",
            limit=CONTEXT_MAX,
            optional=True,
            hint="What is happening, who is involved, how it came about.",
        ),
        _text_input(BlockId.WHY, ActionId.WHY, "Why it matters to you", limit=PROMPT_MAX, optional=True),
        _text_input(BlockId.TRIED, ActionId.TRIED, "What you have tried", limit=PROMPT_MAX, optional=True),
        _text_input(BlockId.SUCCESS, ActionId.SUCCESS, "What success would look like", limit=PROMPT_MAX, optional=True),
        InputBlock(
            block_id=BlockId.HELP_WANTED,
            label=plain("What would help you from the set?"),
            optional=True,
            element=CheckboxesElement(action_id=ActionId.HELP_WANTED, options=help_options),
        ),
        ContextBlock(elements=[mrkdwn("What is said in the set stays in the set.")]),
    ]
    return tuple(block.to_dict() for block in fields)


@dataclass(frozen=True)
class AskChoice:
    """A round someone may ask in."""

    id: int
    presenter_name: str
    problem: str
    phase: Phase


def build_ask_modal(
    *,
    choices: list[AskChoice],
    selected: int,
    private_metadata: str,
    text: str = "",
    coaching: Coaching | None = None,
    editing: bool = False,
) -> View:
    """Pick the round (unless there is only one) and write the question. With `coaching`, the same
    form again, the question kept, a kind note and an open rewording above it, and a box to post it
    as it is."""
    chosen = next(c for c in choices if c.id == selected)
    blocks: list[Block] = []
    if coaching is not None:
        note = f":bulb: {escape(coaching.note)}"
        if coaching.suggestion:
            note += f"\n*You might ask:* _{escape(coaching.suggestion)}_"
        blocks.append(SectionBlock(text=mrkdwn(note)))
    if len(choices) > 1 and not editing:
        options = [Option(value=str(c.id), label=clip(f"{c.presenter_name}: {c.problem}", 75)) for c in choices]
        blocks.append(
            InputBlock(
                block_id=BlockId.ASK_ROUND,
                label=plain("Round"),
                element=StaticSelectElement(
                    action_id=ActionId.ASK_ROUND,
                    options=options,
                    initial_option=next(o for o in options if o.value == str(selected)),
                ),
            )
        )
    else:
        blocks.append(
            SectionBlock(
                text=mrkdwn(f"*{escape(clip(chosen.problem, 150))}*\nPresented by {escape(chosen.presenter_name)}")
            )
        )
    if chosen.phase in PHASE_HINTS:
        blocks.append(
            ContextBlock(elements=[mrkdwn(f"*Now: {chosen.phase.label.lower()}.* {PHASE_HINTS[chosen.phase]}")])
        )
    blocks.append(
        _text_input(
            BlockId.QUESTION,
            ActionId.QUESTION,
            "Your question",
            limit=QUESTION_MAX,
            placeholder="What…? How…? Who…?",
            initial=text,
            hint="Open questions help most: ones that can't be answered with yes or no.",
        )
    )
    if coaching is not None:
        blocks.append(
            InputBlock(
                block_id=BlockId.AS_IS,
                label=plain("Or keep it"),
                optional=True,
                element=CheckboxesElement(
                    action_id=ActionId.AS_IS, options=[Option(value="as_is", label="Post my question as it is")]
                ),
            )
        )
    return View(
        type="modal",
        callback_id=CallbackId.ASK,
        title=modal_title("Edit your question" if editing else "Ask a question"),
        submit=plain("Save" if editing else "Post question"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def build_answer_modal(q: QuestionInfo, *, private_metadata: str) -> View:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(clip(f"*<@{q.asker_id}> asked:*\n{quote(q.text)}", 3000))),
        _text_input(
            BlockId.ANSWER,
            ActionId.ANSWER,
            "Your answer",
            limit=ANSWER_MAX,
            hint="Think aloud: the set learns from how you see it, not only from what you decide.",
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.ANSWER,
        title=modal_title("Answer"),
        submit=plain("Post answer"),
        close=plain("Cancel"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def build_withdraw_modal(q: QuestionInfo, *, private_metadata: str) -> View:
    blocks: list[Block] = [
        SectionBlock(
            text=mrkdwn(clip(f"Withdraw this question? It will be removed from the thread.\n{quote(q.text)}", 3000))
        )
    ]
    return View(
        type="modal",
        callback_id=CallbackId.WITHDRAW,
        title=modal_title("Withdraw question"),
        submit=plain("Withdraw"),
        close=plain("Keep it"),
        private_metadata=private_metadata,
        blocks=blocks,
    )


def build_reflect_modal(info: RoundInfo, *, private_metadata: str) -> View:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(f"*{escape(info.problem)}*\nLooking back on the questions and your answers:")),
        _text_input(BlockId.LEARNED, ActionId.LEARNED, "What did you learn?", limit=REFLECTION_MAX),
        _text_input(
            BlockId.DIFFERENTLY,
            ActionId.DIFFERENTLY,
            "What do you now see differently?",
            limit=REFLECTION_MAX,
            optional=True,
        ),
        ContextBlock(elements=[mrkdwn("Your reflection is posted in the round's thread for the set.")]),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.REFLECT,
        title=modal_title("Reflect"),
        submit=plain("Post reflection"),
        close=plain("Later"),
        private_metadata=private_metadata,
        blocks=blocks,
    )
