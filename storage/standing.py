"""Where a person stands in a set before `/als present` answers: whether they are an active member,
their open round if they have one, and whether they have agreed to the set's ground rules. One
statement on a plain connection (Database.read_rows, on SQLite's cursor by storage.compiled_reads),
read before the acknowledgement, which has to come within Slack's three seconds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import BindParameter

from storage.compiled_reads import rows
from storage.models import GroundRulesAgreement, Round, SetMember
from storage.repositories.rounds import OPEN_PHASES

_SET: BindParameter[int] = bindparam("set_id")
_USER: BindParameter[str] = bindparam("user_id")
_ACTIVE = (
    select(literal_column("1"))
    .where(SetMember.set_id == _SET, SetMember.user_id == _USER, SetMember.left_at.is_(None))
    .scalar_subquery()
)
_OPEN_ROUND_ID = (
    select(Round.id)
    .where(Round.set_id == _SET, Round.presenter_user_id == _USER, Round.phase.in_(OPEN_PHASES))
    .order_by(Round.id.desc())
    .limit(1)
    .scalar_subquery()
)
_AGREED = (
    select(literal_column("1"))
    .where(GroundRulesAgreement.set_id == _SET, GroundRulesAgreement.user_id == _USER)
    .scalar_subquery()
)
_STANDING = select(
    _ACTIVE,
    _OPEN_ROUND_ID,
    select(Round.root_ts).where(Round.id == _OPEN_ROUND_ID).scalar_subquery(),
    _AGREED,
)


@dataclass(frozen=True)
class Standing:
    active_member: bool
    open_round_id: int | None  # their round whose questions are open, the newest if (wrongly) several
    open_round_ts: str | None  # its message in the channel, when it has been posted
    agreed: bool  # to the set's ground rules


def read_standing(conn: Connection, set_id: int, user_id: str) -> Standing:
    active, round_id, round_ts, agreed = rows(conn, _STANDING, {"set_id": set_id, "user_id": user_id})[0]
    return Standing(
        active_member=bool(active),
        open_round_id=round_id,
        open_round_ts=round_ts,
        agreed=bool(agreed),
    )
