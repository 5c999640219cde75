"""The world every property test starts from: three sets with rows of every kind, so generated
payloads can name ids that exist, ids in another set, and ids in another workspace.

- set A, in the stand-in's workspace: a facilitator and four members; an open round (presented by
  member 0) with a question from member 1; a round in reflection (presented by member 1); an open
  commitment of member 0; this week's reflection prompt; a ground-rules form waiting for member 3.
- set B, in the same workspace, with its own people and the same kinds of rows.
- set C, the same again, then moved to another workspace (its team id changed in the database).

Every person's Slack profile is cached first (the clock is frozen, so the cache never expires):
otherwise the first look-up of a person would change the database whatever the input.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import update

from bot.slack_api.people import get_person
from handlers.ids import ActionId
from slack_standin.driver import SlackDriver
from storage.models import LearningSet, PendingForm
from tests.e2e.commit_helpers import commit
from tests.e2e.harness import Harness
from tests.e2e.reflection_helpers import prompts_in
from tests.e2e.round_helpers import ask_via_button, present, questions_of
from tests.e2e.setup_helpers import make_set

FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # the weekly prompt goes out; the clock stays here
OTHER_TEAM = "T0THER0001"
PENDING_TOKEN = "pending-form-token-of-member-3"


@dataclass(frozen=True)
class SetRows:
    set_id: int
    team_id: str
    channel: str
    facilitator: str
    members: tuple[str, ...]
    open_round: int
    reflecting_round: int
    question: int
    commitment: int
    prompt: int

    @property
    def people(self) -> tuple[str, ...]:
        return (self.facilitator, *self.members)

    @property
    def row_ids(self) -> tuple[int, ...]:
        return (self.set_id, self.open_round, self.reflecting_round, self.question, self.commitment, self.prompt)


@dataclass(frozen=True)
class World:
    team: str
    app_id: str
    a: SetRows
    b: SetRows
    c: SetRows  # in another workspace
    outsider: str  # in the workspace, but in no set
    plain_channel: str  # a channel the app is in, with no set

    @property
    def users(self) -> tuple[str, ...]:
        return (*self.a.people, *self.b.people, *self.c.people, self.outsider)

    @property
    def channels(self) -> tuple[str, ...]:
        return (self.a.channel, self.b.channel, self.c.channel, self.plain_channel)

    @property
    def foreign_ids(self) -> tuple[int, ...]:
        """Ids of rows in sets A's people are not in."""
        return (*self.b.row_ids, *self.c.row_ids)


async def _set_with_rows(h: Harness, *, members: int) -> tuple[SetRows, int]:
    people, set_id = await make_set(h, members=members)
    channel = people.channel.id
    presenter, asker = people.members[0].id, people.members[1].id
    open_round = await present(h, presenter, channel, {"rounds.problem": "How do I get my team to own the plan?"})
    await ask_via_button(h, asker, open_round, channel, "What have you tried so far, and what happened?")
    (question,) = await questions_of(h, open_round.id)
    reflecting = await present(h, asker, channel, {"rounds.problem": "How do I say no to more projects?"})
    reply = await h.driver.command(asker, channel, "close")
    assert reply.status == 200, reply.text
    await h.idle()
    commitment = await commit(h, presenter, channel, "Ask two people to co-write the plan", date(2026, 12, 18))
    rows = SetRows(
        set_id=set_id,
        team_id=h.ws.team_id,
        channel=channel,
        facilitator=people.facilitator.id,
        members=tuple(p.id for p in people.members),
        open_round=open_round.id,
        reflecting_round=reflecting.id,
        question=question.id,
        commitment=commitment.id,
        prompt=0,
    )
    return rows, set_id


async def build_world(h: Harness) -> World:
    a, _ = await _set_with_rows(h, members=4)
    b, _ = await _set_with_rows(h, members=2)
    c, _ = await _set_with_rows(h, members=2)
    outsider = h.ws.add_user("Olga Outsider", tz="Europe/Paris")
    plain = h.ws.add_channel("no-set-here", members=[a.facilitator, outsider.id])
    await h.sweep(FRIDAY)  # this week's reflection prompts
    prompts = {}
    for rows in (a, b, c):
        (prompt,) = prompts_in(h, rows.channel)
        _, button = SlackDriver.find_element(prompt.blocks, ActionId.REFLECT_ON_PROMPT)
        prompts[rows.set_id] = int(button["value"])
    a, b, c = (SetRows(**{**rows.__dict__, "prompt": prompts[rows.set_id]}) for rows in (a, b, c))
    async with h.db.write() as uow:
        await uow.session.execute(update(LearningSet).where(LearningSet.id == c.set_id).values(team_id=OTHER_TEAM))
        await uow.ground_rules.hold_form(
            PendingForm(
                token=PENDING_TOKEN,
                team_id=h.ws.team_id,
                user_id=a.members[3],
                set_id=a.set_id,
                view=json.dumps({"type": "modal", "callback_id": "rounds.present", "blocks": []}),
                created_at=h.clock.now(),
            )
        )
    c = SetRows(**{**c.__dict__, "team_id": OTHER_TEAM})
    for team_id in (h.ws.team_id, OTHER_TEAM):
        for user_id in h.ws.users:
            await get_person(h.running.bolt.client, h.db, team_id=team_id, user_id=user_id, now=h.clock.now())
    await h.idle()
    return World(
        team=h.ws.team_id,
        app_id=h.ws.app_id,
        a=a,
        b=b,
        c=c,
        outsider=outsider.id,
        plain_channel=plain.id,
    )
