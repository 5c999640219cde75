"""A message as the app sends it: fallback text plus blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, text: str, blocks: list[Block]) -> Message:
        """Builds the dicts now, so a block that breaks one of Slack's limits fails here."""
        return cls(text=text, blocks=[b.to_dict() for b in blocks])
