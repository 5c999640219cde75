"""The plain records an export is made of: a set's history, or one member's own part of it, free
of storage and of Slack. What goes into them is decided where they are gathered
(`bot.services.export`); `bot.domain.export_format` writes them down as files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Scope(StrEnum):
    SET = "set"  # the facilitator's export: the set's history as the set saw it
    MINE = "mine"  # a member's own words, private reflections included


@dataclass(frozen=True)
class AnswerRecord:
    question_id: int
    text: str
    answered_at: datetime | None


@dataclass(frozen=True)
class QuestionRecord:
    id: int
    round_id: int
    asker_id: str
    text: str
    kind: str
    phase: str
    status: str
    golden: bool
    asked_at: datetime
    edited_at: datetime | None
    answer: AnswerRecord | None  # only in the set's export: the presenter's words


@dataclass(frozen=True)
class RoundRecord:
    id: int
    presenter_id: str
    problem: str
    context: str
    why_it_matters: str
    tried: str
    success: str
    help_wanted: tuple[str, ...]
    phase: str
    opened_at: datetime
    closed_at: datetime | None
    closed_by_id: str | None
    reflection_learned: str | None
    reflection_differently: str | None
    reflected_at: datetime | None
    questions: tuple[QuestionRecord, ...] = ()  # the set's export
    answers: tuple[AnswerRecord, ...] = ()  # a member's own export: their answers, not the questions


@dataclass(frozen=True)
class ReflectionRecord:
    id: int
    author_id: str
    visibility: str
    prompt: str | None
    text: str
    created_at: datetime


@dataclass(frozen=True)
class NoteRecord:
    kind: str
    what_happened: str
    learned: str
    new_due_date: date | None
    created_at: datetime


@dataclass(frozen=True)
class CommitmentRecord:
    id: int
    owner_id: str
    round_id: int | None
    action: str
    done_looks_like: str
    due_date: date
    status: str
    created_at: datetime
    closed_at: datetime | None
    drop_reason: str | None
    notes: tuple[NoteRecord, ...]


@dataclass(frozen=True)
class SetHistory:
    scope: Scope
    set_name: str
    team_id: str
    channel_id: str
    facilitator_id: str
    requested_by: str
    exported_at: datetime
    timezone: str  # for the Markdown's times: the reader's own zone
    people: dict[str, str]  # user id -> display name, as last read from Slack
    rounds: tuple[RoundRecord, ...]
    questions: tuple[QuestionRecord, ...]  # a member's own export: the questions they asked
    reflections: tuple[ReflectionRecord, ...]
    commitments: tuple[CommitmentRecord, ...]
