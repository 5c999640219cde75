"""What forgetting a member removes, and what the app's messages say in its place."""

from __future__ import annotations

from dataclasses import dataclass, field

REMOVED = "(removed at the author's request)"


@dataclass
class Forgotten:
    """What was removed, and the messages in Slack that now need to say so."""

    questions: int = 0
    answers: int = 0
    rounds: int = 0
    reflections: int = 0
    commitments: int = 0
    messages: list[tuple[str, str]] = field(default_factory=list)  # (channel, ts)
    rounds_to_redraw: set[int] = field(default_factory=set)

    @property
    def anything(self) -> bool:
        return bool(self.questions or self.answers or self.rounds or self.reflections or self.commitments)
