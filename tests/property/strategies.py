"""Hostile values: text of every kind (control characters, bidi overrides, 100 kB), JSON of the wrong
type, numbers too big for any id column, dates and times that are malformed or out of range.

Strategies are built once and shared (`@cache`): building them inside a draw is slow."""

from __future__ import annotations

import string
from datetime import date, timedelta
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.property.world import OTHER_TEAM, World

BIG = 100_000  # characters: far beyond every limit in the app, still under the 512 kB body limit when ASCII

TRICKY = (
    "",
    " ",
    "\n\t ",
    "\x00",
    "a\x00b",
    "\u202e\u2066evil",  # bidi overrides
    "\ufeff",
    "\u200b",
    "\u2028",
    "null",
    "None",
    "undefined",
    "true",
    "0",
    "-1",
    "1.5",
    "1e309",
    "9" * 30,
    "٣",  # a digit, but not an ASCII one
    "<!channel>",
    "<@U0000000001>",
    "*bold* _it_ ~s~ `code`",
    "```",
    "%s %d {0} {}",
    "'; DROP TABLE learning_set; --",
    "../../etc/passwd",
    "{{7*7}}",
    "🙂" * 3,
    "e\u0301" * 3,  # combining accents
)

control_text = st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=20)
ascii_text = st.text(alphabet=string.printable, max_size=40)


@st.composite
def big_text(draw: st.DrawFn) -> str:
    """A string of about 100 kB, mostly ASCII; non-ASCII ones may make the body too big (413)."""
    piece = draw(st.text(alphabet=string.ascii_letters + " ", min_size=1, max_size=6) | st.text(min_size=1, max_size=3))
    return (piece * (BIG // len(piece) + 1))[: BIG + draw(st.integers(0, 64))]


@cache
def text(*, big: bool = True) -> st.SearchStrategy[str]:
    """Any text a hostile client could send."""
    options = [st.sampled_from(TRICKY), st.text(max_size=60), control_text, ascii_text]
    if big:
        options.append(big_text())
    return st.one_of(options)


@cache
def too_long(limit: int) -> st.SearchStrategy[str]:
    """Text whose tidy form is over `limit` characters (so always invalid where `limit` applies)."""
    return st.builds(
        lambda head, extra, tail: head + "x" * (limit + 1 + extra) + tail,
        text(big=False),
        st.integers(0, 20) | st.just(BIG),
        text(big=False),
    )


huge_ints = st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, -(2**63) - 1, 10**30, -1, 0])
numbers: st.SearchStrategy[Any] = st.one_of(
    st.integers(), huge_ints, st.floats(allow_nan=True, allow_infinity=True), st.booleans()
)


@cache
def json_values(*, big: bool = True) -> st.SearchStrategy[Any]:
    """Any JSON value, nested a little."""
    leaves = st.none() | numbers | text(big=False)
    if big:
        leaves = leaves | big_text()
    return st.recursive(
        leaves,
        lambda children: st.lists(children, max_size=3) | st.dictionaries(text(big=False), children, max_size=3),
        max_leaves=6,
    )


@cache
def not_a_string() -> st.SearchStrategy[Any]:
    """A JSON value of the wrong type where a string is expected."""
    return st.one_of(
        st.none(), numbers, st.lists(json_values(big=False), max_size=2), st.dictionaries(st.text(), st.text())
    )


@cache
def malformed_dates() -> st.SearchStrategy[str]:
    """Strings no date parser should accept as a day."""
    return st.one_of(
        st.sampled_from(
            [
                "2026-02-30",
                "2026-13-01",
                "2026-00-10",
                "0000-01-01",
                "10000-01-01",
                "2026-1-1",
                "26-12-01",
                "2026/12/01",
                "01.12.2026",
                "tomorrow",
                "2026-12-01T10:00",
                "2026-12-01 extra",
                "\uff12\uff10\uff12\uff16-\uff11\uff12-\uff10\uff11",  # fullwidth digits,
            ]
        ),
        text(big=False).filter(lambda s: _not_a_date(s) and s.strip() != ""),
    )


def _not_a_date(value: str) -> bool:
    try:
        date.fromisoformat(value.strip())
    except ValueError:
        return True
    return False


@cache
def dates_out_of_range(today: date) -> st.SearchStrategy[str]:
    """ISO dates in the past or more than a year ahead."""
    past = st.dates(max_value=today - timedelta(days=1))
    far = st.dates(min_value=today + timedelta(days=367))
    return st.one_of(past, far).map(date.isoformat)


@cache
def near_dates(today: date) -> st.SearchStrategy[str]:
    """ISO dates around today, valid or not."""
    return st.dates(min_value=today - timedelta(days=30), max_value=today + timedelta(days=400)).map(date.isoformat)


@cache
def malformed_times() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            [
                "24:00",
                "23:60",
                "9:00",
                "09:0",
                "09-00",
                "0900",
                "25:99",
                "noon",
                "12:00:00",
                "\uff11\uff12:\uff10\uff10",
            ]
        ),
        text(big=False).filter(lambda s: not _is_hhmm(s)),
    )


def _is_hhmm(value: str) -> bool:
    value = value.strip()
    return len(value) == 5 and value[2] == ":" and value[:2].isdigit() and value[3:].isdigit()


@cache
def teams(world: World) -> st.SearchStrategy[str | None]:
    return st.one_of(st.just(world.team), st.just(OTHER_TEAM), st.none(), text(big=False))


@cache
def garbage_users() -> st.SearchStrategy[str]:
    """User ids Slack never sent: empty, unknown, or not an id at all."""
    return st.one_of(st.sampled_from(["", "U0NOBODY00", "USLACKBOT", "W0000000"]), text(big=False))
