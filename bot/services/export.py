"""Exports: what a set's history holds for its facilitator, and what a member's own export holds.

The facilitator's export is what the set itself saw: rounds with their questions and answers, the
presenters' reflections, commitments with their notes, and only the weekly reflections their
writers shared with the set. A member's own export is their words alone (rounds they presented
and their answers, questions they asked, every reflection they wrote, their commitments): no one
else's question, answer or reflection is read into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from bot.domain.export import (
    AnswerRecord,
    CommitmentRecord,
    NoteRecord,
    QuestionRecord,
    ReflectionRecord,
    RoundRecord,
    Scope,
    SetHistory,
)
from bot.domain.permissions import Action
from bot.services.authz import authorize
from bot.services.commitments import member_tz
from storage.models import Commitment, CommitmentNote, LearningSet, Question, Reflection, Round
from storage.unit_of_work import UnitOfWork


async def may_export(uow: UnitOfWork, *, learning_set: LearningSet, user_id: str, scope: Scope) -> None:
    """Refused (with the reason in plain words) unless the person may take this export."""
    action = Action.EXPORT if scope is Scope.SET else Action.EXPORT_MINE
    await authorize(uow, action, learning_set=learning_set, user_id=user_id)


async def gather_history(
    uow: UnitOfWork, *, learning_set: LearningSet, user_id: str, scope: Scope, now: datetime
) -> SetHistory:
    await may_export(uow, learning_set=learning_set, user_id=user_id, scope=scope)
    if scope is Scope.SET:
        rounds, questions, reflections, commitments = await _the_sets(uow, learning_set)
    else:
        rounds, questions, reflections, commitments = await _own(uow, learning_set, user_id)
    notes: dict[int, list[CommitmentNote]] = {}
    for note in await uow.export.list_notes([c.id for c in commitments]):
        notes.setdefault(note.commitment_id, []).append(note)
    people = _people_of(rounds, questions, reflections, commitments, learning_set, user_id, scope)
    return SetHistory(
        scope=scope,
        set_name=learning_set.name,
        team_id=learning_set.team_id,
        channel_id=learning_set.channel_id,
        facilitator_id=learning_set.facilitator_user_id,
        requested_by=user_id,
        exported_at=now,
        timezone=await member_tz(uow, team_id=learning_set.team_id, user_id=user_id, fallback=learning_set.timezone),
        people=await uow.export.display_names(learning_set.team_id, people),
        rounds=tuple(rounds),
        questions=tuple(questions),
        reflections=tuple(_reflection(r, prompt) for r, prompt in reflections),
        commitments=tuple(_commitment(c, notes.get(c.id, [])) for c in commitments),
    )


Reflections = Sequence[tuple[Reflection, str | None]]


async def _the_sets(
    uow: UnitOfWork, learning_set: LearningSet
) -> tuple[list[RoundRecord], list[QuestionRecord], Reflections, Sequence[Commitment]]:
    """Withdrawn questions stay out: their askers took them back (and their words are erased)."""
    questions = await uow.export.list_questions(learning_set.id, include_withdrawn=False)
    rounds = [
        _round(r, questions=tuple(_question(q, with_answer=True) for q in questions if q.round_id == r.id))
        for r in await uow.export.list_rounds(learning_set.id)
    ]
    reflections = await uow.export.list_shared_reflections(learning_set.id)
    return rounds, [], reflections, await uow.export.list_commitments(learning_set.id)


async def _own(
    uow: UnitOfWork, learning_set: LearningSet, user_id: str
) -> tuple[list[RoundRecord], list[QuestionRecord], Reflections, Sequence[Commitment]]:
    presented = await uow.export.list_rounds(learning_set.id, presenter_id=user_id)
    answered = await uow.export.list_answers_in_rounds([r.id for r in presented])
    rounds = [
        _round(r, answers=tuple(_answer(q) for q in answered if q.round_id == r.id and q.answer_text is not None))
        for r in presented
    ]
    asked = [
        _question(q, with_answer=False) for q in await uow.export.list_questions_of_asker(learning_set.id, user_id)
    ]
    reflections = await uow.export.list_reflections_of(learning_set.id, user_id)
    commitments = await uow.export.list_commitments(learning_set.id, owner_id=user_id)
    return rounds, asked, reflections, commitments


def _people_of(
    rounds: Iterable[RoundRecord],
    questions: Iterable[QuestionRecord],
    reflections: Reflections,
    commitments: Iterable[Commitment],
    learning_set: LearningSet,
    user_id: str,
    scope: Scope,
) -> set[str]:
    people = {user_id, *([learning_set.facilitator_user_id] if scope is Scope.SET else [])}
    for r in rounds:
        people |= {r.presenter_id, *([r.closed_by_id] if r.closed_by_id else []), *(q.asker_id for q in r.questions)}
    people |= {q.asker_id for q in questions}
    people |= {r.user_id for r, _ in reflections}
    people |= {c.user_id for c in commitments}
    return people


def _answer(q: Question) -> AnswerRecord:
    return AnswerRecord(question_id=q.id, text=q.answer_text or "", answered_at=q.answered_at)


def _question(q: Question, *, with_answer: bool) -> QuestionRecord:
    return QuestionRecord(
        id=q.id,
        round_id=q.round_id,
        asker_id=q.asker_user_id,
        text=q.text,
        kind=q.kind,
        phase=q.phase,
        status=q.status,
        golden=q.golden,
        asked_at=q.asked_at,
        edited_at=q.edited_at,
        answer=_answer(q) if with_answer and q.answer_text is not None else None,
    )


def _round(
    r: Round, *, questions: tuple[QuestionRecord, ...] = (), answers: tuple[AnswerRecord, ...] = ()
) -> RoundRecord:
    return RoundRecord(
        id=r.id,
        presenter_id=r.presenter_user_id,
        problem=r.problem,
        context=r.context,
        why_it_matters=r.why_it_matters,
        tried=r.tried,
        success=r.success,
        help_wanted=tuple(h for h in r.help_wanted.split(",") if h),
        phase=r.phase,
        opened_at=r.opened_at,
        closed_at=r.closed_at,
        closed_by_id=r.closed_by_user_id,
        reflection_learned=r.reflection_learned,
        reflection_differently=r.reflection_differently,
        reflected_at=r.reflected_at,
        questions=questions,
        answers=answers,
    )


def _reflection(r: Reflection, prompt: str | None) -> ReflectionRecord:
    return ReflectionRecord(
        id=r.id, author_id=r.user_id, visibility=r.visibility, prompt=prompt, text=r.text, created_at=r.created_at
    )


def _commitment(c: Commitment, notes: Iterable[CommitmentNote]) -> CommitmentRecord:
    return CommitmentRecord(
        id=c.id,
        owner_id=c.user_id,
        round_id=c.round_id,
        action=c.action,
        done_looks_like=c.done_looks_like,
        due_date=c.due_date,
        status=c.status,
        created_at=c.created_at,
        closed_at=c.closed_at,
        drop_reason=c.drop_reason,
        notes=tuple(
            NoteRecord(
                kind=n.kind,
                what_happened=n.what_happened,
                learned=n.learned,
                new_due_date=n.new_due_date,
                created_at=n.created_at,
            )
            for n in notes
        ),
    )
