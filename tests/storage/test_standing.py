"""What `/als present` reads of the person before it answers (storage.standing, through
Database.read_rows) on both backends: the same answers the repositories give."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

from storage.database import Database
from storage.models import Round
from storage.standing import Standing, read_standing
from tests.storage.test_storage import a_set

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def a_round(set_id: int, presenter: str, phase: str, root_ts: str | None = None) -> Round:
    round_ = Round(set_id=set_id, presenter_user_id=presenter, problem="p", phase=phase, root_ts=root_ts)
    round_.opened_at = AT
    return round_


async def test_standing_tells_membership_the_open_round_and_agreement_as_the_repositories_do(
    database_url: str,
) -> None:
    db = Database.from_url(database_url)
    try:
        async with db.write() as uow:
            learning_set = await uow.sets.add(a_set())
            other_set = await uow.sets.add(a_set(channel_id="C2"))
            for user in ("U2", "U3", "U4", "U5"):
                await uow.sets.add_member(learning_set.id, user, AT)
            await uow.sets.end_membership(learning_set.id, "U5", AT)  # left the set
            await uow.sets.add_member(other_set.id, "U6", AT)  # a member elsewhere only
            await uow.rounds.add(a_round(learning_set.id, "U2", "closed", "1.1"))
            await uow.rounds.add(a_round(learning_set.id, "U2", "exploratory", "1.2"))
            newest = await uow.rounds.add(a_round(learning_set.id, "U2", "clarifying", "1.3"))
            await uow.rounds.add(a_round(learning_set.id, "U3", "reflecting", "2.1"))  # questions closed
            unposted = await uow.rounds.add(a_round(learning_set.id, "U4", "clarifying"))
            await uow.rounds.add(a_round(other_set.id, "U3", "clarifying", "3.1"))  # another set's
            await uow.ground_rules.agree(learning_set.id, "U2", AT)
            await uow.ground_rules.agree(other_set.id, "U3", AT)  # another set's rules

        expected = {
            "U2": Standing(active_member=True, open_round_id=newest.id, open_round_ts="1.3", agreed=True),
            "U3": Standing(active_member=True, open_round_id=None, open_round_ts=None, agreed=False),
            "U4": Standing(active_member=True, open_round_id=unposted.id, open_round_ts=None, agreed=False),
            "U5": Standing(active_member=False, open_round_id=None, open_round_ts=None, agreed=False),
            "U6": Standing(active_member=False, open_round_id=None, open_round_ts=None, agreed=False),
        }
        for user, standing in expected.items():
            found = await db.read_rows(partial(read_standing, set_id=learning_set.id, user_id=user))
            assert found == standing, user
            async with db.read() as uow:
                member = await uow.sets.get_member(learning_set.id, user)
                open_round = await uow.rounds.get_open_of(learning_set.id, user)
                assert found.active_member == (member is not None and member.active), user
                assert found.open_round_id == (open_round.id if open_round else None), user
                assert found.agreed == await uow.ground_rules.has_agreed(learning_set.id, user), user
    finally:
        await db.dispose()
