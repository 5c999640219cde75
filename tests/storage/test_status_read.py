"""What `/als status` reads (storage.status, through Database.read_rows) on both backends: the
same as the repositories give, with what must be left out left out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import partial

from sqlalchemy import inspect

from bot.services.sets import stored_settings
from storage.database import Database
from storage.models import Commitment, Question, Round
from storage.repositories.sets import set_of_channel
from storage.status import QuestionRow, RoundRow, SetRow, read_channel_status, read_status
from tests.storage.test_storage import a_set

AT = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
VIEWER = "U0"


def a_commitment(set_id: int, user_id: str, action: str, due: date, status: str = "open") -> Commitment:
    return Commitment(
        set_id=set_id,
        user_id=user_id,
        round_id=None,
        action=action,
        due_date=due,
        status=status,
        created_at=AT,
        updated_at=AT,
    )


async def test_status_reads_members_open_rounds_with_counts_and_the_viewers_own(database_url: str) -> None:
    db = Database.from_url(database_url)
    try:
        async with db.write() as uow:
            learning_set = await uow.sets.add(a_set())
            other_set = await uow.sets.add(a_set(channel_id="C2"))
            for user in ("U1", VIEWER, "U2", "U3"):
                await uow.sets.add_member(learning_set.id, user, AT)
            await uow.sets.end_membership(learning_set.id, "U3", AT)  # left: not shown
            await uow.sets.add_member(other_set.id, "U8", AT)
            rounds = []
            phases = [(VIEWER, "closed"), (VIEWER, "clarifying"), ("U1", "exploratory"), ("U2", "reflecting")]
            for n, (presenter, phase) in enumerate(phases):
                round_ = Round(set_id=learning_set.id, presenter_user_id=presenter, problem=f"problem {n}", phase=phase)
                round_.opened_at = AT.replace(hour=10 + n)
                rounds.append(await uow.rounds.add(round_))
            elsewhere = Round(set_id=other_set.id, presenter_user_id=VIEWER, problem="elsewhere", phase="clarifying")
            elsewhere.opened_at = AT.replace(hour=20)
            await uow.rounds.add(elsewhere)
            statuses = {1: ["answered", "open", "withdrawn", "open"], 2: ["withdrawn", "answered"], 3: ["open"]}
            for n, kinds in statuses.items():
                for k, status in enumerate(kinds):
                    await uow.rounds.add_question(
                        Question(
                            round_id=rounds[n].id,
                            asker_user_id=f"U{k + 1}",
                            text=f"question {n}.{k}",
                            kind="open",
                            phase="clarifying",
                            status=status,
                            asked_at=AT.replace(minute=k),
                        )
                    )
            for user, action, due, status in [
                (VIEWER, "later", date(2026, 12, 20), "open"),
                (VIEWER, "sooner", date(2026, 12, 1), "open"),
                (VIEWER, "finished", date(2026, 11, 30), "done"),
                ("U1", "someone else's", date(2026, 11, 30), "open"),
            ]:
                await uow.commitments.add(a_commitment(learning_set.id, user, action, due, status))
            await uow.commitments.add(a_commitment(other_set.id, VIEWER, "other set", date(2026, 11, 30)))

        rows = await db.read_rows(partial(read_status, set_id=learning_set.id, viewer_id=VIEWER))

        assert rows.member_ids == ["U1", VIEWER, "U2"]
        assert rows.open_rounds == [
            RoundRow(rounds[2].id, "U1", "problem 2", "exploratory", asked=1, answered=1),
            RoundRow(rounds[1].id, VIEWER, "problem 1", "clarifying", asked=3, answered=1),
        ]
        assert rows.own_unanswered == [
            QuestionRow(q_id, asker, text, "clarifying", "open")
            for q_id, asker, text in await _unanswered_ids(db, rounds[1].id)
        ]
        assert [q.text for q in rows.own_unanswered] == ["question 1.1", "question 1.3"]
        assert rows.latest_own == RoundRow(rounds[1].id, VIEWER, "problem 1", "clarifying")
        assert rows.commitments == [("sooner", date(2026, 12, 1)), ("later", date(2026, 12, 20))]

        # the same as the repositories give
        async with db.read() as uow:
            members = [m.user_id for m in await uow.sets.list_members(learning_set.id)]
            open_rounds = [
                (r.id, await uow.rounds.count_questions(r.id)) for r in await uow.rounds.list_open(learning_set.id)
            ]
            latest = await uow.rounds.get_latest_of(learning_set.id, VIEWER)
            commitments = await uow.commitments.list_open_in_set(learning_set.id, VIEWER)
        assert rows.member_ids == members
        assert [(r.id, r.asked, r.answered) for r in rows.open_rounds] == [
            (round_id, counts.asked, counts.answered) for round_id, counts in open_rounds
        ]
        assert latest is not None and rows.latest_own is not None and rows.latest_own.id == latest.id
        assert rows.commitments == [(c.action, c.due_date) for c in commitments]

        # someone without a round or a commitment in the set
        rows = await db.read_rows(partial(read_status, set_id=learning_set.id, viewer_id="U2"))
        assert rows.own_unanswered == [] and rows.commitments == []
        assert rows.latest_own == RoundRow(rounds[3].id, "U2", "problem 3", "reflecting")
    finally:
        await db.dispose()


async def _unanswered_ids(db: Database, round_id: int) -> list[tuple[int, str, str]]:
    async with db.read() as uow:
        return [
            (q.id, q.asker_user_id, q.text) for q in await uow.rounds.list_questions(round_id) if q.status != "answered"
        ]


async def test_the_channels_set_is_found_in_the_same_read_and_is_the_stored_one(database_url: str) -> None:
    """Status finds the set in its own read (read_channel_status); every other command through
    set_of_channel. Both give the set of this team's channel, with what is stored, or None."""
    db = Database.from_url(database_url)
    try:
        async with db.write() as uow:
            stored = await uow.sets.add(
                a_set(
                    name="Leaders & <friends>",
                    timezone="America/Argentina/ComodRivadavia",
                    next_meeting_at=datetime(2026, 12, 3, 14, 30, tzinfo=UTC),
                    prompt_time=time(8, 45),
                    reminder_lead_days=5,
                    paused_until_date=date(2026, 12, 1),
                    ground_rules="Only questions.",
                    retention_months=6,
                )
            )
            await uow.sets.add(a_set(team_id="T2", name="same channel id, other workspace"))
            await uow.sets.add_member(stored.id, VIEWER, AT)

        found = await db.read_rows(partial(read_channel_status, team_id="T1", channel_id="C1", viewer_id=VIEWER))
        assert found is not None
        row, rows = found
        assert row == SetRow(
            id=stored.id,
            facilitator_user_id="U1",
            name="Leaders & <friends>",
            timezone="America/Argentina/ComodRivadavia",
            cadence="four_weekly",
            next_meeting_at=datetime(2026, 12, 3, 14, 30, tzinfo=UTC),
            prompt_weekday=4,
            prompt_time=time(8, 45),
            reminder_lead_days=5,
            paused_until_date=date(2026, 12, 1),
            ground_rules="Only questions.",
            retention_months=6,
        )
        assert rows.member_ids == [VIEWER]
        assert stored_settings(row, AT) == stored_settings(stored, AT)

        learning_set = await db.read_rows(partial(set_of_channel, team_id="T1", channel_id="C1"))
        assert learning_set is not None and learning_set.id == stored.id
        assert (learning_set.name, learning_set.retention_months) == ("Leaders & <friends>", 6)
        # as a closed unit of work leaves it: detached, its identity known, all loaded, nothing changed
        async with db.read() as uow:
            loaded = await uow.sets.get_by_channel("T1", "C1")
        assert loaded is not None
        found, expected = inspect(learning_set), inspect(loaded)
        assert found.detached and found.key == expected.key and not found.modified
        assert found.unloaded == expected.unloaded == {"members"}
        for attribute in expected.mapper.column_attrs:
            assert getattr(learning_set, attribute.key) == getattr(loaded, attribute.key), attribute.key

        for team_id, channel_id in (("T1", "C2"), ("T3", "C1")):
            where = {"team_id": team_id, "channel_id": channel_id}
            assert await db.read_rows(partial(read_channel_status, viewer_id=VIEWER, **where)) is None
            assert await db.read_rows(partial(set_of_channel, **where)) is None
    finally:
        await db.dispose()
