"""Signatures and replays, as properties: whatever the body, a request whose signature is missing,
wrong, stale, from the future or malformed gets 401, reaches no listener, calls no Slack method,
changes nothing and takes no room in the replay guard; and any signed request delivered a second
time exactly as it was gets 401 and changes nothing."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from bot.runners.web import REPLAY_GUARD
from slack_standin.driver import sign
from tests.e2e.harness import SIGNING_SECRET
from tests.property.conftest import Live
from tests.property.oracle import snapshot, unexpected_errors
from tests.property.payloads import FORM, settle
from tests.property.strategies import text
from tests.property.world import World

FIVE_MINUTES = 5 * 60


def _bodies(world: World) -> st.SearchStrategy[tuple[str, str]]:
    """Bodies that would change the database if they were taken: an away date, a click on Done."""
    away = st.builds(
        lambda user, day: urlencode(
            {
                "command": "/als",
                "text": f"away 2026-12-{day:02d}",
                "user_id": user,
                "team_id": world.team,
                "channel_id": world.a.channel,
                "response_url": "http://127.0.0.1:9/none",
                "trigger_id": "1.2.3",
            }
        ),
        st.sampled_from(world.a.people),
        st.integers(1, 31),
    )
    done = st.builds(
        lambda surface: urlencode(
            {
                "payload": json.dumps(
                    {
                        "type": "block_actions",
                        "user": {"id": world.a.members[0], "team_id": world.team},
                        "team": {"id": world.team},
                        "actions": [{"action_id": "commitments.done", "value": f"{world.a.commitment}:{surface}"}],
                    }
                )
            }
        ),
        st.sampled_from(["dm", "home"]),
    )
    event = st.builds(
        lambda user: json.dumps(
            {
                "type": "event_callback",
                "team_id": world.team,
                "event_id": f"Ev{user}",
                "event": {"type": "member_left_channel", "user": user, "channel": world.a.channel},
            }
        ),
        st.sampled_from(world.a.members),
    )
    return st.one_of(
        away.map(lambda b: (b, FORM)), done.map(lambda b: (b, FORM)), event.map(lambda b: (b, "application/json"))
    )


def _bad_headers(body: str) -> st.SearchStrategy[dict[str, str]]:
    """Headers that do not sign `body` now, in every way we know."""
    now = int(time.time())
    hexes = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
    return st.one_of(
        st.just({}),
        st.just({"X-Slack-Signature": sign(SIGNING_SECRET, body)["X-Slack-Signature"]}),  # no timestamp
        st.just({"X-Slack-Request-Timestamp": str(now)}),  # no signature
        hexes.map(lambda h: {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": f"v0={h}"}),
        text(big=False).map(lambda s: {"X-Slack-Request-Timestamp": str(now), "X-Slack-Signature": s}),
        st.integers(FIVE_MINUTES + 2, 10**7).map(lambda age: sign(SIGNING_SECRET, body, now - age)),  # stale
        st.integers(FIVE_MINUTES + 2, 10**7).map(lambda ahead: sign(SIGNING_SECRET, body, now + ahead)),  # future
        text(big=False).map(lambda secret: sign(secret or "x", body)),  # another secret
        st.just(sign(SIGNING_SECRET, body + " ")),  # another body
        st.just({**sign(SIGNING_SECRET, body), "X-Slack-Request-Timestamp": str(now - 1)}),  # another timestamp
        text(big=False)
        .filter(lambda s: not (s.isascii() and s.isdigit()))
        .map(lambda ts: {**sign(SIGNING_SECRET, body), "X-Slack-Request-Timestamp": ts}),
        st.just({**sign(SIGNING_SECRET, body), "X-Slack-Signature": "v0=é"}),  # not ASCII
    )


def _latin1(headers: dict[str, str]) -> dict[str, str]:
    """What can travel in an HTTP header: no control characters (aiohttp refuses them), anything
    else as its UTF-8 bytes."""
    return {
        k: "".join(c for c in v if c.isprintable() or c == " ").encode("utf-8", "surrogatepass").decode("latin-1")
        for k, v in headers.items()
    }


def test_requests_not_signed_now_by_slack_are_refused(live: Live) -> None:
    h, delivery = live.h, live.delivery
    guard = h.running.runner.app[REPLAY_GUARD]

    @live.settings(share=0.25)
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        body, content_type = data.draw(_bodies(live.world))
        headers = _latin1(data.draw(_bad_headers(body)))

        async def run() -> None:
            before, calls, remembered = await snapshot(h.db), len(h.standin.calls), len(guard)
            delivery.records.clear()
            reply = await delivery.post(body, {"Content-Type": content_type, **headers})
            await settle(h)
            assert reply.status == 401, (reply.status, reply.text[:200])
            assert len(h.standin.calls) == calls, "an unsigned request reached a listener"
            assert len(guard) == remembered, "an unsigned request took room in the replay guard"
            assert not unexpected_errors(delivery.records)
            after = await snapshot(h.db)
            assert after.digest == before.digest and after.counts == before.counts

        live.run(run())

    example()


def test_a_signed_request_is_taken_once(live: Live) -> None:
    h, delivery = live.h, live.delivery

    @live.settings(share=0.25)
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        body, content_type = data.draw(_bodies(live.world))
        body += (
            data.draw(st.sampled_from(["", "&extra=1", "&n=" + str(time.monotonic_ns())]))
            if content_type == FORM
            else ""
        )
        headers = {"Content-Type": content_type, **sign(SIGNING_SECRET, body)}

        async def run() -> None:
            first = await delivery.post(body, headers)
            await settle(h)
            before, calls = await snapshot(h.db), len(h.standin.calls)
            delivery.records.clear()
            again: Any = await delivery.post(body, headers)
            await settle(h)
            assert again.status == 401 or first.status == 401, (first.status, again.status)
            assert len(h.standin.calls) == calls
            after = await snapshot(h.db)
            assert after.digest == before.digest and after.counts == before.counts
            assert not unexpected_errors(delivery.records)

        live.run(run())

    example()
