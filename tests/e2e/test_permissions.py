"""Every cell of the permissions table, tried with real requests: for each action and each kind of
person (facilitator, plain member, the round's presenter, the question's asker, the commitment's
owner, someone outside the set), the app does it exactly when the table says so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.domain.permissions import WHO_MAY, Action, Role, may
from slack_standin.workspace import Message
from storage.models import Commitment, LearningSet, Question, Round
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import Harness, SetPeople
from tests.e2e.reflection_helpers import prompts_in
from tests.e2e.round_helpers import ask_via_button, message_of_question, present, root_message
from tests.e2e.setup_helpers import make_set

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
LEAD = datetime(2026, 12, 2, 17, 0, tzinfo=UTC)  # two days before it is due: 09:00 for Mae, in Los Angeles

ACTORS: dict[str, frozenset[Role]] = {
    "facilitator": frozenset({Role.FACILITATOR, Role.MEMBER}),
    "member": frozenset({Role.MEMBER}),
    "presenter": frozenset({Role.MEMBER, Role.PRESENTER}),
    "asker": frozenset({Role.MEMBER, Role.ASKER}),
    "owner": frozenset({Role.MEMBER, Role.OWNER}),
    "outsider": frozenset(),
}
# Cells where another rule (not a permission) says no: presenters do not ask in their own round.
RULES = {(Action.ASK, "presenter"): False}
# Actions whose cells the export tests walk (they need files at the stand-in).
ELSEWHERE = {Action.EXPORT, Action.EXPORT_MINE}


@dataclass
class Scene:
    h: Harness
    people: SetPeople
    set_id: int
    round_: Round | None
    question: Question | None
    commitment: Commitment | None
    outsider: str
    said: list[str]

    async def command(self, user: str, text: str) -> None:
        reply = await self.h.driver.command(user, self.channel, text)
        if isinstance(reply.json, dict):
            self.said.append(str(reply.json.get("text") or ""))

    def who(self, actor: str) -> str:
        fran, ada, grace, ravi, mae = self.people.facilitator, *self.people.members
        return {
            "facilitator": fran.id,
            "presenter": ada.id,
            "asker": grace.id,
            "member": ravi.id,
            "owner": mae.id,
            "outsider": self.outsider,
        }[actor]

    @property
    def channel(self) -> str:
        return self.people.channel.id

    async def learning_set(self) -> LearningSet:
        async with self.h.db.read() as uow:
            found = await uow.sets.get_by_id(self.set_id)
        assert found is not None
        return found

    async def reload(self, model: type[Round] | type[Question] | type[Commitment], row_id: int) -> object:
        async with self.h.db.read() as uow:
            return await uow.session.scalar(select(model).where(model.id == row_id))  # type: ignore[attr-defined]


async def scene(h: Harness, *, with_round: bool = True) -> Scene:
    people, set_id = await make_set(h)
    ada, grace, _, mae = people.members
    round_ = question = None
    if with_round:
        round_ = await present(h, ada.id, people.channel.id)
        await ask_via_button(h, grace.id, round_, people.channel.id, "What would success look like for you?")
        async with h.db.read() as uow:
            question = await uow.session.scalar(select(Question).where(Question.round_id == round_.id))
        async with h.db.read() as uow:
            round_ = await uow.session.scalar(select(Round).where(Round.id == round_.id))
    made = await commit(h, mae.id, people.channel.id, "Talk to two customers", date(2026, 12, 4))
    outsider = h.ws.add_user("Olive Outsider").id
    return Scene(h, people, set_id, round_, question, made, outsider, [])


def opened(h: Harness) -> Callable[[], Awaitable[bool]]:
    """A check that a modal opened since now."""
    before = len(h.standin.calls_to("views.open", ok=True))

    async def check() -> bool:
        await h.idle()
        return len(h.standin.calls_to("views.open", ok=True)) > before

    return check


async def by_command(s: Scene, user: str, text: str) -> Callable[[], Awaitable[bool]]:
    check = opened(s.h)
    await s.command(user, text)
    return check


async def by_click(s: Scene, user: str, action_id: str, message: Message) -> Callable[[], Awaitable[bool]]:
    check = opened(s.h)
    await s.h.driver.click(user, action_id, message=message)
    return check


def root(s: Scene) -> Message:
    assert s.round_ is not None
    return root_message(s.h, s.round_, s.channel)


def question_message(s: Scene) -> Message:
    assert s.question is not None
    return message_of_question(s.h, s.channel, s.question)


async def try_pause(s: Scene, user: str) -> bool:
    await s.command(user, "pause 2026-12-01")
    return (await s.learning_set()).paused_until_date is not None


async def try_resume(s: Scene, user: str) -> bool:
    async with s.h.db.write() as uow:
        found = await uow.sets.get_by_id(s.set_id)
        assert found is not None
        found.paused_until_date = date(2026, 12, 1)
    await s.command(user, "resume")
    return (await s.learning_set()).paused_until_date is None


async def try_still_thinking(s: Scene, user: str) -> bool:
    assert s.question is not None
    await s.h.driver.click(user, "questions.still_thinking", message=question_message(s))
    await s.h.idle()
    found = await s.reload(Question, s.question.id)
    assert isinstance(found, Question)
    return found.status == "still_thinking"


async def try_golden(s: Scene, user: str) -> bool:
    assert s.question is not None
    await s.h.driver.click(user, "questions.golden", message=question_message(s))
    await s.h.idle()
    found = await s.reload(Question, s.question.id)
    assert isinstance(found, Question)
    return found.golden


async def try_phase(s: Scene, user: str, action_id: str, phase: str) -> bool:
    assert s.round_ is not None
    await s.h.driver.click(user, action_id, message=root(s))
    await s.h.idle()
    found = await s.reload(Round, s.round_.id)
    assert isinstance(found, Round)
    return found.phase == phase


async def try_reflect_on_round(s: Scene, user: str) -> bool:
    assert s.round_ is not None
    await s.h.driver.click(s.who("facilitator"), "rounds.close", message=root(s))
    await s.h.idle()
    (invitation,) = [m for m in s.h.ws.dm_messages(s.who("presenter")) if "rounds.reflect_button" in str(m.blocks)]
    return await (await by_click(s, user, "rounds.reflect_button", invitation))()


async def try_weekly_reflection(s: Scene, user: str) -> bool:
    await s.h.sweep(FRIDAY)
    (prompt,) = prompts_in(s.h, s.channel)
    return await (await by_click(s, user, "reflections.add_button", prompt))()


async def try_update_commitment(s: Scene, user: str) -> bool:
    assert s.commitment is not None
    await s.h.sweep(LEAD)
    (reminder,) = [m for m in s.h.ws.dm_messages(s.who("owner")) if "commitments.done" in str(m.blocks)]
    await s.h.driver.click(user, "commitments.done", message=reminder)
    await s.h.idle()
    found = await s.reload(Commitment, s.commitment.id)
    assert isinstance(found, Commitment)
    return found.status == "done"


async def try_bid(s: Scene, user: str) -> bool:
    await s.command(user, "bid Time for my problem")
    async with s.h.db.read() as uow:
        found = await uow.sets.get_by_id(s.set_id)
        assert found is not None and found.next_meeting_at is not None
        return bool(await uow.meetings.list_bids(s.set_id, found.next_meeting_at))


async def attempt(action: Action, s: Scene, user: str) -> bool:
    """Try the action as `user` and say whether the app did it."""
    if action is Action.SETUP:
        return await (await by_command(s, user, "setup"))()
    if action is Action.SETTINGS:
        return await (await by_command(s, user, "settings"))()
    if action is Action.PAUSE:
        return await try_pause(s, user)
    if action is Action.RESUME:
        return await try_resume(s, user)
    if action is Action.PRESENT:
        return await (await by_command(s, user, "present"))()
    if action is Action.ASK:
        return await (await by_click(s, user, "rounds.ask_button", root(s)))()
    if action is Action.ANSWER:
        return await (await by_click(s, user, "questions.answer", question_message(s)))()
    if action is Action.STILL_THINKING:
        return await try_still_thinking(s, user)
    if action is Action.MARK_GOLDEN:
        return await try_golden(s, user)
    if action is Action.EDIT_QUESTION:
        return await (await by_click(s, user, "questions.edit", question_message(s)))()
    if action is Action.WITHDRAW_QUESTION:
        return await (await by_click(s, user, "questions.withdraw", question_message(s)))()
    if action is Action.MOVE_ON:
        return await try_phase(s, user, "rounds.explore", "exploratory")
    if action is Action.CLOSE:
        return await try_phase(s, user, "rounds.close", "reflecting")
    if action is Action.REFLECT_ON_ROUND:
        return await try_reflect_on_round(s, user)
    if action is Action.REFLECT:
        return await try_weekly_reflection(s, user)
    if action is Action.COMMIT:
        return await (await by_command(s, user, "commit"))()
    if action is Action.UPDATE_COMMITMENT:
        return await try_update_commitment(s, user)
    if action is Action.BID:
        return await try_bid(s, user)
    if action is Action.FORGET_ME:
        return await (await by_command(s, user, "forget me"))()
    raise AssertionError(f"no attempt written for {action}")


CELLS = [(action, actor) for action in Action if action not in ELSEWHERE for actor in ACTORS]


@pytest.mark.parametrize(("action", "actor"), CELLS, ids=[f"{a.value}-{b}" for a, b in CELLS])
async def test_every_cell_of_the_permissions_table(harness: Harness, action: Action, actor: str) -> None:
    s = await scene(harness, with_round=action is not Action.PRESENT)
    expected = RULES.get((action, actor), may(action, ACTORS[actor]))
    done = await attempt(action, s, s.who(actor))
    assert done == expected, f"{actor} {'could not' if expected else 'could'} {action.value}"
    if not expected and actor != "outsider":
        # The refusal was said, in plain words, to that person only.
        said = s.said + [e.text for e in harness.standin.ephemerals_for(s.who(actor))]
        said += [m.text for m in harness.ws.dm_messages(s.who(actor))]
        assert any(w in " ".join(said) for w in ("Only ", "your round")), said


def test_the_table_covers_every_action_and_nobody_outside_may_do_anything() -> None:
    assert set(WHO_MAY) == set(Action)
    assert not any(may(action, set()) for action in Action)
    assert {a for a in Action if may(a, {Role.FACILITATOR}) and not may(a, {Role.MEMBER})} == {
        Action.SETUP,
        Action.SETTINGS,
        Action.PAUSE,
        Action.RESUME,
        Action.EXPORT,
        Action.MOVE_ON,
        Action.CLOSE,
    }
