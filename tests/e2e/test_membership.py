"""Joining and leaving the channel changes the set's members; repeated deliveries count once."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.setup_helpers import make_set


async def active(h: Harness, set_id: int) -> set[str]:
    async with h.db.read() as uow:
        return {m.user_id for m in await uow.sets.list_members(set_id)}


async def test_a_person_joining_the_channel_joins_the_set_and_is_welcomed(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    newcomer = h.ws.add_user("New Person", tz="Asia/Kolkata")
    reply = await h.driver.join(newcomer.id, people.channel.id)
    assert reply.status == 200
    [welcome] = await h.standin.wait_until(lambda: h.standin.ephemerals_for(newcomer.id))
    assert "Welcome to *leaders-set*" in welcome.text
    assert newcomer.id in await active(h, set_id)


async def test_bots_joining_do_not_become_members(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    bot = h.ws.add_user("Other App", is_bot=True)
    await h.driver.join(bot.id, people.channel.id)
    await h.idle()
    assert bot.id not in await active(h, set_id)
    assert h.standin.ephemerals_for(bot.id) == []


async def test_leaving_the_channel_leaves_the_set_and_rejoining_restores(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    leaver = people.members[0]
    await h.driver.leave(leaver.id, people.channel.id)
    await h.idle()
    assert leaver.id not in await active(h, set_id)
    async with h.db.read() as uow:
        row = await uow.sets.get_member(set_id, leaver.id)
    assert row is not None
    assert row.left_at is not None

    await h.driver.join(leaver.id, people.channel.id)
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(leaver.id))
    assert leaver.id in await active(h, set_id)


async def test_a_retried_event_is_handled_once(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    newcomer = h.ws.add_user("New Person")
    h.ws.channels[people.channel.id].members.append(newcomer.id)
    event = {
        "type": "member_joined_channel",
        "user": newcomer.id,
        "channel": people.channel.id,
        "channel_type": "G",
        "team": h.ws.team_id,
    }
    first = await h.driver.event(event, event_id="Ev0JOIN0001")
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(newcomer.id))
    async with h.db.write() as uow:  # they leave and the old delivery is retried late
        await uow.sets.end_membership(set_id, newcomer.id, h.clock.now())
    retry = await h.driver.event(event, event_id="Ev0JOIN0001", retry_num=1)
    assert (first.status, retry.status) == (200, 200)
    await h.idle()
    assert len(h.standin.ephemerals_for(newcomer.id)) == 1
    assert newcomer.id not in await active(h, set_id)


async def test_events_in_channels_that_are_not_sets_are_ignored(harness: Harness) -> None:
    h = harness
    person = h.ws.add_user("Someone")
    channel = h.ws.add_channel("random", members=[])
    reply = await h.driver.join(person.id, channel.id)
    assert reply.status == 200
    await h.idle()
    assert h.standin.calls_to("users.info") == []
    assert h.standin.ephemerals == []


async def test_the_app_added_back_to_a_channel_catches_up_on_membership(harness: Harness) -> None:
    h = harness
    people, set_id = await make_set(h)
    quiet_joiner = h.ws.add_user("Quiet Joiner")
    channel = h.ws.channels[people.channel.id]
    channel.members.remove(people.members[0].id)
    channel.members.append(quiet_joiner.id)
    await h.driver.event(
        {
            "type": "member_joined_channel",
            "user": h.ws.bot_user_id,
            "channel": channel.id,
            "channel_type": "G",
            "team": h.ws.team_id,
        }
    )
    await h.idle()
    assert await active(h, set_id) == {people.facilitator.id, quiet_joiner.id, *(m.id for m in people.members[1:])}
