"""Delivering generated payloads the way Slack does (signed, form-encoded), and checking each answer.

A generated payload may carry FRESH_TRIGGER and FRESH_RESPONSE_URL where a real Slack payload has
a trigger id and a response URL: they are swapped for live ones from the stand-in just before the
request goes out, so a payload that happens to be valid can open its modal or reply as usual.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import reprlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.runners.web import MAX_BODY_BYTES
from slack_standin.driver import Reply, sign
from tests.e2e.harness import SIGNING_SECRET, Harness
from tests.property.oracle import Snapshot, leaks, snapshot, unexpected_errors

FRESH_TRIGGER = "<fresh trigger>"
FRESH_RESPONSE_URL = "<fresh response url>"
FORM = "application/x-www-form-urlencoded"
# Web API calls (and response URL posts) by which the app answers the person who acted.
TELLING = frozenset(
    {
        "response_url",
        "chat.postEphemeral",
        "chat.postMessage",
        "chat.update",
        "views.open",
        "views.update",
        "views.push",
        "views.publish",
    }
)
SHORT = reprlib.Repr()
SHORT.maxstring = SHORT.maxother = 120
SHORT.maxdict, SHORT.maxlist, SHORT.maxlevel = 40, 20, 8


@dataclass(frozen=True, repr=False)
class Case:
    """One generated request, with what the test expects of it."""

    payload: dict[str, Any]
    form_fields: bool = False  # a slash command: the payload's fields are the form itself
    routable: bool = True  # Bolt has a listener for it (else 4xx is the right answer)
    well_formed: bool = True  # every part has the type Slack gives it (else 400 is right too)
    invalid: bool = True  # invalid by construction: the database must not change
    actor: str = ""

    def __repr__(self) -> str:  # long strings shortened: a 100 kB example is unreadable anyway
        shown = SHORT.repr(self.payload)
        return f"Case({shown}, routable={self.routable}, invalid={self.invalid}, actor={self.actor!r})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # what hypothesis prints
        printer.text(repr(self))

    def body(self, trigger: str, response_url: str) -> str:
        def fresh(value: Any) -> Any:
            if value == FRESH_TRIGGER:
                return trigger
            if value == FRESH_RESPONSE_URL:
                return response_url
            return value

        fields = {k: fresh(v) for k, v in self.payload.items()}
        if self.form_fields:
            return urlencode(fields)
        return urlencode({"payload": json.dumps(fields)})


class Delivery:
    """Sends cases to the running app and checks every answer; keeps the last snapshot."""

    def __init__(self, h: Harness, records: list[Any]) -> None:
        self.h = h
        self.records = records
        self.baseline: Snapshot | None = None
        self.sent = 0
        self._session: aiohttp.ClientSession | None = None
        self.changed = 0
        self._signed: set[tuple[str, int]] = set()

    async def post(self, body: str, headers: dict[str, str]) -> Reply:
        """POST to the app's endpoint (a stream, so aiohttp does not warn about big bodies)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        url = f"{self.h.url}/slack/events"
        async with self._session.post(url, data=io.BytesIO(body.encode()), headers=headers) as resp:
            return Reply(resp.status, await resp.text(), dict(resp.headers))

    def sign(self, body: str) -> dict[str, str]:
        """Signed as Slack signs, at a timestamp this body was not sent with before: hypothesis sends
        the same example again when it shrinks one, and within the same second that would be a
        replay (401), which is not what the example is about."""
        key = hashlib.sha256(body.encode()).hexdigest()
        timestamp = int(time.time())
        while (key, timestamp) in self._signed:
            timestamp -= 1
        self._signed.add((key, timestamp))
        return sign(SIGNING_SECRET, body, timestamp)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def start(self) -> None:
        await settle(self.h)
        self.records.clear()
        self.baseline = await snapshot(self.h.db)

    async def deliver(self, case: Case) -> Reply:
        h = self.h
        assert self.baseline is not None, "call start() first"
        user = case.actor if case.actor in h.ws.users else next(iter(h.ws.users))
        body = case.body(h.standin.issue_trigger(user), h.standin.new_response_url(next(iter(h.ws.channels)), user))
        self.records.clear()
        calls_before = len(h.standin.calls)
        reply = await self.post(body, {"Content-Type": FORM, **self.sign(body)})
        await settle(h)
        told = [c.method for c in h.standin.calls[calls_before:] if c.method in TELLING]
        self.sent += 1
        problems = unexpected_errors(self.records)
        after, before = await snapshot(h.db), self.baseline
        self.baseline = after  # before any assertion: shrinking replays examples from this state on
        too_big = len(body.encode()) > MAX_BODY_BYTES
        if too_big:
            assert reply.status == 413, (reply.status, reply.text[:300])
        elif case.routable and case.well_formed:
            assert reply.status == 200, (reply.status, reply.text[:300])
        elif case.routable:
            assert reply.status in {200, 400}, (reply.status, reply.text[:300])
        else:
            assert 400 <= reply.status < 500, (reply.status, reply.text[:300])
        if reply.status == 200 and case.routable and case.well_formed and case.invalid:
            # Whatever was wrong, the person hears about it: in the acknowledgement (a reply, or a
            # modal's inline errors), or by what the app then sent them.
            assert reply.text.strip() or told, ("nobody was told anything", reply.text[:300])
        assert not leaks(reply.text, sent=body), (leaks(reply.text, sent=body), reply.text[:500])
        assert not problems, problems
        if case.invalid or too_big:
            assert not before.differences(after) and before.digest == after.digest, (
                "an invalid input changed the database",
                before.differences(after),
            )
        elif after.digest != before.digest:
            self.changed += 1
        strangers = {user for _, user in after.cached_people - before.cached_people} - set(h.ws.users)
        assert not strangers, f"profiles cached for people Slack does not know: {sorted(strangers)[:3]}"
        return reply


async def settle(h: Harness, timeout: float = 10.0) -> None:
    """Wait until the work the app does after acknowledging has ended (quicker than Harness.idle)."""
    for _ in range(2):
        await asyncio.sleep(0.002)
        if not await h.deps.inflight.wait(timeout):
            raise TimeoutError("the app is still busy")
