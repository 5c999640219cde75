"""A burst of 2,000 due reminders (five to each of 400 people) drains through a stand-in that
enforces Slack's rate limits without a single 429, while slash commands are still answered; and
three instances on one PostgreSQL database keep those limits together, as one.
The workspace-wide limit on chat.postMessage is a figure Slack does not publish: the stand-in is
set to 60 posts a second and the app to 45 (for the workspace, whatever the number of instances),
so that the tests take well under a minute; the per-channel limit is Slack's own, one a second."""

from __future__ import annotations

import asyncio
import itertools
import os
import statistics
import time
from collections import Counter, defaultdict
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.population import SetShape, channel_id, members_of, morning_zone
from scheduler.outbox import CLAIM_BATCH
from slack_standin import SlackDriver, SlackStandin
from slack_standin.rate_limits import RateLimits
from slack_standin.server import Call
from storage.database import Database
from storage.models import OutboxMessage
from tests.databases import TemplateDatabases
from tests.e2e.harness import SIGNING_SECRET
from tests.e2e.instance_helpers import (
    Accepted,
    add_due_reminders,
    add_people,
    instance,
    instance_env,
    pid_of,
    standin_for,
    wait_for,
)

pytestmark = pytest.mark.slow

WORKSPACE_POSTS_PER_SECOND = 60  # what the stand-in allows
# What the app is told: 45 a second, bursts of 5. The pace is kept when a post takes its turn, and
# posts reach Slack a little later, unevenly: at 50 a second the busiest second Slack saw held 58
# posts on a 2 GHz machine, and once more than 60 (a 429). An operator leaves the same headroom.
APP_POSTS_PER_MINUTE = 2700


@pytest.fixture
def sqlite_url(templates: TemplateDatabases, tmp_path: Path) -> str:
    return templates.fresh("sqlite", tmp_path)


def closest_to_one_channel(posts: list[Call]) -> tuple[int, float]:
    """(channels posted to, the shortest time between two posts to one of them)."""
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in posts:
        by_channel[str(call.args["channel"])].append(call.at)
    return len(by_channel), min(b - a for times in by_channel.values() for a, b in itertools.pairwise(sorted(times)))


def busiest_second(posts: list[Call]) -> int:
    times = sorted(c.at for c in posts)
    return max(sum(1 for t in times[i:] if t < start + 1) for i, start in enumerate(times))


def within_slacks_limits(standin: SlackStandin, accepted: Accepted, *, expected: int, people: int) -> tuple[float, int]:
    """Every reminder reached Slack once, without a 429, no channel got two posts within Slack's
    second (less the stand-in's tolerance) and no second held more than the workspace allows.
    Returns (closest posts to one channel, busiest second), for the report."""
    posts = standin.calls_to("chat.postMessage")
    assert [c for c in standin.calls if c.status == 429] == []
    assert len(accepted.keys) == expected
    assert set(accepted.keys.values()) == {1}
    channels, closest = closest_to_one_channel(posts)
    busiest = busiest_second(posts)
    assert channels == people
    assert closest >= 0.9  # the stand-in would have said 429 otherwise; this says it did not need to
    assert busiest <= WORKSPACE_POSTS_PER_SECOND
    return closest, busiest


