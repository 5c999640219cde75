"""Replay protection: a signed request is taken once.

The exact same request (same timestamp and signature) delivered again within the five minutes its
signature is valid is refused, like an unsigned one. The signatures seen are remembered in memory,
so with several instances behind a load balancer each instance refuses the replays that reach it.
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Callable

log = logging.getLogger("als.http")

REPLAY_WINDOW_SECONDS = 5 * 60  # how far a request's timestamp may be from now (Slack's rule, and Bolt's)
REPLAYS_REMEMBERED = 100_000  # a few MB at most; far more than Slack sends one app in five minutes


class ReplayGuard:
    """The signed requests taken in the last five minutes, each remembered until its timestamp is
    too old for the signature check to pass anyway. Only requests whose signature is valid are
    remembered, so unsigned garbage cannot fill the memory; past `capacity` the oldest go first."""

    def __init__(
        self,
        *,
        window: float = REPLAY_WINDOW_SECONDS,
        capacity: int = REPLAYS_REMEMBERED,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._window, self._capacity, self._clock = window, capacity, clock
        self._expiries: list[tuple[float, str]] = []  # a heap of (when it stops mattering, key)
        self._seen: set[str] = set()
        self.forgotten_early = 0

    def __len__(self) -> int:
        return len(self._seen)

    def first_time(self, *, timestamp: str, signature: str) -> bool:
        """True, and remembered, the first time; False when this exact request was taken before."""
        now = self._clock()
        while self._expiries and self._expiries[0][0] < now:
            self._seen.discard(heapq.heappop(self._expiries)[1])
        key = f"{timestamp}:{signature}"
        if key in self._seen:
            return False
        if len(self._seen) >= self._capacity:
            self._seen.discard(heapq.heappop(self._expiries)[1])
            self.forgotten_early += 1
            if self.forgotten_early % 1000 == 1:
                log.warning("replay guard full: forgetting signatures before their five minutes are up")
        self._seen.add(key)
        heapq.heappush(self._expiries, (int(timestamp) + self._window, key))
        return True
