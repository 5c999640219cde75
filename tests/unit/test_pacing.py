"""The pacer on virtual time: no test here sleeps for real."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections import defaultdict

import pytest

from scheduler.pacing import CLOSING_CHECK_SECONDS, Pacer, Turn
from scheduler.pacing import PER_CHANNEL_INTERVAL_SECONDS as GAP

TEAM = "T1"


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


async def posted(pacer: Pacer, team: str, channel: str, *, within: float | None = None) -> Turn | None:
    """Wait for a turn and post at once, Slack answering at once, as when nothing holds it up."""
    turn = await pacer.wait_turn(team, channel, within=within)
    if turn is not None:
        pacer.posted(turn)
    return turn


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
        assert await posted(pacer, TEAM, "D1")
        granted.append(clock.now)
    assert gaps(granted) == pytest.approx([GAP] * 4)
    assert GAP >= 1.0  # Slack's limit, and a margin


async def test_other_channels_are_not_held_up_by_a_busy_one() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    await posted(pacer, TEAM, "D1")
    start = clock.now
    await posted(pacer, TEAM, "D2")
    await posted(pacer, TEAM, "D3")
    assert clock.now - start < 0.05  # 100 a second allows them at once


async def test_the_workspace_pace_holds_across_channels_after_a_short_burst() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=600, burst=5, clock=clock, sleep=clock.sleep)  # 10 a second
    start = clock.now
    granted = []
    for n in range(105):
        assert await posted(pacer, TEAM, f"D{n}")
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
        assert await posted(pacer, TEAM, channel)
        granted[channel].append(clock.now)

    await asyncio.gather(*(post(f"D{n % 40}") for n in range(200)))
    everything = [t for times in granted.values() for t in times]
    assert len(everything) == 200
    assert min(g for times in granted.values() for g in gaps(sorted(times))) >= GAP - 1e-9
    assert most_in_any_window(everything, 1.0) <= 10 + 5
    assert max(everything) - start < 200 / 10 * 1.1  # close to the pace: nobody waited for nothing


async def test_a_turn_further_away_than_allowed_is_not_taken() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    await posted(pacer, TEAM, "D1")
    before = clock.now
    assert await posted(pacer, TEAM, "D1", within=0.5) is None
    assert clock.now == before  # no waiting
    assert await posted(pacer, TEAM, "D1", within=GAP + 0.5)  # and nothing was booked by the refusal
    assert clock.now - before == pytest.approx(GAP)


def test_a_pace_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(posts_per_minute=0)


async def test_each_workspace_has_its_own_pace() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=60, burst=2, clock=clock, sleep=clock.sleep)  # 1 a second, bursts of 2
    start = clock.now
    for team in ("T1", "T2", "T3"):
        assert await posted(pacer, team, "C1")
        assert await posted(pacer, team, "C2")
    assert clock.now == start  # each workspace's burst is its own
    assert await posted(pacer, "T1", "C3")
    assert clock.now - start == pytest.approx(1.0)


class SharedRecord:
    """The post_pace table's rule, in memory: read under a lock, written back when a turn holds."""

    def __init__(self) -> None:
        self.rows: dict[str, float] = {}

    def post(self, pacer: Pacer, team: str, channel: str) -> bool:
        turn = pacer.take(team, channel)
        if turn is None:
            return False
        booked = pacer.confirm(turn, channel_free=self.rows.get(channel, 0.0), tat=self.rows.get("*", 0.0))
        if booked is None:
            pacer.release(turn)
            return False
        pacer.posted(turn)
        self.rows[channel], self.rows["*"] = booked
        return True


async def test_instances_sharing_the_record_keep_both_limits_together() -> None:
    """Three instances, each with its own pacer, sending five posts to each of 30 people; every
    turn is confirmed against one shared record, as each post's transaction does in the database."""
    clock = VirtualTime()
    record = SharedRecord()
    pacers = [Pacer(posts_per_minute=600, clock=clock, sleep=clock.sleep) for _ in range(3)]  # 10 a second
    start = clock.now
    granted: dict[str, list[float]] = defaultdict(list)
    refused = 0

    async def post(pacer: Pacer, channel: str) -> None:
        nonlocal refused
        while True:
            await pacer.wait_ready(TEAM, channel)
            if record.post(pacer, TEAM, channel):
                granted[channel].append(clock.now)
                return
            refused += 1

    await asyncio.gather(*(post(pacers[n % 3], f"D{n % 30}") for n in range(150)))
    everything = [t for times in granted.values() for t in times]
    assert len(everything) == 150
    assert min(g for times in granted.values() for g in gaps(sorted(times))) >= GAP - 1e-9
    assert most_in_any_window(everything, 1.0) <= 10 + 5  # the pace of one, not of three
    assert refused > 0  # the instances did contend, and the record settled it
    assert max(everything) - start < 150 / 10 * 1.2  # and no one waited much longer than the pace


