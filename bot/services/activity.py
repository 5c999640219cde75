"""What a set has been doing: the facilitator's digest, the set's health line, and the brief that
goes with each meeting reminder. Counts and names only, never what anyone wrote in private."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.activity import SetActivity
from bot.domain.meetings import not_yet_presented
from bot.domain.reflection import Visibility
from bot.domain.timezones import local_today
from storage.models import LearningSet
from storage.unit_of_work import UnitOfWork

QUIET_AFTER = timedelta(weeks=3)
DIGEST_WINDOW = timedelta(days=7)


async def activity_of(uow: UnitOfWork, learning_set: LearningSet, *, since: datetime, now: datetime) -> SetActivity:
    """The set's activity between `since` and `now`, and who has been quiet for three weeks."""
    rounds = await uow.rounds.activity_between(learning_set.id, since, now)
    made, done = await uow.commitments.activity_between(learning_set.id, since, now)
    today = local_today(now, learning_set.timezone)
    open_commitments = await uow.commitments.list_open_in_set(learning_set.id)
    reflections: Counter[str] = Counter()
    for visibility in Visibility:
        reflections[visibility.value] = await uow.reflections.count_in_set(
            learning_set.id, since, now, visibility=visibility.value
        )
    members = await uow.sets.list_members(learning_set.id)
    return SetActivity(
        members=len(members),
        rounds_opened=rounds.opened,
        rounds_closed=rounds.closed,
        questions_asked=rounds.asked,
        open_questions=rounds.open_questions,
        commitments_made=made,
        commitments_done=done,
        commitments_open=len(open_commitments),
        commitments_overdue=sum(1 for c in open_commitments if c.due_date < today),
        reflections=reflections,
        quiet=await quiet_members(uow, learning_set, now=now),
        open_rounds=len(await uow.rounds.list_open(learning_set.id)),
    )


async def quiet_members(uow: UnitOfWork, learning_set: LearningSet, *, now: datetime) -> list[str]:
    """Members (not the facilitator) who have been in the set three weeks or more and have not
    presented, asked, answered, committed, reported or reflected in that time."""
    latest: dict[str, datetime] = {}
    for found in (
        await uow.rounds.last_activity_of_members(learning_set.id),
        await uow.commitments.last_activity_of_members(learning_set.id),
        await uow.reflections.last_of_members(learning_set.id),
    ):
        for user_id, at in found.items():
            if user_id not in latest or at > latest[user_id]:
                latest[user_id] = at
    cutoff = now - QUIET_AFTER
    return [
        m.user_id
        for m in await uow.sets.list_members(learning_set.id)
        if m.user_id != learning_set.facilitator_user_id
        and m.joined_at <= cutoff
        and latest.get(m.user_id, m.joined_at) <= cutoff
    ]


@dataclass(frozen=True)
class BriefFacts:
    open_commitments: int
    overdue_commitments: int
    not_yet_presented: list[str]  # display names
    new_cycle: bool  # everyone has had a turn (or nobody has presented yet in this cycle, after some have)
    bids: list[tuple[str, str]]  # (user id, topic)


async def meeting_facts(uow: UnitOfWork, learning_set: LearningSet, *, now: datetime) -> BriefFacts:
    """What the meeting reminders tell the set: commitments, the presenter rotation, the bids."""
    today = local_today(now, learning_set.timezone)
    open_commitments = await uow.commitments.list_open_in_set(learning_set.id)
    members = [
        m.user_id for m in await uow.sets.list_members(learning_set.id) if m.user_id != learning_set.facilitator_user_id
    ]
    presenters = await uow.rounds.list_presenters(learning_set.id)
    waiting = not_yet_presented(members, presenters)
    new_cycle = len(waiting) == len(members) and any(p in members for p, _ in presenters)
    names = []
    for user_id in waiting:
        person = await uow.users.get(learning_set.team_id, user_id)
        names.append(person.display_name if person is not None and person.display_name else "a member")
    bids = []
    if learning_set.next_meeting_at is not None:
        bids = [
            (b.user_id, b.topic) for b in await uow.meetings.list_bids(learning_set.id, learning_set.next_meeting_at)
        ]
    return BriefFacts(
        open_commitments=len(open_commitments),
        overdue_commitments=sum(1 for c in open_commitments if c.due_date < today),
        not_yet_presented=[] if new_cycle else names,
        new_cycle=new_cycle,
        bids=bids,
    )
