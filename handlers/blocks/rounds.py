"""The messages of a round: its root message, the questions and answers in its thread, the summary,
and the presenter's invitation to reflect."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    SectionBlock,
)

from bot.domain.questions import QuestionKind
from bot.domain.rounds import PHASE_HINTS, HelpWanted, Phase, QuestionStatus
from handlers.blocks.common import clip, escape, mrkdwn, plain, quote
from handlers.blocks.messages import Message
from handlers.ids import COMMAND, ActionId, BlockId

SECTION_MAX = 3000
QUESTIONS_IN_SUMMARY = 40


@dataclass(frozen=True)
class RoundInfo:
    id: int
    presenter_id: str
    problem: str
    phase: Phase
    asked: int = 0
    answered: int = 0
    context: str = ""
    why_it_matters: str = ""
    tried: str = ""
    success: str = ""
    help_wanted: tuple[HelpWanted, ...] = ()


@dataclass(frozen=True)
class QuestionInfo:
    id: int
    asker_id: str
    text: str
    phase: Phase
    status: QuestionStatus
    golden: bool = False
    kind: QuestionKind = QuestionKind.OPEN


def state_line(info: RoundInfo) -> str:
    waiting = info.asked - info.answered
    counts = f"{info.asked} {'question' if info.asked == 1 else 'questions'} asked, {info.answered} answered"
    if info.phase.open_for_questions and waiting:
        counts += f", {waiting} waiting"
    state = "questions open: " + info.phase.label.lower() if info.phase.open_for_questions else info.phase.label
    return f"*State:* {state}  ·  {counts}"


def build_round_message(info: RoundInfo) -> Message:
    """The round's root message in the set's channel, kept current with chat.update."""
    blocks: list[Block] = [
        HeaderBlock(text=plain(clip(f"Round: {info.problem}", 150))),
        SectionBlock(text=mrkdwn(f"*Presenter:* <@{info.presenter_id}>\n{state_line(info)}")),
    ]
    for title, text in (
        ("Context", info.context),
        ("Why it matters to me", info.why_it_matters),
        ("What I have tried", info.tried),
        ("What success would look like", info.success),
    ):
        if text:
            blocks.append(SectionBlock(text=mrkdwn(clip(f"*{title}*\n{escape(text)}", SECTION_MAX))))
    if info.help_wanted:
        wanted = "\n".join(f"• {h.label}" for h in info.help_wanted)
        blocks.append(SectionBlock(text=mrkdwn(f"*What would help me*\n{wanted}")))
    if info.phase.open_for_questions:
        blocks.append(ContextBlock(elements=[mrkdwn(PHASE_HINTS[info.phase] + " Questions, not advice.")]))
        buttons = [
            ButtonElement(
                text=plain("Ask a question"), action_id=ActionId.ASK_BUTTON, value=str(info.id), style="primary"
            )
        ]
        if info.phase == Phase.CLARIFYING:
            buttons.append(
                ButtonElement(
                    text=plain("Move to exploratory questions"), action_id=ActionId.EXPLORE, value=str(info.id)
                )
            )
        buttons.append(ButtonElement(text=plain("Close questions"), action_id=ActionId.CLOSE, value=str(info.id)))
        blocks.append(ActionsBlock(block_id=BlockId.ROUND_ACTIONS, elements=buttons))
    text = f"Round: {info.problem} (presented by <@{info.presenter_id}>). {state_line(info).replace('*', '')}"
    return Message.of(text, blocks)


def question_status_line(q: QuestionInfo) -> str:
    parts = [f"_{q.phase.label.split(':')[0].lower()}_"]
    if q.status == QuestionStatus.ANSWERED:
        parts.append("answered")
    elif q.status == QuestionStatus.STILL_THINKING:
        parts.append("the presenter is still thinking about this one")
    else:
        parts.append("waiting for an answer")
    if q.golden:
        parts.append(":star: golden question")
    return "  ·  ".join(parts)


def build_question_message(q: QuestionInfo) -> Message:
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(clip(f"*Question from <@{q.asker_id}>*\n{quote(q.text)}", SECTION_MAX))),
        ContextBlock(elements=[mrkdwn(question_status_line(q))]),
    ]
    value = str(q.id)
    golden_label = "Unmark golden" if q.golden else "Golden question"
    if q.status == QuestionStatus.ANSWERED:
        buttons = [ButtonElement(text=plain(golden_label), action_id=ActionId.GOLDEN, value=value)]
    else:
        thinking = "Not thinking any more" if q.status == QuestionStatus.STILL_THINKING else "Still thinking"
        buttons = [
            ButtonElement(text=plain("Answer"), action_id=ActionId.ANSWER_BUTTON, value=value, style="primary"),
            ButtonElement(text=plain(thinking), action_id=ActionId.STILL_THINKING, value=value),
            ButtonElement(text=plain(golden_label), action_id=ActionId.GOLDEN, value=value),
            ButtonElement(text=plain("Edit"), action_id=ActionId.EDIT, value=value),
            ButtonElement(text=plain("Withdraw"), action_id=ActionId.WITHDRAW, value=value),
        ]
    blocks.append(ActionsBlock(block_id=BlockId.QUESTION_ACTIONS, elements=buttons))
    return Message.of(f"Question from <@{q.asker_id}>: {clip(q.text, 2000)}", blocks)


def build_answer_message(q: QuestionInfo, *, presenter_id: str, answer: str) -> Message:
    body = f"*<@{presenter_id}> answered <@{q.asker_id}>'s question*\n{quote(clip(q.text, 500))}\n\n{escape(answer)}"
    return Message.of(
        f"<@{presenter_id}> answered <@{q.asker_id}>: {clip(answer, 2000)}",
        [SectionBlock(text=mrkdwn(clip(body, SECTION_MAX)))],
    )


def build_phase_note(phase: Phase) -> Message:
    text = f"*Now: {phase.label.lower()}.* {PHASE_HINTS.get(phase, '')}"
    return Message.of(text.replace("*", ""), [ContextBlock(elements=[mrkdwn(text)])])


def build_round_summary(info: RoundInfo, questions: list[QuestionInfo], *, closed_by: str) -> Message:
    """Posted in the thread when questions close: the questions by phase, golden ones first."""
    golden = [q for q in questions if q.golden]
    lines = [
        f"*Questions closed by <@{closed_by}>.* {len(questions)} asked, "
        f"{sum(q.status == QuestionStatus.ANSWERED for q in questions)} answered."
    ]
    sections = []
    if golden:
        sections.append(("Golden questions (the ones that helped most)", golden))
    for phase in (Phase.CLARIFYING, Phase.EXPLORATORY):
        in_phase = [q for q in questions if q.phase == phase and not q.golden]
        if in_phase:
            sections.append((phase.label, in_phase))
    blocks: list[Block] = [HeaderBlock(text=plain("Round summary")), SectionBlock(text=mrkdwn(lines[0]))]
    shown = 0
    for title, items in sections:
        body = [f"*{title}*"]
        for q in items:
            if shown >= QUESTIONS_IN_SUMMARY:
                break
            shown += 1
            mark = " :white_check_mark:" if q.status == QuestionStatus.ANSWERED else ""
            body.append(f"• {escape(clip(q.text, 280))} (<@{q.asker_id}>){mark}")
        blocks.append(SectionBlock(text=mrkdwn(clip("\n".join(body), SECTION_MAX))))
    if shown < len(questions):
        blocks.append(ContextBlock(elements=[mrkdwn(f"…and {len(questions) - shown} more in the thread above.")]))
    blocks.append(DividerBlock())
    blocks.append(ContextBlock(elements=[mrkdwn(f"<@{info.presenter_id}>, I've sent you a message to reflect.")]))
    text = "\n".join(
        [lines[0].replace("*", "")] + [f"{t}: " + "; ".join(clip(q.text, 100) for q in qs) for t, qs in sections]
    )
    return Message.of(clip(text, 3900), blocks)


def build_reflect_invitation(info: RoundInfo, *, channel_id: str) -> Message:
    text = (
        f"The questions in your round “{escape(info.problem)}” in <#{channel_id}> are closed. "
        "Take a moment to reflect: what did you learn, and what do you now see differently?"
    )
    return Message.of(
        text,
        [
            SectionBlock(text=mrkdwn(text)),
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=plain("Reflect"), action_id=ActionId.REFLECT, value=str(info.id), style="primary"
                    )
                ]
            ),
        ],
    )


def build_reflect_thanks(info: RoundInfo, *, channel_id: str) -> Message:
    text = (
        f"Thank you. Your reflection on “{escape(info.problem)}” is in the round's thread in <#{channel_id}>. "
        f"Next, turn it into action: run `{COMMAND} commit` in <#{channel_id}> to commit to what you will do "
        "before the next meeting."
    )
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])


def build_reflection_message(*, presenter_id: str, learned: str, differently: str) -> Message:
    body = f"*<@{presenter_id}> reflects*\n*What I learned:* {escape(learned)}"
    if differently:
        body += f"\n*What I now see differently:* {escape(differently)}"
    blocks: list[Block] = [
        SectionBlock(text=mrkdwn(clip(body, SECTION_MAX))),
        ContextBlock(elements=[mrkdwn(f"Next: commitments to act, with `{COMMAND} commit`.")]),
    ]
    return Message.of(f"<@{presenter_id}> reflects. What I learned: {clip(learned, 2000)}", blocks)


def build_refusal(text: str) -> Message:
    return Message.of(text, [SectionBlock(text=mrkdwn(text))])
