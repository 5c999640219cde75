"""A commitment as its owner and the set see it, free of storage and of Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OPEN, DONE, DROPPED = "open", "done", "dropped"


@dataclass(frozen=True)
class CommitmentInfo:
    id: int
    user_id: str
    action: str
    due_date: date
    status: str
    set_name: str
    channel_id: str
    done_looks_like: str = ""
    latest_note: str = ""
