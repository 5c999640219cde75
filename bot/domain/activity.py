"""What a set has been doing, in counts: the facilitator's digest and the set's health line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SetActivity:
    members: int
    rounds_opened: int
    rounds_closed: int
    questions_asked: int
    open_questions: int
    commitments_made: int
    commitments_done: int
    commitments_open: int
    commitments_overdue: int
    reflections: Counter[str] = field(default_factory=Counter)  # by visibility
    quiet: list[str] = field(default_factory=list)  # user ids, quiet for three weeks or more
    open_rounds: int = 0