async def test_2000_due_reminders_drain_without_a_429_and_commands_stay_prompt(sqlite_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    shape = SetShape(sets=80, members=5, tz=morning_zone(now))
    url = sqlite_url
    standin, accepted = standin_for(shape)
    standin.rate_limits = RateLimits(posts_per_window=WORKSPACE_POSTS_PER_SECOND, window=1.0)
    await standin.start()
    await add_people(url, shape, now=now)
    expected = await add_due_reminders(url, shape, now=now, per_set=25, first_id=1)
    assert expected == 2000
    env = instance_env(standin, url, SWEEP_INTERVAL_SECONDS="0.5", SCHEDULED_POSTS_PER_MINUTE=str(APP_POSTS_PER_MINUTE))
    latencies: list[float] = []
    driver = SlackDriver(standin, "http://127.0.0.1:1", SIGNING_SECRET)
    try:
        async with instance(env, tmp_path) as app:
            await app.app.wait_healthy()
            driver.app_url = app.url
            started = time.monotonic()
            person, channel = members_of(1, shape.members)[0], channel_id(1)
            while len(accepted.keys) < expected and time.monotonic() - started < 120:
                sent = time.monotonic()
                reply = await driver.command(person, channel, "help")
                latencies.append(time.monotonic() - sent)
                assert reply.status == 200
                await asyncio.sleep(0.5)
            await wait_for(lambda: len(accepted.keys) >= expected, timeout=5)
            drained = time.monotonic() - started
            assert await app.stop() == 0
    finally:
        await driver.close()
        await standin.stop()

    closest, busiest = within_slacks_limits(standin, accepted, expected=expected, people=400)
    assert latencies and max(latencies) < 3.0  # Slack's own deadline for an acknowledgement
    print(
        f"\n{expected} reminders to 400 people drained in {drained:.1f} s "
        f"({expected / drained:.0f}/s); closest posts to one channel {closest:.3f} s apart; "
        f"busiest second {busiest} posts; {len(latencies)} slash commands during the drain, "
        f"acknowledged in median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
async def test_three_instances_keep_the_limits_together(postgres_url: str, tmp_path: Path) -> None:
    """750 reminders, five to each of 150 people, sent by three instances at once: each is told the
    workspace's pace (45 a second), and together they keep to it, and to one post a second in each
    conversation, through the record they share in the database. Each would keep it alone; without
    the shared record the three would post up to three times the pace, and to one person within
    the same second."""
    url = postgres_url
    now = datetime.now(UTC)
    shape = SetShape(sets=30, members=5, tz=morning_zone(now))
    standin, accepted = standin_for(shape)
    standin.rate_limits = RateLimits(posts_per_window=WORKSPACE_POSTS_PER_SECOND, window=1.0)
    await standin.start()
    await add_people(url, shape, now=now)
    expected = await add_due_reminders(url, shape, now=now, per_set=25, first_id=1)
    assert expected == 750
    env = instance_env(standin, url, SWEEP_INTERVAL_SECONDS="0.5", SCHEDULED_POSTS_PER_MINUTE=str(APP_POSTS_PER_MINUTE))
    db = Database.from_url(url)
    try:
        async with AsyncExitStack() as stack:
            instances = [await stack.enter_async_context(instance(env, tmp_path)) for _ in range(3)]
            await asyncio.gather(*(one.app.wait_healthy(30) for one in instances))
            started = time.monotonic()
            await wait_for(lambda: len(accepted.keys) >= expected, timeout=120)
            drained = time.monotonic() - started
            await asyncio.sleep(1.5)  # three more ticks each: nothing else may go out
            for one in instances:
                assert await one.stop() == 0
        async with db.read() as uow:
            senders = Counter(
                pid_of(by) for by in (await uow.session.scalars(select(OutboxMessage.claimed_by))).all() if by
            )
    finally:
        await db.dispose()
        await standin.stop()

    closest, busiest = within_slacks_limits(standin, accepted, expected=expected, people=150)
    assert all(senders[one.pid] > 0 for one in instances), senders  # all three did send
    assert "Traceback" not in "\n".join(line for one in instances for line in one.log)
    print(
        f"\n{expected} reminders to 150 people from 3 instances drained in {drained:.1f} s "
        f"({expected / drained:.0f}/s, the pace being {APP_POSTS_PER_MINUTE / 60:.0f}/s); closest posts to one "
        f"channel {closest:.3f} s apart; busiest second {busiest} posts; sent per instance {dict(senders)}"
    )


async def test_a_burst_bigger_than_a_batch_goes_out_within_one_tick(sqlite_url: str, tmp_path: Path) -> None:
    """450 reminders due, more than twice what one sweep claims, and one tick in the hour: the
    tick sweeps again while it finds a full batch, so all of them go out now, not an hour apart."""
    now = datetime.now(UTC)
    shape = SetShape(sets=90, members=5, tz=morning_zone(now))
    standin, accepted = standin_for(shape)
    await standin.start()
    await add_people(sqlite_url, shape, now=now)
    expected = await add_due_reminders(sqlite_url, shape, now=now, per_set=5, first_id=1)
    assert expected == 450 > 2 * CLAIM_BATCH
    env = instance_env(standin, sqlite_url, SWEEP_INTERVAL_SECONDS="3600", SCHEDULED_POSTS_PER_MINUTE="6000")
    try:
        async with instance(env, tmp_path) as app:
            await app.app.wait_healthy()
            await wait_for(lambda: len(accepted.keys) >= expected, timeout=60)
            await wait_for(lambda: len(app.logged("claimed")) >= 3, timeout=10)  # the last sweep's count
            assert await app.stop() == 0
    finally:
        await standin.stop()
    assert len(accepted.keys) == expected
    assert set(accepted.keys.values()) == {1}
    sweeps = app.logged("claimed")
    assert [line.split("sweep: ")[1].split(" claimed")[0] for line in sweeps] == ["200", "200", "50"]


async def test_a_429_on_a_scheduled_post_is_retried_at_the_pace_without_another(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Slack refuses the first of 25 reminders (five to each of five people) with 429 and
    Retry-After 1, as it may when another app shares the token. The pacer hears of it: the retry
    goes after Retry-After, and that person's next reminder a whole interval after the retry, so
    Slack never has reason for a second 429 and every reminder arrives once. (Waited out inside the
    Web API client instead, the retry lands on that person's next turn, and 429s follow each other
    through their reminders.)"""
    now = datetime.now(UTC)
    shape = SetShape(sets=1, members=5, tz=morning_zone(now))
    standin, accepted = standin_for(shape)
    standin.rate_limits = RateLimits(posts_per_window=WORKSPACE_POSTS_PER_SECOND, window=1.0)
    standin.fail_next("chat.postMessage", status=429, retry_after=1)
    await standin.start()
    await add_people(sqlite_url, shape, now=now)
    expected = await add_due_reminders(sqlite_url, shape, now=now, per_set=25, first_id=1)
    assert expected == 25
    env = instance_env(
        standin, sqlite_url, SWEEP_INTERVAL_SECONDS="0.5", SCHEDULED_POSTS_PER_MINUTE=str(APP_POSTS_PER_MINUTE)
    )
    try:
        async with instance(env, tmp_path) as app:
            await app.app.wait_healthy()
            await wait_for(lambda: len(accepted.keys) >= expected, timeout=60)
            await asyncio.sleep(1.0)  # two more ticks: nothing else may go out
            assert await app.stop() == 0
    finally:
        await standin.stop()

    posts = standin.calls_to("chat.postMessage")
    [refused] = [c for c in posts if c.status == 429]  # the one Slack was told to refuse, no other
    assert refused is posts[0]
    assert len(accepted.keys) == expected and set(accepted.keys.values()) == {1}
    to_them = sorted(c.at for c in posts[1:] if c.args["channel"] == refused.args["channel"])
    assert len(to_them) == 5  # the retry and their four others
    assert to_them[0] - refused.at >= 1.0  # the retry waited as Slack asked
    assert min(b - a for a, b in itertools.pairwise(to_them)) >= 0.9
    assert "Traceback" not in "\n".join(app.log)
