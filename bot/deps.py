"""What handlers and jobs need, built once and handed to the app factory."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.inflight import InFlight
from bot.settings import Settings
from storage.database import Database


@dataclass
class Deps:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    inflight: InFlight = field(default_factory=InFlight)
