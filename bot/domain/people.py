"""People as the app sees them, whatever Slack calls them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SLACKBOT = "USLACKBOT"
PERSON_INFO_LIFETIME = timedelta(hours=24)


@dataclass(frozen=True)
class Person:
    user_id: str
    display_name: str
    tz: str | None
    is_bot: bool
    is_deleted: bool

    @property
    def is_human(self) -> bool:
        """A set counts people: bots, Slackbot and deactivated accounts are left out."""
        return not self.is_bot and not self.is_deleted and self.user_id != SLACKBOT


def is_stale(fetched_at: datetime, now: datetime) -> bool:
    return now - fetched_at >= PERSON_INFO_LIFETIME
