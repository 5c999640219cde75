"""Filling a bench database quickly: rows built in Python and written with multi-row core inserts
(executemany), with ids chosen here so that rows can refer to each other without reading back.

Ids follow one scheme, shared with the stand-in's workspace (bench.standin): set n lives in
channel G000000n and its members are U-numbered in blocks, the first of each block being the
facilitator. Every moment is given: nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.commitments import DONE, OPEN
from bot.domain.rounds import Phase, QuestionStatus
from bot.domain.timezones import local_to_utc
from storage.models import Base
from storage.repositories.outbox import PENDING, SENT

TEAM_ID = "T0ALS0001"  # the stand-in's team
CHUNK = 5_000
TABLES = Base.metadata.tables


def user_id(number: int) -> str:
    return f"U{number:09d}"


def channel_id(set_no: int) -> str:
    return f"G{set_no:09d}"


def members_of(set_no: int, members: int) -> list[str]:
    """The user ids of set `set_no` (from 1); the first is its facilitator."""
    first = (set_no - 1) * members + 1
    return [user_id(first + i) for i in range(members)]


@dataclass(frozen=True)
class SetShape:
    sets: int
    members: int = 5
    tz: str = "Europe/London"


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


async def bulk_insert(conn: AsyncConnection, table: Table | str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert `rows` in chunks (one executemany each); keys the table lacks are left out, so the
    bench keeps working when a migration drops a column it filled."""
    target = TABLES[table] if isinstance(table, str) else table
    count = 0
    for chunk in _chunks(rows, CHUNK):
        keys = [k for k in chunk[0] if k in target.c]
        await conn.execute(insert(target), [{k: row[k] for k in keys} for row in chunk])
        count += len(chunk)
    return count


async def fix_sequences(conn: AsyncConnection) -> None:
    """After inserting explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.primary_key and table.c.id.autoincrement is not False:
            await conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                    f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                )
            )


async def analyze(conn: AsyncConnection) -> None:
    """Fresh planner statistics on PostgreSQL, as autovacuum would leave them after a bulk load.
    SQLite is left as the app leaves it (it never runs ANALYZE)."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("ANALYZE"))


# ---- sets, members, people ----------------------------------------------------------------------


def set_row(set_no: int, *, shape: SetShape, now: datetime) -> dict[str, Any]:
    """A set with nothing due for weeks: every cursor of its schedule is in the future."""
    meeting = now + timedelta(days=20)
    return {
        "id": set_no,
        "team_id": TEAM_ID,
        "channel_id": channel_id(set_no),
        "name": f"bench set {set_no}",
        "timezone": shape.tz,
        "facilitator_user_id": members_of(set_no, shape.members)[0],
        "cadence": "monthly_weekday",
        "next_meeting_at": meeting,
        "prompt_weekday": 4,
        "prompt_time": time(15, 0),
        "reminder_lead_days": 2,
        "paused_until_date": None,
        "members_synced_at": now,
        "next_review_at": meeting - timedelta(days=1),
        "next_soon_at": meeting - timedelta(hours=1),
        "next_prompt_at": now + timedelta(days=3),
        "next_digest_at": now + timedelta(days=4),
        "ground_rules": None,
        "retention_months": 0,
        "next_retention_at": None,
        "created_at": now - timedelta(days=90),
        "updated_at": now - timedelta(days=1),
        "archived_at": None,
    }


async def add_sets(conn: AsyncConnection, *, shape: SetShape, now: datetime, first: int = 1) -> None:
    """Sets `first`..`shape.sets`, their members (profiles fresh, ground rules agreed)."""
    numbers = range(first, shape.sets + 1)
    await bulk_insert(conn, "learning_set", (set_row(n, shape=shape, now=now) for n in numbers))
    await bulk_insert(
        conn,
        "set_member",
        (
            {"set_id": n, "user_id": u, "joined_at": now - timedelta(days=90), "left_at": None}
            for n in numbers
            for u in members_of(n, shape.members)
        ),
    )
    await bulk_insert(
        conn,
        "slack_user",
        (
            {
                "team_id": TEAM_ID,
                "user_id": u,
                "display_name": f"Member {u[-6:]}",
                "tz": shape.tz,
                "is_bot": False,
                "is_deleted": False,
                "fetched_at": now,
            }
            for n in numbers
            for u in members_of(n, shape.members)
        ),
    )
    if "ground_rules_agreement" in TABLES:
        await bulk_insert(
            conn,
            "ground_rules_agreement",
            (
                {"set_id": n, "user_id": u, "agreed_at": now - timedelta(days=80)}
                for n in numbers
                for u in members_of(n, shape.members)
            ),
        )


