"""`/als help`, a bare `/als`, unknown subcommands, and the hint outside a set."""

from __future__ import annotations

import pytest

from tests.e2e.harness import Harness
from tests.e2e.setup_helpers import make_set

EVERY_SUBCOMMAND = [
    "/als help",
    "/als setup",
    "/als status",
    "/als present",
    "/als ask",
    "/als close",
    "/als commit",
    "/als away YYYY-MM-DD",
    "/als back",
    "/als settings",
    "/als pause YYYY-MM-DD",
    "/als resume",
    "/als bid [what you want time for]",
    "/als export [mine]",
]


@pytest.mark.parametrize("text", ["help", "", "HELP", "  help  "])
async def test_help_lists_every_subcommand_anywhere(harness: Harness, text: str) -> None:
    h = harness
    person = h.ws.add_user("Anyone")
    channel = h.ws.add_channel("random", members=[person.id], private=False)
    reply = await h.driver.command(person.id, channel.id, text)
    assert reply.status == 200
    body = reply.json
    assert body["response_type"] == "ephemeral"
    for usage in EVERY_SUBCOMMAND:
        assert usage in body["text"]
        assert usage in str(body["blocks"])
    assert "I don't know" not in body["text"]


async def test_unknown_subcommand_says_so_and_lists_the_commands(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    reply = await h.driver.command(people.members[0].id, people.channel.id, "frobnicate now")
    body = reply.json
    assert body["response_type"] == "ephemeral"
    assert body["text"].startswith("I don't know /als frobnicate")
    assert all(usage in body["text"] for usage in EVERY_SUBCOMMAND)


async def test_unknown_subcommand_text_cannot_inject_mentions(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Anyone")
    channel = h.ws.add_channel("random", members=[person.id])
    reply = await h.driver.command(person.id, channel.id, "<!channel>")
    assert "<!channel>" not in str(reply.json["blocks"])
    assert "&lt;!channel&gt;" in str(reply.json["blocks"])


async def test_a_set_command_outside_a_set_hints_at_setup(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Anyone")
    channel = h.ws.add_channel("random", members=[person.id])
    reply = await h.driver.command(person.id, channel.id, "status")
    body = reply.json
    assert body["response_type"] == "ephemeral"
    assert "isn't an action learning set yet" in body["text"]
    assert "/als setup" in body["text"]
    await h.idle()
    assert h.standin.calls_to("chat.postMessage") == []


async def test_status_shows_the_set_to_the_caller_only(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    reply = await h.driver.command(people.members[1].id, people.channel.id, "status")
    body = reply.json
    assert body["response_type"] == "ephemeral"
    assert "*leaders-set*, facilitated by" in body["text"]
    assert f"*Members ({len(people.members)}):*" in body["text"]
    assert "Fridays at 15:00" in body["text"]
