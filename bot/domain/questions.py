"""Question coaching: is a question open, closed, advice in disguise, or not a question at all?

Action learning helps through questions, not advice (Revans; practitioners' norms: open, probing
and affective questions; no leading or yes/no questions). The classifier is a small set of phrase
rules, deliberately simple and readable; the coaching is a kind note and an open rewording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class QuestionKind(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ADVICE = "advice"
    NOT_A_QUESTION = "not_a_question"


@dataclass(frozen=True)
class Coaching:
    kind: QuestionKind
    note: str
    suggestion: str | None


# Phrases that make a question a suggestion wherever they appear...
ADVICE_ANYWHERE = (
    "why don't you",
    "why do not you",
    "why not just",
    "why not try",
    "why didn't you just",
    "wouldn't it be better",
    "would it not be better",
    "wouldn't you be better",
    "would you not be better",
    "i would",
    "i'd ",
    "i'd,",
    "if i were you",
    "if i was you",
    "what if you just",
    "what about just",
    "how about just",
    "how about you just",
    "isn't it obvious",
    "the answer is",
    "my advice",
    "my suggestion",
    "i suggest",
    "i recommend",
    "don't you think you should",
    "don't you think you need",
    "what do you think about simply",
    "what do you think about just",
    "what do you think of simply",
    "what do you think of just",
    "couldn't you just",
    "can't you just",
    "wouldn't it make sense",
    "you could just",
    "just do it",
)
# ...and phrases that do so when a sentence starts with them ("What have you tried?" stays open).
ADVICE_AT_START = (
    "have you tried",
    "have you considered",
    "have you thought about",
    "have you thought of",
    "have you looked at",
    "have you asked",
    "did you think of",
    "did you try",
    "did you consider",
    "you should",
    "you shouldn't",
    "you need to",
    "you must",
    "you ought to",
    "you could",
    "shouldn't you",
    "should you not",
    "try ",
    "maybe you should",
    "perhaps you should",
    "consider ",
    "what about ",
    "how about ",
)
# Polite requests that invite the presenter to talk, even though they start like yes/no questions.
OPEN_REQUESTS = (
    "could you tell",
    "can you tell",
    "would you tell",
    "could you say more",
    "can you say more",
    "would you say more",
    "could you describe",
    "can you describe",
    "would you describe",
    "could you walk",
    "can you walk",
    "could you explain",
    "can you explain",
    "would you explain",
    "could you talk",
    "can you talk",
    "could you give",
    "can you give",
    "would you be willing to say more",
)
OPEN_STARTS = (
    "what",
    "how",
    "who",
    "whom",
    "whose",
    "when",
    "where",
    "which",
    "why",
    "tell me",
    "describe",
    "talk me through",
    "walk me through",
    "in what way",
    "to what extent",
    "help me understand",
    "say more",
    "explain",
    "share",
    "imagine",
    "suppose",
)
CLOSED_STARTS = (
    "is",
    "are",
    "was",
    "were",
    "do",
    "does",
    "did",
    "can",
    "could",
    "will",
    "would",
    "has",
    "have",
    "had",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "wouldn't",
    "can't",
    "couldn't",
    "haven't",
    "hasn't",
    "hadn't",
    "shouldn't",
    "am",
)
LEAD_INS = re.compile(
    r"^(?:(?:so|and|but|ok|okay|well|also|then|now|right|hmm+|i'm curious|i am curious|i wonder|"
    r"i'm wondering|i am wondering|can i ask|may i ask|out of curiosity|just curious|quick question|"
    r"genuine question|question)[\s,:;.!-]+)+"
)
WORD = re.compile(r"[a-z']+")
GENERIC = (
    "What would success look like for you?",
    "What have you tried so far, and what happened?",
    "What is stopping you?",
    "How do you feel about it?",
)


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.lower().split())


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip()]


def _starts_with(text: str, starts: tuple[str, ...]) -> bool:
    return any(
        text == s or text.startswith(s + " ") or text.startswith(s + ",") or text.startswith(s + "?") for s in starts
    )


def _kind_of_sentence(body: str) -> QuestionKind:
    if _starts_with(body, OPEN_REQUESTS):
        return QuestionKind.OPEN
    if _starts_with(body, OPEN_STARTS):
        return QuestionKind.OPEN
    if _starts_with(body, CLOSED_STARTS):
        return QuestionKind.CLOSED
    # A question mark without a question word ("The deadline is fixed?") asks for a yes or a no.
    return QuestionKind.CLOSED if body.endswith("?") else QuestionKind.NOT_A_QUESTION


def classify_question(text: str) -> QuestionKind:
    normal = _normalise(text[:5000])
    if not WORD.search(normal):
        return QuestionKind.NOT_A_QUESTION
    padded = f" {normal} "
    if any(f" {phrase}" in padded for phrase in ADVICE_ANYWHERE):
        return QuestionKind.ADVICE
    sentences = [LEAD_INS.sub("", s).strip(" \"'(") for s in _sentences(normal)]
    if any(s.startswith(ADVICE_AT_START) for s in sentences):
        return QuestionKind.ADVICE
    kinds = [_kind_of_sentence(s) for s in sentences]
    if QuestionKind.OPEN in kinds:
        return QuestionKind.OPEN
    if QuestionKind.CLOSED in kinds:
        return QuestionKind.CLOSED
    return QuestionKind.NOT_A_QUESTION


NOTES = {
    QuestionKind.CLOSED: (
        "This can be answered with a yes or a no. An open question invites the presenter to think aloud."
    ),
    QuestionKind.ADVICE: (
        "This sounds like a suggestion. In action learning the set helps the presenter find their own way: "
        "try asking about what they see, rather than what you would do."
    ),
    QuestionKind.NOT_A_QUESTION: (
        "This reads as a statement. The set helps through questions: what would you like to ask the presenter?"
    ),
}
CLOSED_REWORDING = re.compile(
    r"^(?:is|are|was|were) (?:the |your |this |that |it )?(?P<thing>[a-z' -]{2,60}?) (?P<state>[a-z'-]{3,30})\??$"
)


def _suggest(kind: QuestionKind, normal: str) -> str:
    sentence = LEAD_INS.sub("", (_sentences(normal) or [normal])[0]).rstrip("?.! ")
    if kind == QuestionKind.CLOSED:
        match = CLOSED_REWORDING.match(sentence)
        if match:
            return f"How {match['state']} is the {match['thing']}, and what would change if it weren't?"
        if sentence.startswith(("do you", "did you", "have you", "are you", "can you", "could you", "will you")):
            return "What do you make of it so far, and what would help you decide?"
        return "What do you see when you look at it from there?"
    if kind == QuestionKind.ADVICE:
        if any(p in normal for p in ("talk", "speak", "manager", "boss", "hr", "ask ")):
            return "Who have you talked to about this so far, and what happened?"
        if any(p in normal for p in ("tried", "try", "workshop", "meeting", "training")):
            return "What have you tried so far, and what happened?"
        return "What options do you see, and which of them feels right to you?"
    return GENERIC[len(normal) % len(GENERIC)]


def coach_question(text: str) -> Coaching:
    kind = classify_question(text)
    if kind == QuestionKind.OPEN:
        return Coaching(kind=kind, note="", suggestion=None)
    return Coaching(kind=kind, note=NOTES[kind], suggestion=_suggest(kind, _normalise(text[:5000])))
