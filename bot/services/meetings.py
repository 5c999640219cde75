"""Bids for time at a set's next meeting."""

from __future__ import annotations

from datetime import datetime

from bot.domain.permissions import Action
from bot.services.errors import Refused
from bot.services.rounds import require_member
from storage.models import LearningSet
from storage.unit_of_work import UnitOfWork

NO_MEETING = "The set has no next meeting date yet: the facilitator can set one with `/als settings`."


async def my_bid(uow: UnitOfWork, *, learning_set: LearningSet, user_id: str) -> str:
    """The member's current bid for the next meeting ('' when none); refuses non-members and sets
    with no next meeting."""
    await require_member(uow, learning_set, user_id, Action.BID)
    if learning_set.next_meeting_at is None:
        raise Refused(NO_MEETING)
    bids = await uow.meetings.list_bids(learning_set.id, learning_set.next_meeting_at)
    return next((b.topic for b in bids if b.user_id == user_id), "")


async def save_bid(uow: UnitOfWork, *, learning_set: LearningSet, user_id: str, topic: str, now: datetime) -> bool:
    """Put the bid on the next meeting's draft agenda. True when it replaced an earlier bid."""
    await require_member(uow, learning_set, user_id, Action.BID)
    if learning_set.next_meeting_at is None:
        raise Refused(NO_MEETING)
    created = await uow.meetings.save_bid(
        set_id=learning_set.id, meeting_at=learning_set.next_meeting_at, user_id=user_id, topic=topic, now=now
    )
    return not created
