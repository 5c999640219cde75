"""Steps many end-to-end tests share."""

from __future__ import annotations

from storage.models import LearningSet
from tests.e2e.harness import Harness, SetPeople, add_set_people


async def make_set(
    h: Harness, *, members: int = 4, values: dict[str, str] | None = None, agreed: bool = True
) -> tuple[SetPeople, int]:
    """Create a set the way a facilitator would: `/als setup`, then submit the modal. With `agreed`,
    everyone has already agreed to the ground rules (tests of the ground-rules step pass False)."""
    people = add_set_people(h.ws, members=members)
    before = len(h.standin.calls_to("views.open"))
    await h.driver.command(people.facilitator.id, people.channel.id, "setup")
    await h.standin.wait_for_call("views.open", before + 1)
    reply = await h.driver.submit(people.facilitator.id, values or {})
    assert reply.json is None, reply.text
    await h.standin.wait_until(lambda: h.standin.ephemerals_for(people.facilitator.id))
    async with h.db.read() as uow:
        learning_set = await uow.sets.get_by_channel(h.ws.team_id, people.channel.id)
    assert isinstance(learning_set, LearningSet)
    if agreed:
        async with h.db.write() as uow:
            for person in (people.facilitator, *people.members):
                await uow.ground_rules.agree(learning_set.id, person.id, h.clock.now())
    return people, learning_set.id
