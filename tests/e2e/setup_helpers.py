"""Steps many end-to-end tests share."""

from __future__ import annotations

from storage.models import LearningSet
from tests.e2e.harness import Harness, SetPeople, add_set_people


async def make_set(h: Harness, *, members: int = 4, values: dict[str, str] | None = None) -> tuple[SetPeople, int]:
    """Create a set the way a facilitator would: `/als setup`, then submit the modal."""
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
    return people, learning_set.id
