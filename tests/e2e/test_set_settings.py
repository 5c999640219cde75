"""The facilitator's settings: `/als settings`, `/als pause`, `/als resume`, and the rules that
keep them consistent."""

from __future__ import annotations

from datetime import date

from storage.models import LearningSet
from tests.e2e.harness import Harness
from tests.e2e.setup_helpers import make_set


async def stored(h: Harness, set_id: int) -> LearningSet:
    async with h.db.read() as uow:
        found = await uow.sets.get_by_id(set_id)
    assert found is not None
    return found


async def test_settings_opens_prefilled_for_the_facilitator_and_saves(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    before = len(h.standin.calls_to("views.open"))
    reply = await h.driver.command(people.facilitator.id, people.channel.id, "settings")
    assert reply.text == ""
    await h.standin.wait_for_call("views.open", before + 1)
    view = h.standin.open_views(people.facilitator.id)[-1].view
    assert view["title"]["text"] == "Set settings"
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["sets.lead_days"]["element"]["initial_option"]["value"] == "2"
    assert "initial_date" not in blocks["sets.paused_until"]["element"]
    submitted = await h.driver.submit(
        people.facilitator.id,
        {"sets.lead_days": "3", "sets.paused_until": "2026-12-01", "sets.name": "Leaders"},
    )
    assert submitted.json is None, submitted.text
    await h.idle()
    saved = await stored(h, set_id)
    assert (saved.name, saved.reminder_lead_days, saved.paused_until_date) == ("Leaders", 3, date(2026, 12, 1))
    # Opening it again shows what was saved.
    await h.driver.command(people.facilitator.id, people.channel.id, "settings")
    await h.standin.wait_for_call("views.open", before + 2)
    blocks = {b.get("block_id"): b for b in h.standin.open_views(people.facilitator.id)[-1].view["blocks"]}
    assert blocks["sets.lead_days"]["element"]["initial_option"]["value"] == "3"
    assert blocks["sets.paused_until"]["element"]["initial_date"] == "2026-12-01"


async def test_only_the_facilitator_changes_settings(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    member = people.members[0]
    opened = len(h.standin.calls_to("views.open"))
    for words in ("settings", "pause 2026-12-01", "resume"):
        reply = await h.driver.command(member.id, people.channel.id, words)
        assert reply.json["response_type"] == "ephemeral"
        assert f"Only the set's facilitator, <@{people.facilitator.id}>" in reply.json["text"]
    assert len(h.standin.calls_to("views.open")) == opened
    assert (await stored(h, set_id)).paused_until_date is None


async def test_bad_combinations_get_inline_errors_and_change_nothing(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)  # next meeting Monday 7 December
    before = await stored(h, set_id)
    cases = [
        ({"sets.cadence": "weekly", "sets.lead_days": "7"}, "sets.lead_days", "fewer than 7 days"),
        ({"sets.paused_until": "2026-11-20"}, "sets.paused_until", "not in the future"),
        ({"sets.paused_until": "2026-12-10"}, "sets.paused_until", "falls in the pause"),
        ({"sets.paused_until": "2028-01-01"}, "sets.paused_until", "at most a year"),
        ({"sets.meeting_date": "2026-11-01"}, "sets.meeting_date", "has passed"),
    ]
    for n, (values, block, words) in enumerate(cases, start=1):
        await h.driver.command(people.facilitator.id, people.channel.id, "settings")
        await h.standin.wait_for_call("views.open", n + 1)
        reply = await h.driver.submit(people.facilitator.id, values)
        assert reply.json["response_action"] == "errors", values
        assert list(reply.json["errors"]) == [block], reply.json
        assert words in reply.json["errors"][block]
    await h.idle()
    after = await stored(h, set_id)
    assert (after.cadence, after.reminder_lead_days, after.paused_until_date, after.next_meeting_at) == (
        before.cadence,
        before.reminder_lead_days,
        before.paused_until_date,
        before.next_meeting_at,
    )


async def test_pause_and_resume_from_the_command_line(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    fran = people.facilitator.id
    reply = await h.driver.command(fran, people.channel.id, "pause")
    assert "Give the date the set starts again" in reply.json["text"]
    assert "/als pause 2026-12-07" in reply.json["text"]  # an example two weeks ahead
    reply = await h.driver.command(fran, people.channel.id, "pause 2026-12-25")
    assert "falls in the pause" in reply.json["text"]
    assert (await stored(h, set_id)).paused_until_date is None
    reply = await h.driver.command(fran, people.channel.id, "pause 2026-12-01")
    assert "paused until Tuesday 1 December 2026" in reply.json["text"]
    assert (await stored(h, set_id)).paused_until_date == date(2026, 12, 1)
    reply = await h.driver.command(fran, people.channel.id, "resume")
    assert "running again" in reply.json["text"]
    assert (await stored(h, set_id)).paused_until_date is None
    reply = await h.driver.command(fran, people.channel.id, "resume")
    assert "not paused" in reply.json["text"]


async def test_settings_outside_a_set_points_to_setup(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Someone")
    channel = h.ws.add_channel("elsewhere", members=[person.id])
    reply = await h.driver.command(person.id, channel.id, "settings")
    assert "/als setup" in reply.json["text"]
    assert not h.standin.calls_to("views.open")
