"""Rounds: presenting, asking, answering, moving on, closing and reflecting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.rounds import Phase, Presentation, QuestionStatus, may_steer
from bot.services.errors import Refused
from storage.models import LearningSet, Question, Round
from storage.repositories.rounds import QuestionCounts
from storage.unit_of_work import UnitOfWork

NOT_A_MEMBER = "Only members of this set can do that. The set's members are the people in its channel."
ONLY_PRESENTER_ANSWERS = "Only the presenter answers questions in their round."
QUESTIONS_CLOSED = "Questions in this round are closed."
OWN_ROUND = "This is your round: the others ask the questions, and you answer them."
ONLY_STEERS = "Only the presenter or the set's facilitator can do that."
ROUND_GONE = "That round no longer exists."
QUESTION_GONE = "That question no longer exists or was withdrawn."


@dataclass(frozen=True)
class RoundView:
    """What the round's messages show: the round, its set and its counts, read together."""

    round: Round
    learning_set: LearningSet
    counts: QuestionCounts


async def require_member(uow: UnitOfWork, learning_set: LearningSet, user_id: str) -> None:
    member = await uow.sets.get_member(learning_set.id, user_id)
    if member is None or member.left_at is not None:
        raise Refused(NOT_A_MEMBER)


async def open_round(
    uow: UnitOfWork, *, learning_set: LearningSet, presenter_id: str, presentation: Presentation, now: datetime
) -> Round:
    await require_member(uow, learning_set, presenter_id)
    if await uow.rounds.get_open_of(learning_set.id, presenter_id) is not None:
        raise Refused("You already have a round open in this set. Close its questions before presenting again.")
    return await uow.rounds.add(
        Round(
            set_id=learning_set.id,
            presenter_user_id=presenter_id,
            problem=presentation.problem,
            context=presentation.context,
            why_it_matters=presentation.why_it_matters,
            tried=presentation.tried,
            success=presentation.success,
            help_wanted=",".join(h.value for h in presentation.help_wanted),
            phase=Phase.CLARIFYING.value,
            root_ts=None,
            opened_at=now,
        )
    )


async def load_round(uow: UnitOfWork, *, team_id: str, round_id: int) -> tuple[Round, LearningSet]:
    found = await uow.rounds.get(team_id, round_id)
    if found is None:
        raise Refused(ROUND_GONE)
    return found


async def load_question(uow: UnitOfWork, *, team_id: str, question_id: int) -> tuple[Question, Round, LearningSet]:
    found = await uow.rounds.get_question(team_id, question_id)
    if found is None or found[0].status == QuestionStatus.WITHDRAWN:
        raise Refused(QUESTION_GONE)
    return found


async def round_view(uow: UnitOfWork, *, team_id: str, round_id: int) -> RoundView:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    return RoundView(round_, learning_set, await uow.rounds.count_questions(round_id))


async def check_can_ask(uow: UnitOfWork, *, round_: Round, learning_set: LearningSet, asker_id: str) -> None:
    await require_member(uow, learning_set, asker_id)
    if asker_id == round_.presenter_user_id:
        raise Refused(OWN_ROUND)
    if not Phase(round_.phase).open_for_questions:
        raise Refused(QUESTIONS_CLOSED)


async def ask_question(
    uow: UnitOfWork,
    *,
    team_id: str,
    round_id: int,
    asker_id: str,
    text: str,
    kind: str,
    coached: bool,
    now: datetime,
) -> Question:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    await check_can_ask(uow, round_=round_, learning_set=learning_set, asker_id=asker_id)
    return await uow.rounds.add_question(
        Question(
            round_id=round_.id,
            asker_user_id=asker_id,
            text=text,
            kind=kind,
            coached=coached,
            phase=round_.phase,
            status=QuestionStatus.WAITING.value,
            golden=False,
            message_ts=None,
            answer_text=None,
            answer_ts=None,
            answered_at=None,
            asked_at=now,
            edited_at=None,
            withdrawn_at=None,
        )
    )


