"""Pacing scheduled posts, so that a burst of due messages never makes Slack answer 429.

Slack's limits for chat.postMessage (a "special tier", https://docs.slack.dev/apis/web-api/rate-limits):
about one message per second per channel, with short bursts tolerated, and a workspace-wide limit
on top. The pace keeps each channel (a DM is a channel) to one post a second and each workspace's
scheduled posts to `posts_per_minute`, leaving the rest of the workspace's budget to what people
do interactively, which is never paced.

Slack counts the gap between posts as they arrive, and a post can take a while to arrive (its
turn is confirmed in a transaction, which can wait for the database under load; the request itself
can be held up). So a channel is held from the moment its turn is taken until Slack has answered
the post (`posted`), and its next turn comes a whole interval after that answer, which came after
the post arrived: however late one post arrives, the next cannot arrive within the interval of it.
A turn not used is given back (`release`). When Slack answers 429 anyway (another app posting with
the same token, a limit tighter than ours), the sender tells the pacer (`rate_limited`) and takes a
new turn after Retry-After, so the retry and the channel's next post are paced together instead of
arriving on top of each other.

The pace is shared by every instance on one database: a turn is taken in this process first (so
that its own senders queue here rather than in the database), then confirmed against the shared
record under a row lock, in the same transaction that renews the message's lease (see
`scheduler.outbox`). A turn the shared record refuses (another instance posted first) is not
taken; this process learns from the record when the next one will be free. Times are seconds on
the wall clock, the one clock instances share; the clock and the sleep are arguments, so tests run
on virtual time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# Slack's one post a second per channel, and a margin. In one instance the interval runs from Slack's
# answer to the previous post, so jitter on the way cannot bring two posts closer than this; between
# instances it runs from the turn booked in the shared record, and the margin covers the moment
# between booking and arriving (measured up to 85 ms with 2,000 reminders due on 2 cores).
PER_CHANNEL_INTERVAL_SECONDS = 1.2
WORKSPACE_BURST = 5  # posts that may go out back to back before the per-minute pace applies
EPSILON = 1e-6  # seconds: rounding in the sums below must not cost a sleep
CLOSING_CHECK_SECONDS = 0.5  # a waiting sender notices the pacer closing within this

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Pace:
    """The rule, as a generic cell rate algorithm per workspace plus a gap per channel. State is two
    numbers: when the channel is next free, and the workspace's theoretical arrival time (`tat`)."""

    interval: float  # seconds between a workspace's posts, on average
    tolerance: float  # how far ahead of that pace a burst may run
    per_channel: float

    @classmethod
    def per_minute(
        cls, posts_per_minute: float, *, burst: int = WORKSPACE_BURST, per_channel: float = PER_CHANNEL_INTERVAL_SECONDS
    ) -> Pace:
        if posts_per_minute <= 0 or burst < 1:
            raise ValueError("the pace needs a positive rate and a burst of at least 1")
        interval = 60.0 / posts_per_minute
        return cls(interval=interval, tolerance=interval * (burst - 1), per_channel=per_channel)

    def ready_at(self, now: float, channel_free: float, tat: float) -> float:
        return max(now, channel_free, tat - self.tolerance)

    def after_post(self, now: float, tat: float) -> tuple[float, float]:
        """(channel_free, tat) once a post has gone out at `now`."""
        return now + self.per_channel, max(tat, now) + self.interval


@dataclass(frozen=True)
class Turn:
    """A turn taken in this process at `at`, still to be confirmed against the shared record."""

    team_id: str
    channel: str
    at: float