# ---- rounds, questions and commitments, as a set has after a few months -----------------------


def _round(round_id: int, set_no: int, presenter: str, *, opened_at: datetime, open_: bool) -> dict[str, Any]:
    return {
        "id": round_id,
        "set_id": set_no,
        "presenter_user_id": presenter,
        "problem": "How do I get my team to own the quarterly plan?",
        "context": "We plan every quarter; the plan is mine and the team follows it without conviction.",
        "why_it_matters": "People leave when they have no say.",
        "tried": "A planning workshop, which I ended up running.",
        "success": "The team proposes the plan and I comment on it.",
        "help_wanted": "clarifying",
        "phase": (Phase.CLARIFYING if open_ else Phase.CLOSED).value,
        "root_ts": f"{opened_at.timestamp():.6f}",
        "opened_at": opened_at,
        "closed_at": None if open_ else opened_at + timedelta(days=3),
        "closed_by_user_id": None if open_ else presenter,
        "reflection_learned": None if open_ else "I hold on to the plan.",
        "reflection_differently": None,
        "reflected_at": None if open_ else opened_at + timedelta(days=4),
        "reflect_dm_channel": None,
        "reflect_dm_ts": None,
        "summary_ts": None,
        "reflection_ts": None,
    }


def _question(question_id: int, round_id: int, asker: str, *, asked_at: datetime, answered: bool) -> dict[str, Any]:
    return {
        "id": question_id,
        "round_id": round_id,
        "asker_user_id": asker,
        "text": "What would it look like if the team owned the plan?",
        "kind": "open",
        "coached": False,
        "phase": Phase.CLARIFYING.value,
        "status": (QuestionStatus.ANSWERED if answered else QuestionStatus.WAITING).value,
        "golden": False,
        "message_ts": f"{asked_at.timestamp():.6f}",
        "answer_text": "They would argue about it." if answered else None,
        "answer_ts": f"{asked_at.timestamp() + 60:.6f}" if answered else None,
        "answered_at": asked_at + timedelta(minutes=1) if answered else None,
        "asked_at": asked_at,
        "edited_at": None,
        "withdrawn_at": None,
    }


def commitment_row(
    commitment_id: int,
    *,
    set_no: int,
    user: str,
    now: datetime,
    status: str,
    due_date: date,
    next_reminder_at: datetime | None,
) -> dict[str, Any]:
    closed = status != OPEN
    return {
        "id": commitment_id,
        "set_id": set_no,
        "user_id": user,
        "round_id": None,
        "action": "Ask two people in my team to co-write next quarter's plan with me",
        "done_looks_like": "A draft plan that is not mine",
        "due_date": due_date,
        "status": status,
        "snoozed_to": None,
        "next_reminder_at": next_reminder_at,
        "message_channel": None,
        "message_ts": None,
        "created_at": now - timedelta(days=30),
        "updated_at": now - timedelta(days=1),
        "closed_at": now - timedelta(days=2) if closed else None,
        "drop_reason": None,
        "celebration_ts": None,
    }


async def add_set_history(conn: AsyncConnection, *, shape: SetShape, now: datetime) -> None:
    """Per set: one open round (6 questions, half answered) and three closed ones (4 questions
    each); per member two open commitments (reminders weeks ahead) and three done ones."""
    rounds: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    commitments: list[dict[str, Any]] = []
    round_id = question_id = commitment_id = 0
    for n in range(1, shape.sets + 1):
        people = members_of(n, shape.members)
        for r in range(4):
            round_id += 1
            open_ = r == 3
            opened = now - timedelta(days=7 if open_ else 90 - 28 * r)
            rounds.append(_round(round_id, n, people[r % len(people)], opened_at=opened, open_=open_))
            for q in range(6 if open_ else 4):
                question_id += 1
                asker = people[(r + q + 1) % len(people)]
                asked = opened + timedelta(hours=q + 1)
                questions.append(_question(question_id, round_id, asker, asked_at=asked, answered=q % 2 == 0))
        for person in people:
            for c in range(5):
                commitment_id += 1
                open_ = c < 2
                due = (now + timedelta(days=14 + c)).date() if open_ else (now - timedelta(days=20 * c)).date()
                commitments.append(
                    commitment_row(
                        commitment_id,
                        set_no=n,
                        user=person,
                        now=now,
                        status=OPEN if open_ else DONE,
                        due_date=due,
                        next_reminder_at=local_to_utc(due - timedelta(days=2), time(9, 0), shape.tz) if open_ else None,
                    )
                )
    await bulk_insert(conn, "round", rounds)
    await bulk_insert(conn, "question", questions)
    await bulk_insert(conn, "commitment", commitments)


