"""The weekly reflection prompt: its moment in the set's zone across DST, the pause, one per week
through restarts, the bank, where each kind of reflection ends up, and the gentle nudge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.reflection import PROMPTS
from storage.models import Reflection
from tests.e2e.harness import Harness, running_app
from tests.e2e.reflection_helpers import prompts_in, reflect
from tests.e2e.setup_helpers import make_set

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 15:00 in London (GMT)


SPRING = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # the US moves on 8 March, the UK on 29 March
AUTUMN = datetime(2026, 10, 12, 10, 0, tzinfo=UTC)  # the UK moves back on 25 October, the US on 1 November


@pytest.mark.parametrize(
    ("tz", "now", "moments"),
    [
        ("Europe/London", SPRING, ["2026-03-06T15:00", "2026-03-13T15:00", "2026-03-27T15:00", "2026-04-03T14:00"]),
        (
            "America/Los_Angeles",
            SPRING,
            ["2026-03-06T23:00", "2026-03-13T22:00", "2026-03-27T22:00", "2026-04-03T22:00"],
        ),
        ("Europe/London", AUTUMN, ["2026-10-16T14:00", "2026-10-23T14:00", "2026-10-30T15:00", "2026-11-06T15:00"]),
        (
            "America/Los_Angeles",
            AUTUMN,
            ["2026-10-16T22:00", "2026-10-23T22:00", "2026-10-30T22:00", "2026-11-06T23:00"],
        ),
    ],
    ids=["london-march", "los-angeles-march", "london-october", "los-angeles-october"],
)
async def test_prompts_come_on_friday_at_three_in_the_sets_zone_across_dst(
    database_url: str, tz: str, now: datetime, moments: list[str]
) -> None:
    async with running_app(database_url, now=now) as h:
        people, _ = await make_set(h, values={"sets.timezone": tz})
        for n, at in enumerate((datetime.fromisoformat(t).replace(tzinfo=UTC) for t in moments), start=1):
            await h.sweep(at - timedelta(minutes=1))
            assert len(prompts_in(h, people.channel.id)) == n - 1, f"too early at {at}"
            await h.sweep(at)
            assert len(prompts_in(h, people.channel.id)) == n, f"no prompt at {at}"
            await h.sweep(at + timedelta(hours=3))
            assert len(prompts_in(h, people.channel.id)) == n, f"a second prompt on {at:%d %b}"


async def test_no_prompt_while_paused_and_one_per_week_across_a_restart(database_url: str) -> None:
    async with running_app(database_url) as h:
        people, set_id = await make_set(h)
        await h.driver.command(people.facilitator.id, people.channel.id, "pause 2026-12-01")
        await h.sweep(FRIDAY)
        assert prompts_in(h, people.channel.id) == []  # paused
        await h.sweep(FRIDAY + timedelta(days=7))  # 4 December: running again
        assert len(prompts_in(h, people.channel.id)) == 1
        workspace = h.ws
    later = FRIDAY + timedelta(days=7, hours=2)
    async with running_app(database_url, now=later, workspace=workspace) as again:
        for hours in (0, 1, 5):
            await again.sweep(later + timedelta(hours=hours))
        assert len(prompts_in(again, people.channel.id)) == 1
        # Moving the prompt day to later in the same week does not give the week a second one.
        opened = len(again.standin.calls_to("views.open"))
        await again.driver.command(people.facilitator.id, people.channel.id, "settings")
        await again.standin.wait_for_call("views.open", opened + 1)
        await again.driver.submit(people.facilitator.id, {"sets.prompt_weekday": "5"})
        await again.idle()
        await again.sweep(datetime(2026, 12, 5, 15, 0, tzinfo=UTC))
        assert len(prompts_in(again, people.channel.id)) == 1
        await again.sweep(datetime(2026, 12, 12, 15, 0, tzinfo=UTC))
        assert len(prompts_in(again, people.channel.id)) == 2
    del set_id


async def test_prompts_do_not_repeat_until_the_bank_is_used_up(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    for week in range(len(PROMPTS) + 1):
        await h.sweep(FRIDAY + timedelta(weeks=week))
    texts = [m.text.removeprefix("Weekly reflection: ") for m in prompts_in(h, people.channel.id)]
    assert len(texts) == len(PROMPTS) + 1
    assert sorted(texts[: len(PROMPTS)]) == sorted(PROMPTS)  # every prompt once
    assert texts[-1] in PROMPTS  # then a new pass through the bank


async def test_each_visibility_ends_up_exactly_where_it_should(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi = people.members[:3]
    fran = people.facilitator
    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, people.channel.id)
    posts_before = len(h.standin.calls_to("chat.postMessage"))

    await reflect(h, ada.id, prompt, "I noticed I rescue people in meetings.", "set")
    thread = [m for m in h.ws.messages_in(people.channel.id) if m.thread_ts == prompt.ts]
    assert [m.text for m in thread] == [f"<@{ada.id}> reflects: I noticed I rescue people in meetings."]

    await reflect(h, grace.id, prompt, "I am unsure I still want this job.", "facilitator")
    (to_fran,) = [m for m in h.ws.dm_messages(fran.id) if "unsure I still want" in m.text]
    assert f"<@{grace.id}> shared a reflection with you" in to_fran.text

    await reflect(h, ravi.id, prompt, "Private: I was angry with my boss.", "me")

    posted = h.standin.calls_to("chat.postMessage")[posts_before:]
    assert len(posted) == 2  # Ada's in the thread, Grace's to Fran: Ravi's went nowhere

    def seen_by(words: str) -> set[tuple[str, str]]:
        """(method, to whom) of every call to Slack that carried these words."""
        return {
            (c.method, str(c.args.get("user_id") or c.args.get("user") or c.args.get("channel")))
            for c in h.standin.calls
            if words in str(c.args)
        }

    assert seen_by("angry with my boss") == {("views.publish", ravi.id)}  # only Ravi's own Home tab
    assert seen_by("unsure I still want") == {("chat.postMessage", fran.id), ("views.publish", grace.id)}
    assert seen_by("rescue people") == {("chat.postMessage", people.channel.id), ("views.publish", ada.id)}
    ravi_home = [c for c in h.standin.calls_to("views.publish") if c.args["user_id"] == ravi.id][-1]
    assert "Only me" in str(ravi_home.args)
    for user in (ada, grace, ravi):
        assert h.standin.ephemerals_for(user.id)[-1].channel == people.channel.id
    assert "nobody else sees it" in h.standin.ephemerals_for(ravi.id)[-1].text
    async with h.db.read() as uow:
        rows = (await uow.session.scalars(select(Reflection).order_by(Reflection.id))).all()
    assert [(r.user_id, r.visibility) for r in rows] == [(ada.id, "set"), (grace.id, "facilitator"), (ravi.id, "me")]
    assert rows[0].message_ts == thread[0].ts and rows[2].message_ts is None


async def test_bad_reflections_are_refused_and_store_nothing(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    outsider = h.ws.add_user("Outsider")
    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, people.channel.id)
    opened = len(h.standin.calls_to("views.open"))
    await h.driver.click(people.members[0].id, "reflections.add_button", message=prompt)
    await h.standin.wait_for_call("views.open", opened + 1)
    for text, words in (("   ", "Write your reflection"), ("x" * 3001, "3000")):
        reply = await h.driver.submit(
            people.members[0].id, {"reflections.text": text, "reflections.visibility": "set"}, as_client=False
        )
        assert reply.json["response_action"] == "errors"
        assert words in reply.json["errors"]["reflections.text"]
    await h.driver.click(outsider.id, "reflections.add_button", message=prompt)
    await h.idle()
    assert "member" in h.standin.ephemerals_for(outsider.id)[-1].text
    async with h.db.read() as uow:
        assert (await uow.session.scalars(select(Reflection))).all() == []
    assert [m for m in h.ws.messages_in(people.channel.id) if m.thread_ts == prompt.ts] == []


async def test_two_days_later_one_gentle_dm_to_who_has_not_reflected(harness: Harness) -> None:
    h = harness
    people, _ = await make_set(h)
    ada, grace, ravi, mae = people.members
    await h.sweep(FRIDAY)
    (prompt,) = prompts_in(h, people.channel.id)
    await reflect(h, ada.id, prompt, "Something I learned.", "me")
    await h.driver.command(ravi.id, people.channel.id, "away 2026-12-03")
    channel_before = len(h.ws.messages_in(people.channel.id))
    await h.sweep(FRIDAY + timedelta(days=2) - timedelta(minutes=1))
    assert not any("gentle nudge" in m.text for u in people.members for m in h.ws.dm_messages(u.id))
    await h.sweep(FRIDAY + timedelta(days=2))
    everyone = (*people.members, people.facilitator)
    nudged = {u.id for u in everyone if any("gentle nudge" in m.text for m in h.ws.dm_messages(u.id))}
    assert nudged == {grace.id, mae.id, people.facilitator.id}  # not Ada (reflected), not Ravi (away)
    await h.sweep(FRIDAY + timedelta(days=2, hours=3))
    await h.sweep(FRIDAY + timedelta(days=3))
    assert sum("gentle nudge" in m.text for m in h.ws.dm_messages(grace.id)) == 1
    assert len(h.ws.messages_in(people.channel.id)) == channel_before  # nobody named in the channel
    # The nudge's button opens the same modal.
    nudge = next(m for m in h.ws.dm_messages(grace.id) if "gentle nudge" in m.text)
    await reflect(h, grace.id, nudge, "Late, but here.", "set")
    in_thread = [m for m in h.ws.messages_in(people.channel.id) if m.thread_ts == prompt.ts]
    assert [m.text for m in in_thread] == [f"<@{grace.id}> reflects: Late, but here."]
