"""The HTTP endpoint: signatures, malformed bodies, the health check."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import func, select

from slack_standin.driver import sign
from storage.models import LearningSet, ProcessedEvent
from tests.e2e.harness import SIGNING_SECRET, Harness, running_app
from tests.e2e.setup_helpers import make_set


async def count(h: Harness, model: type) -> int:
    async with h.db.read() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


def submission_body(h: Harness, user_id: str, channel_id: str) -> str:
    view = h.driver.open_view(user_id)
    payload = {
        "type": "view_submission",
        "team": {"id": h.ws.team_id},
        "user": {"id": user_id, "team_id": h.ws.team_id},
        "api_app_id": h.ws.app_id,
        "view": {**h.standin.view_payload(view)["view"], "state": {"values": h.driver.state_of(view)}},
    }
    return urlencode({"payload": json.dumps(payload)})


@pytest.mark.parametrize(
    "headers",
    [
        {},  # unsigned
        {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64},  # wrong
        sign("not-the-secret", "x"),  # signed with another secret
        {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=abc"},  # not a timestamp
        {"X-Slack-Request-Timestamp": "١٢٣", "X-Slack-Signature": "v0=abc"},  # digits, but not ASCII ones
    ],
    ids=["unsigned", "wrong-signature", "other-secret", "word-timestamp", "arabic-digits"],
)
async def test_unsigned_or_badly_signed_requests_get_401_and_store_nothing(
    harness: Harness, headers: dict[str, str]
) -> None:
    h = harness
    people = h.ws.add_user("Fran"), h.ws.add_channel("set", members=[])
    await h.driver.command(people[0].id, people[1].id, "setup")
    await h.standin.wait_for_call("views.open")
    body = submission_body(h, people[0].id, people[1].id)
    reply = await h.driver.post_raw(body, {"Content-Type": "application/x-www-form-urlencoded", **headers})
    assert reply.status == 401
    event = json.dumps(
        h.driver.event_payload({"type": "member_joined_channel", "user": people[0].id, "channel": people[1].id})
    )
    reply = await h.driver.post_raw(event, {"Content-Type": "application/json", **headers})
    assert reply.status == 401
    await h.idle()
    assert await count(h, LearningSet) == 0
    assert await count(h, ProcessedEvent) == 0


async def test_a_stale_signature_is_refused(harness: Harness) -> None:
    h = harness
    person, channel = h.ws.add_user("Fran"), h.ws.add_channel("set", members=[])
    await h.driver.command(person.id, channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    body = submission_body(h, person.id, channel.id)
    six_minutes_ago = int(time.time()) - 6 * 60
    reply = await h.driver.post_raw(
        body, {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, body, six_minutes_ago)}
    )
    assert reply.status == 401
    await h.idle()
    assert await count(h, LearningSet) == 0


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("payload=%5B1%5D", "application/x-www-form-urlencoded"),
    ],
    ids=["form-payload-not-json", "json-broken", "json-array", "json-string", "payload-array"],
)
async def test_signed_but_malformed_bodies_get_400(harness: Harness, body: str, content_type: str) -> None:
    reply = await harness.driver.post_raw(body, {"Content-Type": content_type, **sign(SIGNING_SECRET, body)})
    assert reply.status == 400
    assert "Traceback" not in reply.text


async def test_malformed_unsigned_bodies_get_401(harness: Harness) -> None:
    reply = await harness.driver.post_raw("{not json", {"Content-Type": "application/json"})
    assert reply.status == 401


async def test_bodies_that_are_not_utf8_or_too_big_are_refused(harness: Harness) -> None:
    h = harness
    reply = await h.driver.post_raw(b"\xff\xfe\x00payload", {"Content-Type": "application/x-www-form-urlencoded"})
    assert reply.status == 400
    big = "text=" + "a" * (600 * 1024)
    reply = await h.driver.post_raw(
        big, {"Content-Type": "application/x-www-form-urlencoded", **sign(SIGNING_SECRET, big)}
    )
    assert reply.status == 413


async def test_signed_payloads_with_nothing_to_handle_get_4xx(harness: Harness) -> None:
    h = harness
    for body in [
        "",
        "command=%2Fsomething-else&text=hi&team_id=T1&user_id=U1&channel_id=C1",
        json.dumps({"type": "block_actions", "actions": [{"action_id": "nope"}], "user": {"id": "U1"}}),
    ]:
        reply = await h.driver.post_raw(
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded" if not body.startswith("{") else "application/json",
                **sign(SIGNING_SECRET, body),
            },
        )
        assert 400 <= reply.status < 500, body


async def test_wrong_method_and_path(harness: Harness) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{harness.url}/slack/events") as resp:
            assert resp.status == 405
        async with session.post(f"{harness.url}/elsewhere") as resp:
            assert resp.status == 404


async def test_url_verification_is_answered(harness: Harness) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    reply = await harness.driver.post_raw(body, {"Content-Type": "application/json", **sign(SIGNING_SECRET, body)})
    assert reply.status == 200
    assert "abc123" in reply.text


async def test_health_is_200_when_migrated(harness: Harness) -> None:
    h = harness
    await make_set(h)
    async with aiohttp.ClientSession() as session, session.get(f"{h.url}/healthz") as resp:
        assert resp.status == 200
        assert await resp.json() == {"status": "ok", "database": True, "migrated": True}


async def test_health_is_503_until_migrations_ran(blank_database_url: str) -> None:
    async with (
        running_app(blank_database_url) as h,
        aiohttp.ClientSession() as session,
        session.get(f"{h.url}/healthz") as resp,
    ):
        assert resp.status == 503
        assert (await resp.json())["migrated"] is False


async def test_startup_migrates_when_asked(blank_database_url: str) -> None:
    async with (
        running_app(blank_database_url, migrate_on_start=True) as h,
        aiohttp.ClientSession() as session,
        session.get(f"{h.url}/healthz") as resp,
    ):
        assert resp.status == 200


async def test_web_api_calls_reuse_kept_open_connections(harness: Harness) -> None:
    """Bolt's per-request clients and the scheduler share one HTTP session: the app's calls to
    Slack go over a few kept-open connections (as many as it once needed at the same moment), not
    a new connection, and with Slack a new TLS handshake, for each call."""
    h = harness
    people, _ = await make_set(h)  # calls users.info for several people at once
    at_set_up = [c.peer for c in h.standin.calls if c.method != "response_url"]
    for member in people.members[:3]:
        opened = len(h.standin.calls_to("views.open"))
        reply = await h.driver.command(member.id, people.channel.id, "present")
        assert reply.status == 200
        await h.standin.wait_for_call("views.open", opened + 1)
        await h.idle()
    await h.sweep()
    peers = [c.peer for c in h.standin.calls if c.method != "response_url"]
    later = peers[len(at_set_up) :]
    assert len(at_set_up) >= 10 and len(later) >= 3 and all(peers)
    assert len(set(at_set_up)) <= len(at_set_up) // 2, at_set_up
    assert set(later) <= set(at_set_up), (at_set_up, later)
