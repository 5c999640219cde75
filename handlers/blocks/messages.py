"""A message as the app sends it: fallback text plus blocks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, blocks: Sequence[Block | dict[str, Any]]) -> Message:
        """Builds the dicts now, so a block that breaks one of Slack's limits fails here (a block
        given as a dict was checked where it was built)."""
        return cls(text=text, blocks=[b if isinstance(b, dict) else b.to_dict() for b in blocks])
