"""Forgetting: a member's own words in a set, removed at their request, and the set's retention
period applied each day. What the app posted stays in Slack's history only as "(removed…)"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from bot.domain.forgetting import REMOVED, Forgotten
from bot.domain.permissions import Action
from bot.services.authz import authorize
from storage.models import (
    Commitment,
    LearningSet,
    MeetingBid,
    OutboxMessage,
    Question,
    Reflection,
    ReflectionPrompt,
    Round,
)
from storage.repositories.outbox import PENDING
from storage.unit_of_work import UnitOfWork


async def forget_member(uow: UnitOfWork, *, learning_set: LearningSet, user_id: str) -> Forgotten:
    """Delete the member's questions, answers, reflections and commitments in the set, and take the
    words out of the rounds they presented. Counts stay true: a deleted question is no longer counted."""
    await authorize(uow, Action.FORGET_ME, learning_set=learning_set, user_id=user_id)
    session, channel = uow.session, learning_set.channel_id
    out = Forgotten()
    in_set = select(Round.id).where(Round.set_id == learning_set.id)

    asked = (
        await session.scalars(select(Question).where(Question.round_id.in_(in_set), Question.asker_user_id == user_id))
    ).all()
    for question in asked:
        out.messages += [(channel, ts) for ts in (question.message_ts, question.answer_ts) if ts]
        out.rounds_to_redraw.add(question.round_id)
        await session.delete(question)
    out.questions = sum(1 for q in asked if q.status != "withdrawn")

    presented = (
        await session.scalars(select(Round).where(Round.set_id == learning_set.id, Round.presenter_user_id == user_id))
    ).all()
    for round_ in presented:
        answered = (
            await session.scalars(
                select(Question).where(Question.round_id == round_.id, Question.answer_text.is_not(None))
            )
        ).all()
        for question in answered:
            if question.answer_ts:
                out.messages.append((channel, question.answer_ts))
            question.answer_text = None
            out.answers += 1
        round_.problem, round_.context, round_.why_it_matters = REMOVED, "", ""
        round_.tried, round_.success, round_.help_wanted = "", "", ""
        round_.reflection_learned = round_.reflection_differently = None
        if round_.reflection_ts:
            out.messages.append((channel, round_.reflection_ts))
        out.rounds_to_redraw.add(round_.id)
        out.rounds += 1

    reflections = (
        await session.scalars(
            select(Reflection).where(Reflection.set_id == learning_set.id, Reflection.user_id == user_id)
        )
    ).all()
    for reflection in reflections:
        if reflection.message_channel and reflection.message_ts:
            out.messages.append((reflection.message_channel, reflection.message_ts))
        await session.delete(reflection)
    out.reflections = len(reflections)

    commitments = (
        await session.scalars(
            select(Commitment).where(Commitment.set_id == learning_set.id, Commitment.user_id == user_id)
        )
    ).all()
    for commitment in commitments:
        if commitment.message_channel and commitment.message_ts:
            out.messages.append((commitment.message_channel, commitment.message_ts))
        if commitment.celebration_ts:
            out.messages.append((channel, commitment.celebration_ts))
        await session.delete(commitment)
    out.commitments = len(commitments)
    if commitments:  # reminders not yet sent would find nothing to say: drop them now
        await session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.status == PENDING, OutboxMessage.subject_id.in_([c.id for c in commitments])
            )
        )
    await session.execute(delete(MeetingBid).where(MeetingBid.set_id == learning_set.id, MeetingBid.user_id == user_id))
    await session.flush()
    return out


@dataclass(frozen=True)
class Expired:
    rounds: int
    reflections: int
    commitments: int


async def apply_retention(uow: UnitOfWork, *, learning_set: LearningSet, cutoff: datetime) -> Expired:
    """Delete what the set said before `cutoff`: closed rounds (with their questions), reflections
    and their prompts, and commitments that were done or dropped. Open work is kept."""
    session = uow.session
    old_rounds = (
        await session.scalars(
            select(Round.id).where(
                Round.set_id == learning_set.id, Round.opened_at < cutoff, Round.phase.in_(("reflecting", "closed"))
            )
        )
    ).all()
    if old_rounds:
        await session.execute(delete(Question).where(Question.round_id.in_(old_rounds)))
        await session.execute(update(Commitment).where(Commitment.round_id.in_(old_rounds)).values(round_id=None))
        await session.execute(delete(Round).where(Round.id.in_(old_rounds)))
    reflections = await session.execute(
        delete(Reflection).where(Reflection.set_id == learning_set.id, Reflection.created_at < cutoff)
    )
    await session.execute(
        delete(ReflectionPrompt).where(
            ReflectionPrompt.set_id == learning_set.id, ReflectionPrompt.prompted_at < cutoff
        )
    )
    commitments = await session.execute(
        delete(Commitment).where(
            Commitment.set_id == learning_set.id,
            Commitment.status.in_(("done", "dropped")),
            Commitment.updated_at < cutoff,
        )
    )
    await session.execute(
        delete(MeetingBid).where(MeetingBid.set_id == learning_set.id, MeetingBid.meeting_at < cutoff)
    )
    return Expired(
        rounds=len(old_rounds),
        reflections=int(getattr(reflections, "rowcount", 0) or 0),
        commitments=int(getattr(commitments, "rowcount", 0) or 0),
    )