def check_presenter(question_round: Round, user_id: str) -> None:
    if user_id != question_round.presenter_user_id:
        raise Refused(ONLY_PRESENTER_ANSWERS)


def check_unanswered(question: Question) -> None:
    if question.status == QuestionStatus.ANSWERED:
        raise Refused("That question has already been answered.")


async def answer_question(
    uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str, answer: str, now: datetime
) -> Question:
    question, round_, _ = await load_question(uow, team_id=team_id, question_id=question_id)
    check_presenter(round_, user_id)
    check_unanswered(question)
    question.status = QuestionStatus.ANSWERED.value
    question.answer_text, question.answered_at = answer, now
    return question


async def toggle_still_thinking(uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str) -> Question:
    question, round_, _ = await load_question(uow, team_id=team_id, question_id=question_id)
    check_presenter(round_, user_id)
    check_unanswered(question)
    thinking = question.status == QuestionStatus.STILL_THINKING
    question.status = (QuestionStatus.WAITING if thinking else QuestionStatus.STILL_THINKING).value
    return question


async def toggle_golden(uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str) -> Question:
    question, round_, _ = await load_question(uow, team_id=team_id, question_id=question_id)
    if user_id != round_.presenter_user_id:
        raise Refused("Only the presenter marks the questions that helped most.")
    question.golden = not question.golden
    return question


def check_own_question(question: Question, user_id: str) -> None:
    if user_id != question.asker_user_id:
        raise Refused("Only the person who asked a question can change or withdraw it.")
    if question.status == QuestionStatus.ANSWERED:
        raise Refused("That question has been answered, so it can no longer be changed or withdrawn.")


async def edit_question(
    uow: UnitOfWork,
    *,
    team_id: str,
    question_id: int,
    user_id: str,
    text: str,
    kind: str,
    coached: bool,
    now: datetime,
) -> Question:
    question, _, _ = await load_question(uow, team_id=team_id, question_id=question_id)
    check_own_question(question, user_id)
    question.text, question.kind, question.coached, question.edited_at = text, kind, coached, now
    return question


async def withdraw_question(
    uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str, now: datetime
) -> Question:
    question, _, _ = await load_question(uow, team_id=team_id, question_id=question_id)
    check_own_question(question, user_id)
    question.status = QuestionStatus.WITHDRAWN.value
    question.text, question.withdrawn_at = "", now
    return question


async def move_to_exploratory(uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str) -> Round:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    if not may_steer(
        user_id=user_id, presenter_id=round_.presenter_user_id, facilitator_id=learning_set.facilitator_user_id
    ):
        raise Refused(ONLY_STEERS)
    if round_.phase != Phase.CLARIFYING:
        raise Refused("This round has already moved past clarifying questions.")
    round_.phase = Phase.EXPLORATORY.value
    return round_


async def close_questions(uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str, now: datetime) -> Round:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    if not may_steer(
        user_id=user_id, presenter_id=round_.presenter_user_id, facilitator_id=learning_set.facilitator_user_id
    ):
        raise Refused(ONLY_STEERS)
    if not Phase(round_.phase).open_for_questions:
        raise Refused("Questions in this round are already closed.")
    round_.phase = Phase.REFLECTING.value
    round_.closed_at, round_.closed_by_user_id = now, user_id
    return round_


async def record_reflection(
    uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str, learned: str, differently: str, now: datetime
) -> Round:
    round_, _ = await load_round(uow, team_id=team_id, round_id=round_id)
    if user_id != round_.presenter_user_id:
        raise Refused("Only the presenter reflects on their round.")
    if round_.phase != Phase.REFLECTING:
        raise Refused(
            "You have already reflected on this round."
            if round_.phase == Phase.CLOSED
            else "Close the round's questions first, then reflect."
        )
    round_.phase = Phase.CLOSED.value
    round_.reflection_learned, round_.reflection_differently, round_.reflected_at = learned, differently, now
    return round_
