"""The pacer on virtual time: no test here sleeps for real."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict

import pytest

from scheduler.pacing import Pacer


class VirtualTime:
    """A clock that jumps: the sleeper with the earliest wake-up goes on at once, at that time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._wakes: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = self.now + seconds
        heapq.heappush(self._wakes, wake)
        while True:
            await asyncio.sleep(0)  # everyone else runs until they sleep too
            if self._wakes[0] >= wake:
                break
        self._wakes.remove(wake)
        heapq.heapify(self._wakes)
        self.now = max(self.now, wake)


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in itertools.pairwise(times)]


def most_in_any_window(times: list[float], window: float) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered[i:] if t < start + window) for i, start in enumerate(ordered))


async def test_one_channel_gets_one_post_a_second() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    granted = []
    for _ in range(5):
        assert await pacer.wait_turn("D1")
        granted.append(clock.now)
    assert gaps(granted) == pytest.approx([1.0] * 4)


async def test_other_channels_are_not_held_up_by_a_busy_one() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    await pacer.wait_turn("D1")
    start = clock.now
    await pacer.wait_turn("D2")
    await pacer.wait_turn("D3")
    assert clock.now - start < 0.05  # 100 a second allows them at once


async def test_the_workspace_pace_holds_across_channels_after_a_short_burst() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=600, burst=5, clock=clock, sleep=clock.sleep)  # 10 a second
    start = clock.now
    granted = []
    for n in range(105):
        assert await pacer.wait_turn(f"D{n}")
        granted.append(clock.now)
    assert granted[:5] == [start] * 5  # the burst
    assert gaps(granted[5:]) == pytest.approx([0.1] * 99)
    assert most_in_any_window(granted, 1.0) <= 10 + 5
    assert granted[-1] - start == pytest.approx(10.0)


async def test_many_posts_at_once_keep_both_limits() -> None:
    """Due reminders, five to each of 40 people, all waiting together."""
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=600, clock=clock, sleep=clock.sleep)  # 10 a second
    start = clock.now
    granted: dict[str, list[float]] = defaultdict(list)

    async def post(channel: str) -> None:
        assert await pacer.wait_turn(channel)
        granted[channel].append(clock.now)

    await asyncio.gather(*(post(f"D{n % 40}") for n in range(200)))
    everything = [t for times in granted.values() for t in times]
    assert len(everything) == 200
    assert min(g for times in granted.values() for g in gaps(sorted(times))) >= 1.0 - 1e-9
    assert most_in_any_window(everything, 1.0) <= 10 + 5
    assert max(everything) - start < 200 / 10 * 1.1  # close to the pace: nobody waited for nothing


async def test_a_turn_further_away_than_allowed_is_not_taken() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    await pacer.wait_turn("D1")
    before = clock.now
    assert not await pacer.wait_turn("D1", within=0.5)
    assert clock.now == before  # no waiting
    assert await pacer.wait_turn("D1", within=1.5)  # and nothing was booked by the refusal
    assert clock.now - before == pytest.approx(1.0)


def test_a_pace_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(posts_per_minute=0)
