"""`/als setup` over real HTTP: the modal, the set it creates, editing, and what it refuses."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import LearningSet, SetMember
from tests.e2e.harness import Harness, add_set_people


async def set_rows(h: Harness) -> list[LearningSet]:
    async with h.db.read() as uow:
        return list((await uow.session.scalars(select(LearningSet))).all())


async def active_member_ids(h: Harness, set_id: int) -> set[str]:
    async with h.db.read() as uow:
        return {m.user_id for m in await uow.sets.list_members(set_id)}


async def test_setup_untouched_creates_a_set_of_the_channels_humans(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws, members=4)
    other_bot = h.ws.add_user("Polly Bot", is_bot=True)
    gone = h.ws.add_user("Former Member", deleted=True)
    people.channel.members += [other_bot.id, gone.id]

    reply = await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    assert reply.status == 200
    assert reply.text == ""  # acknowledged at once; the modal follows
    opened = await h.standin.wait_for_call("views.open")
    assert opened[0].args["view"]["callback_id"] == "sets.setup"

    submitted = await h.driver.submit(people.facilitator.id)  # every field left as it was
    assert submitted.status == 200
    assert submitted.json is None  # the modal closes

    await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    [learning_set] = await set_rows(h)
    assert learning_set.channel_id == people.channel.id
    assert learning_set.team_id == h.ws.team_id
    assert learning_set.facilitator_user_id == people.facilitator.id
    assert learning_set.name == "leaders-set"
    assert learning_set.timezone == "Europe/London"  # the facilitator's own zone, from users.info
    assert learning_set.prompt_weekday == 4
    assert learning_set.prompt_time.strftime("%H:%M") == "15:00"
    assert learning_set.next_meeting_at is not None
    assert learning_set.next_meeting_at > h.clock.now()
    assert await active_member_ids(h, learning_set.id) == {people.facilitator.id, *(m.id for m in people.members)}

    [announcement] = h.ws.messages_in(people.channel.id)
    assert "now an action learning set" in announcement.text
    assert all(f"<@{m.id}>" in str(announcement.blocks) for m in people.members)
    assert other_bot.id not in str(announcement.blocks)
    assert gone.id not in str(announcement.blocks)
    [confirmation] = h.standin.ephemerals_for(people.facilitator.id)
    assert "4 members besides you" in confirmation.text
    assert "Practitioners recommend" not in confirmation.text  # 4 is within 4-6


async def test_setup_modal_offers_the_callers_time_zone(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    h.ws.users[people.facilitator.id].tz = "America/New_York"
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    view = h.driver.open_view(people.facilitator.id)
    tz_block = next(b for b in view.view["blocks"] if b.get("block_id") == "sets.timezone")
    assert tz_block["element"]["initial_option"]["value"] == "America/New_York"
    options = await h.driver.suggest(people.facilitator.id, "sets.timezone", "kolk")
    assert [o["value"] for o in options.json["options"]] == ["Asia/Kolkata"]


async def test_setup_again_edits_the_same_set(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    await h.driver.submit(people.facilitator.id)
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))

    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open", 2)
    view = h.driver.open_view(people.facilitator.id)
    assert view.view["title"]["text"] == "Set settings"
    name_block = next(b for b in view.view["blocks"] if b.get("block_id") == "sets.name")
    assert name_block["element"]["initial_value"] == "leaders-set"
    reply = await h.driver.submit(
        people.facilitator.id,
        {
            "sets.name": "Team leads",
            "sets.timezone": "Asia/Kolkata",
            "sets.cadence": "fortnightly",
            "sets.meeting_date": "2026-12-01",
            "sets.meeting_time": "09:30",
            "sets.prompt_weekday": "0",
            "sets.prompt_time": "08:00",
        },
    )
    assert reply.json is None
    await h.standin.wait_until(lambda: len(h.standin.ephemerals_for(people.facilitator.id)) == 2)

    [learning_set] = await set_rows(h)
    assert (learning_set.name, learning_set.timezone, learning_set.cadence) == (
        "Team leads",
        "Asia/Kolkata",
        "fortnightly",
    )
    assert learning_set.prompt_weekday == 0
    assert learning_set.prompt_time.strftime("%H:%M") == "08:00"
    assert learning_set.next_meeting_at is not None
    assert learning_set.next_meeting_at.isoformat() == "2026-12-01T04:00:00+00:00"  # 09:30 in Kolkata
    assert learning_set.facilitator_user_id == people.facilitator.id
    assert len(h.ws.messages_in(people.channel.id)) == 1  # announced once, not again on edit
    assert "Saved the settings" in h.standin.ephemerals_for(people.facilitator.id)[-1].text


async def test_only_the_facilitator_can_run_setup_again(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    await h.driver.submit(people.facilitator.id)
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))

    reply = await h.driver.command(people.members[0].id, people.channel.id, "setup")
    assert reply.status == 200
    assert f"Only the set's facilitator, <@{people.facilitator.id}>" in reply.json["text"]
    await h.idle()
    assert len(h.standin.calls_to("views.open")) == 1


async def test_bad_settings_get_inline_errors_and_change_nothing(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    reply = await h.driver.submit(
        people.facilitator.id,
        {"sets.name": "   ", "sets.meeting_date": "2026-11-01", "sets.timezone": "Mars/Olympus_Mons"},
        as_client=False,
    )
    assert reply.status == 200
    assert set(reply.errors) == {"sets.name", "sets.meeting_date", "sets.timezone"}
    assert "name" in reply.errors["sets.name"]
    assert "passed" in reply.errors["sets.meeting_date"]
    await h.idle()
    assert await set_rows(h) == []
    assert h.ws.messages_in(people.channel.id) == []
    assert h.standin.ephemerals == []
    assert h.driver.open_view(people.facilitator.id)  # the modal stays open for a correction


async def test_a_meeting_time_already_past_today_is_refused(harness: Harness) -> None:
    h = harness  # the clock says 10:00 UTC, which is 10:00 in London
    people = add_set_people(h.ws)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    reply = await h.driver.submit(
        people.facilitator.id, {"sets.meeting_date": "2026-11-23", "sets.meeting_time": "09:00"}
    )
    assert set(reply.errors) == {"sets.meeting_time"}
    assert await set_rows(h) == []


async def test_setup_without_the_app_in_the_channel_says_how_to_invite_it(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Solo Person")
    channel = h.ws.add_channel("no-bot-here", members=[person.id], with_bot=False)
    reply = await h.driver.command(person.id, channel.id, "setup")
    assert reply.status == 200
    [notice] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(person.id))
    assert "Invite me first" in notice.text
    assert "/invite" in notice.text
    assert notice.via == "response_url"
    assert h.standin.calls_to("views.open") == []
    assert await set_rows(h) == []


async def test_setup_in_a_direct_message_points_to_a_channel(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Solo Person")
    dm = h.ws.im_with(person.id)
    reply = await h.driver.command(person.id, dm.id, "setup")
    assert "lives in a channel" in reply.json["text"]
    assert h.standin.calls_to("views.open") == []


async def test_a_small_set_still_works_and_says_so(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws, members=2)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    await h.driver.submit(people.facilitator.id)
    [confirmation] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    assert "2 members besides you" in confirmation.text
    assert "Practitioners recommend 4–6" in confirmation.text
    async with h.db.read() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(SetMember))
    assert count == 3


async def test_a_large_set_still_works_and_says_so(harness: Harness) -> None:
    h = harness
    people = add_set_people(h.ws, members=7)
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open")
    await h.driver.submit(people.facilitator.id)
    [confirmation] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    assert "7 members besides you" in confirmation.text
    assert "split it into two" in confirmation.text
