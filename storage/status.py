"""What `/als status` reads about a set for the person asking, as plain rows in one transaction
(Database.read_rows), each statement run on SQLite's cursor (storage.compiled_reads): it is asked
often, and its answer is due within Slack's acknowledgement."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection

from storage.compiled_reads import rows
from storage.models import Commitment, LearningSet, Question, Round, SetMember
from storage.repositories.rounds import ANSWERED_COUNT, NEWEST_FIRST, NOT_WITHDRAWN, OPEN_IN_THE_SET
from storage.repositories.sets import OF_CHANNEL

_MEMBERS = (
    select(SetMember.user_id)
    .where(SetMember.set_id == bindparam("set_id"), SetMember.left_at.is_(None))
    .order_by(SetMember.joined_at, SetMember.id)
)
_OPEN_ROUNDS = (
    select(Round.id, Round.presenter_user_id, Round.problem, Round.phase, func.count(Question.id), ANSWERED_COUNT)
    .outerjoin(Question, (Question.round_id == Round.id) & NOT_WITHDRAWN)
    .where(*OPEN_IN_THE_SET)
    .group_by(Round.id)
    .order_by(*NEWEST_FIRST)
)
_UNANSWERED = (
    select(Question.id, Question.asker_user_id, Question.text, Question.phase, Question.status)
    .where(Question.round_id == bindparam("round_id"), NOT_WITHDRAWN, Question.status != "answered")
    .order_by(Question.asked_at, Question.id)
)
_LATEST_OWN = (
    select(Round.id, Round.presenter_user_id, Round.problem, Round.phase)
    .where(Round.set_id == bindparam("set_id"), Round.presenter_user_id == bindparam("user_id"))
    .order_by(*NEWEST_FIRST)
    .limit(1)
)
_OWN_OPEN_COMMITMENTS = (
    select(Commitment.action, Commitment.due_date)
    .where(
        Commitment.set_id == bindparam("set_id"),
        Commitment.user_id == bindparam("user_id"),
        Commitment.status == "open",
    )
    .order_by(Commitment.due_date, Commitment.id)
)


@dataclass(frozen=True)
class SetRow:
    """What status shows of the set itself: a row, not a LearningSet (which a Session would load
    for twice the CPU). The columns read are these fields, in this order."""

    id: int
    facilitator_user_id: str
    name: str
    timezone: str
    cadence: str
    next_meeting_at: datetime | None
    prompt_weekday: int
    prompt_time: time
    reminder_lead_days: int
    paused_until_date: date | None
    ground_rules: str | None
    retention_months: int


_SET_OF_CHANNEL = select(*(getattr(LearningSet, f.name) for f in fields(SetRow))).where(*OF_CHANNEL)


@dataclass(frozen=True)
class RoundRow:
    id: int
    presenter_id: str
    problem: str
    phase: str
    asked: int = 0
    answered: int = 0


@dataclass(frozen=True)
class QuestionRow:
    id: int
    asker_id: str
    text: str
    phase: str
    status: str


@dataclass(frozen=True)
class StatusRows:
    member_ids: list[str]
    open_rounds: list[RoundRow]  # newest first, each with its standing questions counted
    own_unanswered: list[QuestionRow] = field(default_factory=list)  # in the viewer's open round, oldest first
    latest_own: RoundRow | None = None  # the viewer's newest round in the set, open or not
    commitments: list[tuple[str, date]] = field(default_factory=list)  # the viewer's open ones, by due date


def read_channel_status(
    conn: Connection, team_id: str, channel_id: str, viewer_id: str
) -> tuple[SetRow, StatusRows] | None:
    """The channel's set and what status shows of it, in one transaction; None when the channel is
    no set's."""
    found = rows(conn, _SET_OF_CHANNEL, {"team_id": team_id, "channel_id": channel_id})
    if not found:
        return None
    learning_set = SetRow(*found[0])
    return learning_set, read_status(conn, learning_set.id, viewer_id)


def read_status(conn: Connection, set_id: int, viewer_id: str) -> StatusRows:
    of_set, of_viewer = {"set_id": set_id}, {"set_id": set_id, "user_id": viewer_id}
    members = [m for (m,) in rows(conn, _MEMBERS, of_set)]
    open_rounds = [
        RoundRow(id, presenter, problem, phase, int(asked or 0), int(answered or 0))
        for id, presenter, problem, phase, asked, answered in rows(conn, _OPEN_ROUNDS, of_set)
    ]
    own = next((r for r in open_rounds if r.presenter_id == viewer_id), None)
    unanswered = [QuestionRow(*row) for row in rows(conn, _UNANSWERED, {"round_id": own.id})] if own is not None else []
    latest_rows = rows(conn, _LATEST_OWN, of_viewer)
    latest = latest_rows[0] if latest_rows else None
    commitments = [(action, due) for action, due in rows(conn, _OWN_OPEN_COMMITMENTS, of_viewer)]
    return StatusRows(
        member_ids=members,
        open_rounds=open_rounds,
        own_unanswered=unanswered,
        latest_own=RoundRow(*latest) if latest is not None else None,
        commitments=commitments,
    )
