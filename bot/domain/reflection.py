"""Reflection, the R in L = P + Q + R: the bank of weekly prompts, the order each set goes through
it, who may see a reflection, and what makes one acceptable."""

from __future__ import annotations

import random
from collections.abc import Sequence
from enum import StrEnum

REFLECTION_MAX = 3000

PROMPTS: tuple[str, ...] = (
    "What did you try since we last met, and what happened?",
    "Which question from the set is still working on you?",
    "What have you learned about your problem that you did not know a month ago?",
    "What did you notice about yourself this week?",
    "Which of your assumptions has been tested lately, and how did it hold up?",
    "What surprised you this week, and what does the surprise tell you?",
    "What are you avoiding, and what would it take to face it?",
    "When did you feel stuck this week, and what did you do next?",
    "What would you do differently if you had this week again?",
    "Who else sees your problem differently, and what might they see that you do not?",
    "What feelings came up as you worked on your action, and what were they telling you?",
    "What small step made a difference, however little?",
    "What has changed in how you describe your problem?",
    "Which piece of progress are you quietly proud of?",
    "What help do you need now, and from whom?",
    "What got in the way of what you committed to, and what does that teach you?",
    "What did you learn from something that did not go to plan?",
    "Where did you hold back this week, and why?",
    "What question would you like the set to ask you next time?",
    "What are you beginning to see that you could not see before?",
    "How has working on this problem changed how you work with others?",
    "What is one thing you want to report back at the next meeting?",
    "If your problem could speak, what would it say about the past week?",
    "What would success look like now, and how does that compare with what you pictured at the start?",
    "What did you hear from someone this week that made you think again?",
    "What are you learning about how you learn?",
)


class Visibility(StrEnum):
    """Who may see a reflection."""

    SET = "set"  # posted in the prompt's thread
    FACILITATOR = "facilitator"  # the facilitator and the writer
    ME = "me"  # only the writer

    @property
    def label(self) -> str:
        return VISIBILITY_LABELS[self]


VISIBILITY_LABELS = {
    Visibility.SET: "The set (posted in the prompt's thread)",
    Visibility.FACILITATOR: "Only the facilitator and me",
    Visibility.ME: "Only me",
}


def _order(set_id: int, bank_size: int) -> list[int]:
    """The set's own order through the bank: a shuffle seeded by the set's id, the same in every
    process and every Python run (an integer seed does not depend on hash randomisation)."""
    order = list(range(bank_size))
    random.Random(set_id).shuffle(order)
    return order


def next_prompt_index(*, set_id: int, used: Sequence[int], bank_size: int) -> int:
    """The next prompt for a set: in the set's own order, no prompt again until every prompt has
    been used; then a new pass begins. `used` is the set's history, oldest first."""
    if bank_size <= 0:
        raise ValueError("the prompt bank is empty")
    seen: set[int] = set()
    for index in used:
        if not 0 <= index < bank_size:
            continue
        seen.add(index)
        if len(seen) == bank_size:
            seen = set()
    return next(i for i in _order(set_id, bank_size) if i not in seen)


def reflection_error(text: str | None) -> str | None:
    """What is wrong with a reflection, in plain words; None when it can be saved."""
    body = (text or "").strip()
    if not body:
        return "Write your reflection, even a sentence."
    if len(body) > REFLECTION_MAX:
        return f"Keep it to {REFLECTION_MAX} characters or fewer (this one has {len(body)})."
    return None