# ---- reminders that are due ---------------------------------------------------------------------


def morning_zone(now: datetime) -> str:
    """A time zone where it is now between 10:00 and 22:00, so that a reminder for today (09:00
    there) is due and still goes out the same day."""
    for name in (
        "Europe/London",
        "Europe/Berlin",
        "Europe/Moscow",
        "Asia/Dubai",
        "Asia/Kolkata",
        "Asia/Bangkok",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Kiritimati",
        "Pacific/Honolulu",
        "America/Los_Angeles",
        "America/Denver",
        "America/Chicago",
        "America/New_York",
        "America/Sao_Paulo",
        "Atlantic/Azores",
    ):
        if 10 <= now.astimezone(ZoneInfo(name)).hour < 22:
            return name
    raise RuntimeError("no time zone is in its day; add one to the list")  # pragma: no cover


def due_today(now: datetime, tz: str) -> tuple[date, datetime]:
    """(today in `tz`, 09:00 today in `tz` as UTC): a commitment due today, reminder due now."""
    today = now.astimezone(ZoneInfo(tz)).date()
    return today, local_to_utc(today, time(9, 0), tz)


async def add_due_commitments(
    conn: AsyncConnection,
    *,
    shape: SetShape,
    now: datetime,
    per_set: int,
    due: bool = True,
    first_id: int = 1,
) -> int:
    """`per_set` open commitments in every set, each by a different member, due today; their "on
    the day" reminder is due now (or, with due=False, a week ahead). Returns how many."""
    today, at = due_today(now, shape.tz)
    rows = (
        commitment_row(
            first_id + (n - 1) * per_set + i,
            set_no=n,
            user=members_of(n, shape.members)[i % shape.members],
            now=now,
            status=OPEN,
            due_date=today,
            next_reminder_at=at if due else now + timedelta(days=7),
        )
        for n in range(1, shape.sets + 1)
        for i in range(per_set)
    )
    return await bulk_insert(conn, "commitment", rows)


# ---- a big history for the sweep ----------------------------------------------------------------

HISTORY_OPEN_SHARE = 10  # 3 in 10 stored commitments are open, with reminders still to come


def history_rows(
    start: int, stop: int, *, due: int, shape: SetShape, now: datetime
) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
    """Commitments `start`..`stop-1` and their outbox rows. The first `due` commitments have a
    reminder due now (and a pending outbox row); of the rest, 3 in 10 are open with a reminder in
    the next 60 days and the others are done, each with one sent reminder in the outbox."""

    def commitment(i: int) -> dict[str, Any]:
        set_no = (i - 1) % shape.sets + 1
        user = members_of(set_no, shape.members)[((i - 1) // shape.sets) % shape.members]
        if i <= due:
            at = now - timedelta(minutes=i % 600)
            return commitment_row(
                i, set_no=set_no, user=user, now=now, status=OPEN, due_date=at.date(), next_reminder_at=at
            )
        if (i * 7919) % HISTORY_OPEN_SHARE < 3:
            at = now + timedelta(minutes=60 + (i * 104_729) % (60 * 24 * 60))
            return commitment_row(
                i, set_no=set_no, user=user, now=now, status=OPEN, due_date=at.date(), next_reminder_at=at
            )
        done_on = (now - timedelta(days=1 + i % 700)).date()
        return commitment_row(
            i, set_no=set_no, user=user, now=now, status=DONE, due_date=done_on, next_reminder_at=None
        )

    def outbox(i: int) -> dict[str, Any]:
        set_no = (i - 1) % shape.sets + 1
        user = members_of(set_no, shape.members)[((i - 1) // shape.sets) % shape.members]
        pending = i <= due
        at = now - timedelta(minutes=i % 600) if pending else now - timedelta(days=1 + i % 700)
        day = at.date().isoformat()
        return {
            "id": i,
            "key": f"reminder:{i}:{'due' if pending else 'lead'}:{day}",
            "team_id": TEAM_ID,
            "kind": "reminder.due" if pending else "reminder.lead",
            "user_id": user,
            "channel_id": None,
            "subject_id": i,
            "local_date": at.date(),
            "timezone": shape.tz,
            "due_at": at,
            "status": PENDING if pending else SENT,
            "claimed_by": None if pending else "bench",
            "claimed_at": None if pending else at,
            "lease_until": None,
            "attempts": 0 if pending else 1,
            "last_error": None,
            "sent_channel": None if pending else "D00000001",
            "sent_ts": None if pending else f"{at.timestamp():.6f}",
            "created_at": at,
            "finished_at": None if pending else at,
        }

    ids = range(start, stop)
    return (commitment(i) for i in ids), (outbox(i) for i in ids)
