"""Pacing scheduled posts, so that a burst of due messages never makes Slack answer 429.

Slack's limits for chat.postMessage (a "special tier", https://docs.slack.dev/apis/web-api/rate-limits):
about one message per second per channel, with short bursts tolerated, and a workspace-wide limit
on top. The pacer keeps each channel (a DM is a channel) to one post a second and the instance's
scheduled posts to `posts_per_minute`, leaving the rest of the workspace's budget to what people
do interactively, which is never paced. A post is granted at the moment both allow it; the
clock and the sleep are arguments, so tests run on virtual time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

PER_CHANNEL_INTERVAL_SECONDS = 1.0
WORKSPACE_BURST = 5  # posts that may go out back to back before the per-minute pace applies
EPSILON = 1e-6  # seconds: rounding in the sums below must not cost a sleep

Sleep = Callable[[float], Awaitable[None]]


class Pacer:
    def __init__(
        self,
        *,
        posts_per_minute: float,
        per_channel_interval: float = PER_CHANNEL_INTERVAL_SECONDS,
        burst: int = WORKSPACE_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if posts_per_minute <= 0 or burst < 1:
            raise ValueError("the pace needs a positive rate and a burst of at least 1")
        self._interval = 60.0 / posts_per_minute
        self._tolerance = self._interval * (burst - 1)
        self._per_channel = per_channel_interval
        self._clock = clock
        self._sleep = sleep
        self._tat = float("-inf")  # the workspace's theoretical arrival time (GCRA)
        self._channel_free: dict[str, float] = {}

    def ready_at(self, channel: str) -> float:
        """The earliest moment a post to `channel` would be granted, as things stand."""
        now = self._clock()
        return max(now, self._channel_free.get(channel, now), self._tat - self._tolerance)

    async def wait_ready(self, channel: str, *, within: float | None = None) -> bool:
        """Wait until a post to `channel` would be allowed (taking nothing: call `take` when about
        to send). False, without waiting, when that is more than `within` seconds away."""
        started = self._clock()
        while True:
            now = self._clock()
            ready = self.ready_at(channel)
            if within is not None and ready - started > within:
                return False
            if ready <= now + EPSILON:
                return True
            await self._sleep(ready - now)

    def take(self, channel: str) -> bool:
        """Take the turn now if both limits allow it (no await: nothing can slip in between)."""
        now = self._clock()
        if self.ready_at(channel) > now + EPSILON:
            return False
        self._channel_free[channel] = now + self._per_channel
        self._tat = max(self._tat, now) + self._interval
        self._forget_idle_channels(now)
        return True

    async def wait_turn(self, channel: str, *, within: float | None = None) -> bool:
        """Wait for a turn and take it; False (nothing taken) when it is more than `within` away."""
        started = self._clock()
        while True:
            left = None if within is None else within - (self._clock() - started)
            if not await self.wait_ready(channel, within=left):
                return False
            if self.take(channel):
                return True

    def _forget_idle_channels(self, now: float) -> None:
        if len(self._channel_free) > 10_000:
            self._channel_free = {c: t for c, t in self._channel_free.items() if t > now}
