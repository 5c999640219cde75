"""Rounds: presenting, asking, answering, moving on, closing and reflecting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.permissions import Action
from bot.domain.rounds import Phase, Presentation, QuestionStatus
from bot.services.authz import authorize
from bot.services.errors import Refused
from storage.models import LearningSet, Question, Round
from storage.repositories.rounds import QuestionCounts
from storage.unit_of_work import UnitOfWork

ONLY_PRESENTER_ANSWERS = "Only the presenter answers questions in their round."
QUESTIONS_CLOSED = "Questions in this round are closed."
OWN_ROUND = "This is your round: the others ask the questions, and you answer them."
ROUND_GONE = "That round no longer exists."
QUESTION_GONE = "That question no longer exists or was withdrawn."


@dataclass(frozen=True)
class RoundView:
    """What the round's messages show: the round, its set and its counts, read together."""

    round: Round
    learning_set: LearningSet
    counts: QuestionCounts


async def require_member(uow: UnitOfWork, learning_set: LearningSet, user_id: str, action: Action) -> None:
    """For actions any member may take (the permissions table says which)."""
    await authorize(uow, action, learning_set=learning_set, user_id=user_id)


async def open_round(
    uow: UnitOfWork, *, learning_set: LearningSet, presenter_id: str, presentation: Presentation, now: datetime
) -> Round:
    await authorize(uow, Action.PRESENT, learning_set=learning_set, user_id=presenter_id)
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
    await authorize(uow, Action.ASK, learning_set=learning_set, user_id=asker_id, round_=round_)
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


async def check_presenter(
    uow: UnitOfWork, learning_set: LearningSet, question_round: Round, user_id: str, action: Action = Action.ANSWER
) -> None:
    await authorize(uow, action, learning_set=learning_set, user_id=user_id, round_=question_round)


def check_unanswered(question: Question) -> None:
    if question.status == QuestionStatus.ANSWERED:
        raise Refused("That question has already been answered.")


async def answer_question(
    uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str, answer: str, now: datetime
) -> Question:
    question, round_, learning_set = await load_question(uow, team_id=team_id, question_id=question_id)
    await check_presenter(uow, learning_set, round_, user_id)
    check_unanswered(question)
    question.status = QuestionStatus.ANSWERED.value
    question.answer_text, question.answered_at = answer, now
    return question


async def toggle_still_thinking(uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str) -> Question:
    question, round_, learning_set = await load_question(uow, team_id=team_id, question_id=question_id)
    await check_presenter(uow, learning_set, round_, user_id, Action.STILL_THINKING)
    check_unanswered(question)
    thinking = question.status == QuestionStatus.STILL_THINKING
    question.status = (QuestionStatus.WAITING if thinking else QuestionStatus.STILL_THINKING).value
    return question


async def toggle_golden(uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str) -> Question:
    question, round_, learning_set = await load_question(uow, team_id=team_id, question_id=question_id)
    await authorize(uow, Action.MARK_GOLDEN, learning_set=learning_set, user_id=user_id, round_=round_)
    question.golden = not question.golden
    return question


async def check_own_question(
    uow: UnitOfWork, learning_set: LearningSet, question: Question, user_id: str, action: Action
) -> None:
    await authorize(uow, action, learning_set=learning_set, user_id=user_id, question=question)
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
    question, _, learning_set = await load_question(uow, team_id=team_id, question_id=question_id)
    await check_own_question(uow, learning_set, question, user_id, Action.EDIT_QUESTION)
    question.text, question.kind, question.coached, question.edited_at = text, kind, coached, now
    return question


async def withdraw_question(
    uow: UnitOfWork, *, team_id: str, question_id: int, user_id: str, now: datetime
) -> Question:
    question, _, learning_set = await load_question(uow, team_id=team_id, question_id=question_id)
    await check_own_question(uow, learning_set, question, user_id, Action.WITHDRAW_QUESTION)
    question.status = QuestionStatus.WITHDRAWN.value
    question.text, question.withdrawn_at = "", now
    return question


async def move_to_exploratory(uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str) -> Round:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    await authorize(uow, Action.MOVE_ON, learning_set=learning_set, user_id=user_id, round_=round_)
    if round_.phase != Phase.CLARIFYING:
        raise Refused("This round has already moved past clarifying questions.")
    round_.phase = Phase.EXPLORATORY.value
    return round_


async def close_questions(uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str, now: datetime) -> Round:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    await authorize(uow, Action.CLOSE, learning_set=learning_set, user_id=user_id, round_=round_)
    if not Phase(round_.phase).open_for_questions:
        raise Refused("Questions in this round are already closed.")
    round_.phase = Phase.REFLECTING.value
    round_.closed_at, round_.closed_by_user_id = now, user_id
    return round_


async def record_reflection(
    uow: UnitOfWork, *, team_id: str, round_id: int, user_id: str, learned: str, differently: str, now: datetime
) -> Round:
    round_, learning_set = await load_round(uow, team_id=team_id, round_id=round_id)
    await authorize(uow, Action.REFLECT_ON_ROUND, learning_set=learning_set, user_id=user_id, round_=round_)
    if round_.phase != Phase.REFLECTING:
        raise Refused(
            "You have already reflected on this round."
            if round_.phase == Phase.CLOSED
            else "Close the round's questions first, then reflect."
        )
    round_.phase = Phase.CLOSED.value
    round_.reflection_learned, round_.reflection_differently, round_.reflected_at = learned, differently, now
    return round_
