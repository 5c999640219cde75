"""Rules of a round: its phases, what a presentation and a question must be, and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PROBLEM_MAX = 150
CONTEXT_MAX = 3000
PROMPT_MAX = 1000
QUESTION_MIN = 5
QUESTION_MAX = 1000
ANSWER_MAX = 3000
REFLECTION_MAX = 3000


class Phase(StrEnum):
    CLARIFYING = "clarifying"
    EXPLORATORY = "exploratory"
    REFLECTING = "reflecting"  # questions closed, the presenter's reflection to come
    CLOSED = "closed"  # reflected

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]

    @property
    def open_for_questions(self) -> bool:
        return self in (Phase.CLARIFYING, Phase.EXPLORATORY)


PHASE_LABELS = {
    Phase.CLARIFYING: "Clarifying questions",
    Phase.EXPLORATORY: "Exploratory questions",
    Phase.REFLECTING: "Questions closed: the presenter is reflecting",
    Phase.CLOSED: "Closed",
}
PHASE_HINTS = {
    Phase.CLARIFYING: "Ask what you need to understand the situation: what happened, who is involved, what matters.",
    Phase.EXPLORATORY: (
        "Ask the questions that help the presenter see it afresh: assumptions, feelings, options, what stops them."
    ),
}


class QuestionStatus(StrEnum):
    WAITING = "waiting"
    STILL_THINKING = "still_thinking"
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"


class HelpWanted(StrEnum):
    """What kind of questions the presenter would like."""

    CLARIFY = "clarify"
    CHALLENGE = "challenge"
    OPTIONS = "options"
    FEELINGS = "feelings"
    NEXT_STEPS = "next_steps"

    @property
    def label(self) -> str:
        return HELP_LABELS[self]


HELP_LABELS = {
    HelpWanted.CLARIFY: "Questions that help me get clear about the problem",
    HelpWanted.CHALLENGE: "Questions that challenge my assumptions",
    HelpWanted.OPTIONS: "Questions about options I haven't considered",
    HelpWanted.FEELINGS: "Questions about how I feel about it",
    HelpWanted.NEXT_STEPS: "Questions about my next steps",
}


class PresentationField(StrEnum):
    PROBLEM = "problem"
    CONTEXT = "context"
    WHY = "why_it_matters"
    TRIED = "tried"
    SUCCESS = "success"


@dataclass(frozen=True)
class Presentation:
    problem: str
    context: str = ""
    why_it_matters: str = ""
    tried: str = ""
    success: str = ""
    help_wanted: tuple[HelpWanted, ...] = ()


def tidy(text: str | None) -> str:
    """Text as typed, without the blank lines and spaces around it."""
    return (text or "").strip()


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def validate_presentation(
    *,
    problem: str | None,
    context: str | None,
    why_it_matters: str | None,
    tried: str | None,
    success: str | None,
    help_wanted: list[str],
) -> Presentation | dict[PresentationField, str]:
    errors: dict[PresentationField, str] = {}
    problem_line = one_line(problem)
    if not problem_line:
        errors[PresentationField.PROBLEM] = "Say what the problem is, in a sentence."
    elif len(problem_line) > PROBLEM_MAX:
        errors[PresentationField.PROBLEM] = (
            f"Keep it to one line of {PROBLEM_MAX} characters (it has {len(problem_line)})."
        )
    texts = {
        PresentationField.CONTEXT: (tidy(context), CONTEXT_MAX),
        PresentationField.WHY: (tidy(why_it_matters), PROMPT_MAX),
        PresentationField.TRIED: (tidy(tried), PROMPT_MAX),
        PresentationField.SUCCESS: (tidy(success), PROMPT_MAX),
    }
    for field, (value, limit) in texts.items():
        if len(value) > limit:
            errors[field] = f"Keep this to {limit:,} characters (it has {len(value):,})."
    wanted = tuple(h for h in HelpWanted if h.value in set(help_wanted))
    if errors:
        return errors
    return Presentation(
        problem=problem_line,
        context=texts[PresentationField.CONTEXT][0],
        why_it_matters=texts[PresentationField.WHY][0],
        tried=texts[PresentationField.TRIED][0],
        success=texts[PresentationField.SUCCESS][0],
        help_wanted=wanted,
    )


def question_error(text: str | None) -> str | None:
    value = tidy(text)
    if not value:
        return "Write your question."
    if len(value) < QUESTION_MIN:
        return f"A question needs at least {QUESTION_MIN} characters."
    if len(value) > QUESTION_MAX:
        return f"Keep your question to {QUESTION_MAX:,} characters (it has {len(value):,})."
    return None


def long_text_error(text: str | None, *, limit: int, required: str | None) -> str | None:
    """The message for a free-text answer: `required` is what to say when it is empty, None if optional."""
    value = tidy(text)
    if not value and required:
        return required
    if len(value) > limit:
        return f"Keep this to {limit:,} characters (it has {len(value):,})."
    return None


def default_round_for_asker(rounds: list[tuple[int, str]], asker_id: str) -> int | None:
    """Newest open round that is not the asker's own, from (round id, presenter id) newest first."""
    return next((round_id for round_id, presenter in rounds if presenter != asker_id), None)
