"""What handlers and jobs need, built once and handed to the app factory."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.inflight import InFlight
from bot.settings import Settings
from bot.slack_api.installations import DatabaseInstallationStore
from storage.database import Database


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    inflight: InFlight = field(default_factory=InFlight)
    # The bot tokens of the workspaces the app is installed in (OAuth mode); None with one bot token.
    installations: DatabaseInstallationStore | None = field(init=False, default=None)
    token_locks: dict[str, asyncio.Lock] = field(init=False, default_factory=dict)  # per workspace

    def __post_init__(self) -> None:
        if self.settings.oauth and self.settings.slack_client_id is not None:
            self.installations = DatabaseInstallationStore(self.db, client_id=self.settings.slack_client_id)