async def test_a_turn_the_record_refuses_waits_for_the_time_the_record_gives() -> None:
    clock = VirtualTime()
    mine = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    turn = mine.take(TEAM, "D1")
    assert turn is not None
    # Another instance posted to D1 a moment ago: the channel is free only 0.7 s from now.
    assert mine.confirm(turn, channel_free=clock.now + 0.7, tat=clock.now) is None
    mine.release(turn)
    assert mine.ready_at(TEAM, "D1") == pytest.approx(clock.now + GAP)  # the later of its own take and the record
    again = mine.take("T2", "D1")  # the same channel id in another workspace is another channel
    assert again is not None
    assert mine.confirm(again, channel_free=0.0, tat=0.0) == pytest.approx((clock.now + GAP, clock.now + 0.01))


def test_a_clock_that_moves_on_between_two_reads_still_grants_a_turn_that_is_ready() -> None:
    """The wall clock read through datetime moves on by microseconds between two reads: a turn that
    is ready must not be refused because the check read the clock twice."""
    ticks = itertools.count()
    pacer = Pacer(posts_per_minute=6000, clock=lambda: 1000.0 + next(ticks) * 1e-5)
    assert pacer.take(TEAM, "D1") is not None
    assert pacer.take(TEAM, "D2") is not None


async def test_closing_the_pacer_releases_every_waiting_sender_at_once() -> None:
    """At shutdown, senders waiting for a turn give up (their messages go back to the outbox) rather
    than keep the process up until their turn comes."""
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=1, burst=1, clock=clock, sleep=clock.sleep)  # the next turn is a minute away
    assert await posted(pacer, TEAM, "D1")
    start = clock.now
    waiting = [asyncio.create_task(pacer.wait_ready(TEAM, f"D{n}")) for n in range(2, 5)]
    await clock.sleep(2.0)
    assert not any(task.done() for task in waiting)
    pacer.close()
    assert await asyncio.gather(*waiting) == [False, False, False]
    assert clock.now - start <= 2.0 + CLOSING_CHECK_SECONDS
    assert await pacer.wait_ready(TEAM, "D5") is False  # and nobody waits after that


async def test_a_channels_next_turn_counts_from_slacks_answer_not_from_when_the_turn_was_taken() -> None:
    """Confirming a turn is a transaction, which can wait under load, and the request can be held
    up too: Slack counts the gap between posts as they arrive, so the next post to that channel
    waits a whole interval after Slack has answered this one, and meanwhile the channel is held
    however long that takes."""
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    turn = await pacer.wait_turn(TEAM, "D1")
    assert turn is not None
    taken = clock.now
    second = asyncio.create_task(posted(pacer, TEAM, "D1"))
    await clock.sleep(GAP + 0.8)  # the first post is held up past the second's turn as it was reckoned
    assert not second.done()
    assert pacer.take(TEAM, "D1") is None  # held: no turn for anyone
    assert await posted(pacer, TEAM, "D2")  # other channels go on
    pacer.posted(turn)
    answered = clock.now
    assert await second
    assert clock.now - answered >= GAP - 1e-9
    assert clock.now - taken > 2 * GAP  # where the turn as taken would have let it go at GAP


async def test_a_turn_given_back_frees_the_channel_without_a_post() -> None:
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    turn = await pacer.wait_turn(TEAM, "D1")
    assert turn is not None
    pacer.release(turn)
    start = clock.now
    assert await posted(pacer, TEAM, "D1")
    assert clock.now - start == pytest.approx(GAP)  # the interval the turn booked, no more
    pacer.release(turn)  # after the channel's next turn was taken and sent: changes nothing
    assert pacer.ready_at(TEAM, "D1") == pytest.approx(clock.now + GAP)


async def test_a_429_puts_the_channels_next_turn_after_retry_after() -> None:
    """Slack refused a post with Retry-After 3: the retry waits that long, and the post after it a
    whole interval more, rather than the retry and the channel's next post arriving together."""
    clock = VirtualTime()
    pacer = Pacer(posts_per_minute=6000, clock=clock, sleep=clock.sleep)
    assert await posted(pacer, TEAM, "D1")
    refused = clock.now
    pacer.rate_limited(TEAM, "D1", 3.0)
    assert await posted(pacer, TEAM, "D1")
    assert clock.now - refused == pytest.approx(3.0)
    retried = clock.now
    assert await posted(pacer, TEAM, "D1")
    assert clock.now - retried == pytest.approx(GAP)
    pacer.rate_limited(TEAM, "D1", 0.1)  # a Retry-After shorter than the interval changes nothing
    assert pacer.ready_at(TEAM, "D1") == pytest.approx(clock.now + GAP)
