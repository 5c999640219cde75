"""Replays: the exact same signed request (same timestamp, same signature) delivered again within
the five minutes its signature is valid gets 401 and changes nothing; Slack's own retries, which
carry a new timestamp and signature, still go through. Also the ReplayGuard's memory: only signed
requests are remembered, each for as long as its timestamp could pass, and never more than its
capacity."""

from __future__ import annotations

import json
import time
from datetime import date
from urllib.parse import urlencode

from sqlalchemy import delete, func, select

from bot.runners.web import REPLAY_GUARD, ReplayGuard
from slack_standin.driver import Reply, sign
from storage.models import Away, Commitment, ProcessedEvent, SetMember
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import SIGNING_SECRET, Harness
from tests.e2e.setup_helpers import make_set

FORM = "application/x-www-form-urlencoded"


def guard(h: Harness) -> ReplayGuard:
    return h.running.runner.app[REPLAY_GUARD]


async def count(h: Harness, model: type) -> int:
    async with h.db.read() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def post(h: Harness, body: str, headers: dict[str, str], content_type: str = FORM) -> Reply:
    reply = await h.driver.post_raw(body, {"Content-Type": content_type, **headers})
    await h.idle()
    return reply


async def test_a_replayed_command_gets_401_and_changes_nothing(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0].id
    body = urlencode(h.driver.command_payload(ada, people.channel.id, "away 2026-12-20"))
    headers = sign(SIGNING_SECRET, body)
    first = await post(h, body, headers)
    assert first.status == 200 and "away until" in first.text
    assert await count(h, Away) == 1
    async with h.db.write() as uow:  # back early: a replay must not make Ada away again
        await uow.session.execute(delete(Away))
    calls = len(h.standin.calls)
    replay = await post(h, body, headers)
    assert replay.status == 401
    assert await count(h, Away) == 0
    assert len(h.standin.calls) == calls


async def test_a_replayed_click_gets_401_and_is_not_done_twice(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada = people.members[0].id
    made = await commit(h, ada, people.channel.id, "Write the plan", date(2026, 12, 18))
    payload = {
        "type": "block_actions",
        "user": {"id": ada, "team_id": h.ws.team_id},
        "team": {"id": h.ws.team_id},
        "api_app_id": h.ws.app_id,
        "trigger_id": h.standin.issue_trigger(ada),
        "container": {"type": "view", "view_id": "VHOME"},
        "actions": [{"action_id": "commitments.snooze", "block_id": "b", "type": "button", "value": f"{made.id}:home"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = sign(SIGNING_SECRET, body)
    assert (await post(h, body, headers)).status == 200
    async with h.db.read() as uow:
        found = await uow.commitments.get(h.ws.team_id, made.id)
    assert found is not None and found[0].snoozed_to is not None
    snoozed_to, calls = found[0].snoozed_to, len(h.standin.calls)
    assert (await post(h, body, headers)).status == 401
    async with h.db.read() as uow:
        again = await uow.commitments.get(h.ws.team_id, made.id)
    assert again is not None and again[0].snoozed_to == snoozed_to
    assert len(h.standin.calls) == calls
    assert await count(h, Commitment) == 1


async def test_slack_retries_carry_a_new_signature_and_still_go_through(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    newcomer = h.ws.add_user("New Person")
    h.ws.channels[people.channel.id].members.append(newcomer.id)
    event = {"type": "member_joined_channel", "user": newcomer.id, "channel": people.channel.id, "team": h.ws.team_id}
    body = json.dumps(h.driver.event_payload(event, event_id="Ev0RETRY001"))
    now = int(time.time())
    first = await post(h, body, sign(SIGNING_SECRET, body, now - 4), "application/json")
    retry_headers = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    retry = await post(h, body, {**sign(SIGNING_SECRET, body, now), **retry_headers}, "application/json")
    assert (first.status, retry.status) == (200, 200)
    assert await count(h, ProcessedEvent) == 1  # the app's own de-duplication by event id
    async with h.db.read() as uow:
        member = await uow.sets.get_member(set_id, newcomer.id)
    assert isinstance(member, SetMember)
    # ...but the retry itself, delivered again as it was, is a replay
    replayed = await post(h, body, {**sign(SIGNING_SECRET, body, now), **retry_headers}, "application/json")
    assert replayed.status == 401


async def test_replays_of_stale_or_unsigned_requests_are_refused_and_not_remembered(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    body = urlencode(h.driver.command_payload(people.members[0].id, people.channel.id, "away 2026-12-20"))
    remembered = len(guard(h))
    for headers in [
        {},
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},
        sign(SIGNING_SECRET, body, int(time.time()) - 6 * 60),  # stale
        sign(SIGNING_SECRET, body, int(time.time()) + 6 * 60),  # from the future
        sign("another-secret", body),
    ]:
        for _ in range(2):
            assert (await post(h, body, headers)).status == 401
    assert len(guard(h)) == remembered  # unsigned garbage takes no memory
    assert await count(h, Away) == 0


async def test_header_names_in_lower_case_are_read(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    body = urlencode(h.driver.command_payload(people.members[0].id, people.channel.id, "help"))
    headers = {k.lower(): v for k, v in sign(SIGNING_SECRET, body).items()}
    assert (await post(h, body, headers)).status == 200
    assert (await post(h, body, headers)).status == 401


def test_the_guard_forgets_a_signature_once_its_timestamp_could_no_longer_pass() -> None:
    now = [1_000_000.0]
    replays = ReplayGuard(window=300, capacity=10, clock=lambda: now[0])
    assert replays.first_time(timestamp="1000000", signature="v0=a")
    assert not replays.first_time(timestamp="1000000", signature="v0=a")
    assert replays.first_time(timestamp="1000000", signature="v0=b")  # another request
    assert replays.first_time(timestamp="1000001", signature="v0=a")  # another timestamp
    now[0] = 1_000_300.0  # still within five minutes of the first
    assert not replays.first_time(timestamp="1000000", signature="v0=a")
    now[0] = 1_000_301.0  # now Bolt would refuse it as stale anyway: it is forgotten
    replays.first_time(timestamp="1000301", signature="v0=c")
    assert len(replays) == 2  # the two from 1000001 and 1000301


def test_the_guard_never_holds_more_than_its_capacity() -> None:
    now = [1_000_000.0]
    replays = ReplayGuard(window=300, capacity=3, clock=lambda: now[0])
    for i in range(10):
        assert replays.first_time(timestamp=str(1_000_000 + i), signature=f"v0={i}")
        assert len(replays) <= 3
    assert replays.forgotten_early == 7
    assert not replays.first_time(timestamp="1000009", signature="v0=9")  # the newest are kept