class Pacer:
    def __init__(
        self,
        *,
        posts_per_minute: float,
        per_channel_interval: float = PER_CHANNEL_INTERVAL_SECONDS,
        burst: int = WORKSPACE_BURST,
        clock: Callable[[], float] = time.time,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.pace = Pace.per_minute(posts_per_minute, burst=burst, per_channel=per_channel_interval)
        self._clock = clock
        self._sleep = sleep
        self._tat: dict[str, float] = {}  # per workspace
        self._channel_free: dict[tuple[str, str], float] = {}
        self._held: set[tuple[str, str]] = set()  # channels with a turn taken and Slack yet to answer its post
        self._closed = asyncio.Event()

    def close(self) -> None:
        """Shutting down: waiting senders give up within CLOSING_CHECK_SECONDS (and their messages go
        back to the outbox)."""
        self._closed.set()

    def ready_at(self, team_id: str, channel: str, now: float | None = None) -> float:
        """The earliest moment after `now` (the clock's) that a post to `channel` would be granted,
        as this process knows things."""
        now = self._clock() if now is None else now
        key = (team_id, channel)
        channel_free = self._channel_free.get(key, now)
        if key in self._held:  # a whole interval after Slack answers the held post, which it has not yet
            channel_free = max(channel_free, now + self.pace.per_channel)
        return self.pace.ready_at(now, channel_free, self._tat.get(team_id, float("-inf")))

    async def wait_ready(self, team_id: str, channel: str, *, within: float | None = None) -> bool:
        """Wait until a post to `channel` would be allowed (taking nothing: call `take` when about
        to send). False, without waiting, when that is more than `within` seconds away."""
        started = self._clock()
        while not self._closed.is_set():
            now = self._clock()
            ready = self.ready_at(team_id, channel, now)
            if within is not None and ready - started > within:
                return False
            if ready <= now + EPSILON:
                return True
            await self._sleep(min(ready - now, CLOSING_CHECK_SECONDS))
        return False

    def take(self, team_id: str, channel: str) -> Turn | None:
        """Take the turn now if both limits allow it (no await: nothing can slip in between). The
        channel is then held until `posted` or `release` is called with the turn."""
        now = self._clock()
        if self.ready_at(team_id, channel, now) > now + EPSILON:
            return None
        self._channel_free[(team_id, channel)], self._tat[team_id] = self.pace.after_post(
            now, self._tat.get(team_id, now)
        )
        self._held.add((team_id, channel))
        self._forget_idle_channels(now)
        return Turn(team_id, channel, now)

    def posted(self, turn: Turn) -> None:
        """Slack has answered the post of `turn` (or it failed on the way, so may have arrived): the
        channel's next turn is a whole interval from now."""
        key = (turn.team_id, turn.channel)
        self._held.discard(key)
        now = self._clock()
        self._channel_free[key] = max(self._channel_free.get(key, now), now + self.pace.per_channel)

    def release(self, turn: Turn) -> None:
        """The turn was not used (refused by the shared record, the message's lease had run out, or
        it failed before posting): the channel is no longer held. Nothing is given back to the
        workspace's pace. Calling it after `posted` changes nothing."""
        self._held.discard((turn.team_id, turn.channel))

    def rate_limited(self, team_id: str, channel: str, retry_after: float) -> None:
        """Slack answered a post to `channel` with 429: no post to it before `retry_after` seconds
        from now, and then a whole interval after the one before."""
        key = (team_id, channel)
        now = self._clock()
        self._channel_free[key] = max(self._channel_free.get(key, now), now + retry_after)

    def confirm(self, turn: Turn, *, channel_free: float, tat: float) -> tuple[float, float] | None:
        """Check a turn against the shared record (`channel_free`, `tat`, read under its lock). When
        it holds, returns the record to write back; when another instance got there first, returns
        None, and the next turn here waits for the time the record gives."""
        if self.pace.ready_at(turn.at, channel_free, tat) > turn.at + EPSILON:
            self._learn(turn, channel_free, tat)
            return None
        booked = self.pace.after_post(turn.at, tat)
        self._learn(turn, *booked)
        return booked

    async def wait_turn(self, team_id: str, channel: str, *, within: float | None = None) -> Turn | None:
        """Wait for a turn and take it; None (nothing taken) when it is more than `within` away. The
        channel is held until `posted` or `release`."""
        started = self._clock()
        while True:
            left = None if within is None else within - (self._clock() - started)
            if not await self.wait_ready(team_id, channel, within=left):
                return None
            turn = self.take(team_id, channel)
            if turn is not None:
                return turn

    def _learn(self, turn: Turn, channel_free: float, tat: float) -> None:
        key = (turn.team_id, turn.channel)
        self._channel_free[key] = max(self._channel_free.get(key, channel_free), channel_free)
        self._tat[turn.team_id] = max(self._tat.get(turn.team_id, tat), tat)

    def _forget_idle_channels(self, now: float) -> None:
        if len(self._channel_free) > 10_000:
            self._channel_free = {c: t for c, t in self._channel_free.items() if t > now or c in self._held}
