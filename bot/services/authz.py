"""The one place that enforces the permissions table: every action a person takes in a set goes
through `authorize`, which works out their roles and refuses in plain words."""

from __future__ import annotations

from bot.domain.permissions import Action, Role, may, refusal
from bot.services.errors import Refused
from storage.models import Commitment, LearningSet, Question, Round
from storage.unit_of_work import UnitOfWork


async def roles_of(
    uow: UnitOfWork,
    *,
    learning_set: LearningSet,
    user_id: str,
    round_: Round | None = None,
    question: Question | None = None,
    commitment: Commitment | None = None,
) -> set[Role]:
    """What the person is, here. Roles tied to a thing (presenter, asker, owner) need active
    membership too: someone who left the set keeps no power over it."""
    member = await uow.sets.get_member(learning_set.id, user_id)
    roles = set_roles(learning_set, user_id, active_member=member is not None and member.active)
    if Role.MEMBER not in roles:
        return roles
    if round_ is not None and round_.set_id == learning_set.id and round_.presenter_user_id == user_id:
        roles.add(Role.PRESENTER)
    if question is not None and question.asker_user_id == user_id:
        roles.add(Role.ASKER)
    if commitment is not None and commitment.set_id == learning_set.id and commitment.user_id == user_id:
        roles.add(Role.OWNER)
    return roles


def set_roles(learning_set: LearningSet, user_id: str, *, active_member: bool) -> set[Role]:
    """The roles that come from the set alone: member (active), facilitator."""
    facilitator = bool(user_id) and user_id == learning_set.facilitator_user_id
    if not active_member:
        # The facilitator may always steer their own set, even outside its channel.
        return {Role.FACILITATOR} if facilitator else set()
    return {Role.MEMBER, Role.FACILITATOR} if facilitator else {Role.MEMBER}


def authorize_in_set(action: Action, *, learning_set: LearningSet, user_id: str, active_member: bool) -> set[Role]:
    """`authorize` for an action on the set itself, when the caller has read the membership."""
    return _allowed(action, set_roles(learning_set, user_id, active_member=active_member), learning_set)


async def authorize(
    uow: UnitOfWork,
    action: Action,
    *,
    learning_set: LearningSet,
    user_id: str,
    round_: Round | None = None,
    question: Question | None = None,
    commitment: Commitment | None = None,
) -> set[Role]:
    """The person's roles when the table lets them do `action`; otherwise Refused."""
    roles = await roles_of(
        uow, learning_set=learning_set, user_id=user_id, round_=round_, question=question, commitment=commitment
    )
    return _allowed(action, roles, learning_set)


def _allowed(action: Action, roles: set[Role], learning_set: LearningSet) -> set[Role]:
    if not may(action, roles):
        raise Refused(refusal(action, facilitator=learning_set.facilitator_user_id))
    return roles
