"""The status floor (bench.status_floor) reads what `/als status` reads, so that the latency bench
compares like with like: the same set, members, open rounds and commitments for each person."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from slack_sdk.models.blocks import Block

from bench.databases import throwaway_database
from bench.population import SetShape, add_set_history, add_sets, channel_id, fix_sequences, members_of
from bench.standin import build_workspace
from bench.status_floor import StatusReads, build_blocks
from storage.database import Database
from storage.sqlite_lock import database_file
from storage.status import read_channel_status

SHAPE = SetShape(sets=3)


async def test_the_floor_reads_what_status_reads_for_everyone(tmp_path: Path) -> None:
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    async with throwaway_database("sqlite", tmp=tmp_path) as url:
        db = Database.from_url(url)
        reads: StatusReads | None = None
        try:
            async with db.engine.begin() as conn:
                await add_sets(conn, shape=SHAPE, now=now)
                await add_set_history(conn, shape=SHAPE, now=now)
                await fix_sequences(conn)
            team = build_workspace(SHAPE).team_id
            path = database_file(url)
            assert path is not None
            reads = StatusReads(str(path))
            compared, rounds, commitments = 0, 0, 0
            for set_no in range(1, SHAPE.sets + 1):
                for person in members_of(set_no, SHAPE.members):
                    found = await db.read_rows(
                        partial(read_channel_status, team_id=team, channel_id=channel_id(set_no), viewer_id=person)
                    )
                    assert found is not None
                    set_row, status = found
                    floor = reads.read(team_id=team, channel_id=channel_id(set_no), user_id=person)
                    assert floor["set"][:3] == (set_row.id, set_row.facilitator_user_id, set_row.name)
                    assert [m for (m,) in floor["members"]] == status.member_ids
                    assert [r[:4] for r in floor["open_rounds"]] == [
                        (r.id, r.presenter_id, r.problem, r.phase) for r in status.open_rounds
                    ]
                    assert [a for a, _ in floor["commitments"]] == [a for a, _ in status.commitments]
                    assert [str(d) for _, d in floor["commitments"]] == [d.isoformat() for _, d in status.commitments]
                    blocks = build_blocks(floor)
                    assert [Block.parse(b).to_dict() for b in blocks] == blocks  # blocks Slack would take
                    compared += 1
                    rounds += len(floor["open_rounds"])
                    commitments += len(floor["commitments"])
            assert compared == SHAPE.sets * SHAPE.members
            assert rounds > 0 and commitments > 0  # there was something to compare
        finally:
            if reads is not None:
                reads.connection.close()
            await db.dispose()
