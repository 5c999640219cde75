"""A burst of 2,000 due reminders (five to each of 400 people) drains through a stand-in that
enforces Slack's rate limits without a single 429, while slash commands are still answered.
The workspace-wide limit on chat.postMessage is a figure Slack does not publish: the stand-in is
set to 60 posts a second and the app to 50, so that the test takes well under a minute; the
per-channel limit is Slack's own, one a second."""

from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench.population import SetShape, channel_id, members_of, morning_zone
from slack_standin import SlackDriver
from slack_standin.rate_limits import RateLimits
from tests.databases import TemplateDatabases
from tests.e2e.harness import SIGNING_SECRET
from tests.e2e.instance_helpers import add_due_reminders, add_people, instance, instance_env, standin_for, wait_for

pytestmark = pytest.mark.slow

WORKSPACE_POSTS_PER_SECOND = 60  # what the stand-in allows
APP_POSTS_PER_MINUTE = 3000  # what the app is told: 50 a second, bursts of 5


@pytest.fixture
def sqlite_url(templates: TemplateDatabases, tmp_path: Path) -> str:
    return templates.fresh("sqlite", tmp_path)


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

    posts = standin.calls_to("chat.postMessage")
    assert [c for c in standin.calls if c.status == 429] == []
    assert len(accepted.keys) == expected
    assert set(accepted.keys.values()) == {1}
    by_channel: dict[str, list[float]] = defaultdict(list)
    for call in posts:
        by_channel[str(call.args["channel"])].append(call.at)
    closest = min(b - a for times in by_channel.values() for a, b in itertools.pairwise(times))
    busiest = max(sum(1 for t in [c.at for c in posts] if start <= t < start + 1) for start in [c.at for c in posts])
    assert len(by_channel) == 400
    assert closest >= 0.9  # the stand-in would have said 429 otherwise; this says it did not need to
    assert busiest <= WORKSPACE_POSTS_PER_SECOND
    assert latencies and max(latencies) < 3.0  # Slack's own deadline for an acknowledgement
    print(
        f"\n{expected} reminders to {len(by_channel)} people drained in {drained:.1f} s "
        f"({expected / drained:.0f}/s); closest posts to one channel {closest:.3f} s apart; "
        f"busiest second {busiest} posts; {len(latencies)} slash commands during the drain, "
        f"acknowledged in median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
