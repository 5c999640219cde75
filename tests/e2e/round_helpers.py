"""Steps of a round, played the way members would play them in Slack."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from slack_standin.workspace import Message
from storage.models import Question, Round
from tests.e2e.harness import Harness


async def present(h: Harness, user_id: str, channel_id: str, values: dict[str, Any] | None = None) -> Round:
    before = len(h.standin.calls_to("views.open"))
    reply = await h.driver.command(user_id, channel_id, "present")
    assert reply.status == 200
    assert reply.text == "", reply.text
    await h.standin.wait_for_call("views.open", before + 1)
    values = {"rounds.problem": "How do I get my team to own the plan?", **(values or {})}
    submitted = await h.driver.submit(user_id, values)
    assert submitted.json is None, submitted.text
    await h.idle()
    async with h.db.read() as uow:
        round_ = await uow.session.scalar(
            select(Round).where(Round.presenter_user_id == user_id).order_by(Round.id.desc())
        )
    assert round_ is not None
    return round_


def root_message(h: Harness, round_: Round, channel_id: str) -> Message:
    messages = [m for m in h.ws.messages_in(channel_id, top_level=True) if m.ts == round_.root_ts]
    assert messages, "the round has no root message"
    return messages[0]


async def reload_round(h: Harness, round_id: int) -> Round:
    async with h.db.read() as uow:
        found = await uow.rounds.get(h.ws.team_id, round_id)
    assert found is not None
    return found[0]


async def questions_of(h: Harness, round_id: int, *, include_withdrawn: bool = False) -> list[Question]:
    async with h.db.read() as uow:
        query = select(Question).where(Question.round_id == round_id).order_by(Question.id)
        rows = list((await uow.session.scalars(query)).all())
    return rows if include_withdrawn else [q for q in rows if q.status != "withdrawn"]


async def ask_via_button(
    h: Harness, user_id: str, round_: Round, channel_id: str, text: str, *, expect_posted: bool = True
) -> Any:
    round_ = await reload_round(h, round_.id)
    before = len(h.standin.calls_to("views.open"))
    reply = await h.driver.click(user_id, "rounds.ask_button", message=root_message(h, round_, channel_id))
    assert reply.status == 200
    await h.standin.wait_for_call("views.open", before + 1)
    submitted = await h.driver.submit(user_id, {"rounds.question": text})
    await h.idle()
    if expect_posted:
        assert submitted.json is None, submitted.text
    return submitted


def thread(h: Harness, channel_id: str, round_: Round) -> list[Message]:
    assert round_.root_ts is not None
    return h.ws.messages_in(channel_id, thread_ts=round_.root_ts)


def message_of_question(h: Harness, channel_id: str, question: Question) -> Message:
    found = [m for m in h.ws.messages_in(channel_id) if m.ts == question.message_ts]
    assert found, "the question has no message"
    return found[0]
