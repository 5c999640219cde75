"""`/als` with any text: every subcommand with random words after it, any unicode, control
characters, 100 kB, from members, outsiders, unknown people, other workspaces and odd channels."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.runners.payload_shape import COMMAND_FIELDS
from handlers.commands import parse_command_text
from handlers.ids import COMMAND
from storage.models import Away, LearningSet
from tests.property.conftest import Live
from tests.property.payloads import FRESH_RESPONSE_URL, FRESH_TRIGGER, Case
from tests.property.registry import SUBCOMMANDS
from tests.property.strategies import garbage_users, near_dates, teams, text
from tests.property.world import World

# Subcommands that change the database when their words are valid (the rest only read, or open a
# modal, or reply): the database is compared only when the words cannot be valid.
WRITERS = {"away", "back", "pause", "resume", "bid", "close"}


def _words(world: World) -> st.SearchStrategy[str]:
    """What comes after `/als`."""
    today = date(2026, 11, 27)
    name = st.sampled_from(SUBCOMMANDS)
    spelled = name | name.map(str.upper) | name.map(lambda n: f"  {n.title()}\t")
    args = st.one_of(text(), near_dates(today), st.sampled_from(["me", "mine", "ME ", "me please"]))
    return st.one_of(
        st.builds(lambda n, sep, a: f"{n}{sep}{a}", spelled, st.sampled_from([" ", "  ", "\t", "\n", "\u00a0"]), args),
        spelled,
        text(),
    )


@st.composite
def commands(draw: st.DrawFn, world: World) -> Case:
    user = draw(st.sampled_from(world.users) | garbage_users())
    channel = draw(st.sampled_from(world.channels) | st.sampled_from(["D0DIRECT01", ""]) | text(big=False))
    team = draw(teams(world))
    command = draw(st.just(COMMAND) | st.sampled_from(["/als ", "/ALS", "/other"]))
    payload: dict[str, Any] = {
        "token": "standin-verification-token",
        "team_id": team,
        "team_domain": "standin",
        "channel_id": channel,
        "channel_name": draw(st.sampled_from(["leaders-set", "directmessage", "privategroup"]) | text(big=False)),
        "user_id": user,
        "user_name": draw(text(big=False)),
        "command": command,
        "text": draw(_words(world)),
        "api_app_id": world.app_id,
        "is_enterprise_install": "false",
        "response_url": FRESH_RESPONSE_URL,
        "trigger_id": FRESH_TRIGGER,
    }
    # Any field may be missing: without one Slack always sends, the body is not a slash command (400).
    dropped = draw(st.sets(st.sampled_from(sorted(payload)), max_size=3))
    payload = {k: v for k, v in payload.items() if k not in dropped and v is not None}
    routable = payload.get("command") == COMMAND
    well_formed = all(k in payload for k in COMMAND_FIELDS) and bool(payload["user_id"])
    return Case(payload=payload, form_fields=True, routable=routable, well_formed=well_formed, invalid=True, actor=user)


async def _may_write(live: Live, case: Case) -> bool:
    """Whether this command could be valid and change the database (then it is not compared)."""
    if case.payload.get("command") != COMMAND:
        return False
    name, args = parse_command_text(str(case.payload.get("text") or ""))
    if name not in WRITERS:
        return False
    if name in {"away", "pause"}:
        try:
            date.fromisoformat(args.split()[0] if args.split() else "")
        except ValueError:
            return False
        return True
    if name in {"back", "resume"}:
        async with live.h.db.read() as uow:
            away = await uow.session.scalar(select(func.count()).select_from(Away))
            paused = await uow.session.scalar(
                select(func.count()).select_from(LearningSet).where(LearningSet.paused_until_date.is_not(None))
            )
        return bool(away if name == "back" else paused)
    return name == "close" or bool(args.strip())  # bid: any words are a topic


def test_any_text_after_als_is_answered_without_errors(live: Live) -> None:
    @live.settings()
    @given(case=commands(live.world))
    def example(case: Case) -> None:
        async def run() -> None:
            writes = await _may_write(live, case)
            await live.delivery.deliver(replace(case, invalid=not writes))

        live.run(run())

    example()
    print(f"{live.delivery.sent} requests, {live.delivery.changed} of them changed the database")
    assert live.delivery.sent >= 1
