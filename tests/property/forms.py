"""Generating `view.state.values` for a modal: each input block valid, garbage, or invalid.

A Field says what its element is, which values a person could have picked (`valid`), and which
values alone make the whole form invalid (`invalid`; None when nothing in that field can: an
optional field left empty or of the wrong type is simply empty). Garbage (wrong types, unknown
keys, the block under another action id) may or may not be valid, so it only fills the fields
that are not the one made invalid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from hypothesis import strategies as st

from tests.property.strategies import (
    dates_out_of_range,
    json_values,
    malformed_dates,
    malformed_times,
    near_dates,
    not_a_string,
    text,
    too_long,
)

TODAY = date(2026, 11, 27)  # the frozen clock's day (world.FRIDAY), in every time zone but a few hours


class Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()  # the block is not in the state at all
SELECTS = {"static_select", "external_select", "radio_buttons"}


@dataclass(frozen=True)
class Field:
    block: str
    action: str
    kind: str  # plain_text_input, datepicker, timepicker, static_select, external_select, radio_buttons, checkboxes
    valid: st.SearchStrategy[Any]
    invalid: st.SearchStrategy[Any] | None = None  # values (or MISSING) that alone make the form invalid
    required: bool = False  # missing, it makes the form invalid

    def block_with(self, value: Any) -> Any:
        """The block's state for `value` as Slack would send it (MISSING stays MISSING)."""
        if value is MISSING:
            return MISSING
        key = {"plain_text_input": "value", "datepicker": "selected_date", "timepicker": "selected_time"}.get(self.kind)
        if key is not None:
            entry = {"type": self.kind, key: value}
        elif self.kind in SELECTS:
            option = (
                None if value is None else {"text": {"type": "plain_text", "text": str(value)[:75]}, "value": value}
            )
            entry = {"type": self.kind, "selected_option": option}
        else:
            options = (
                [{"text": {"type": "plain_text", "text": "x"}, "value": v} for v in value]
                if isinstance(value, list)
                else value
            )
            entry = {"type": self.kind, "selected_options": options}
        return {self.action: entry}

    @cached_property
    def garbage(self) -> st.SearchStrategy[Any]:
        """A block of the right id with the wrong inside: wrong types, other keys, another action id."""
        return st.one_of(
            st.builds(self.block_with, not_a_string()),
            st.builds(lambda v: {self.action: v}, json_values()),
            st.builds(lambda v: {"another.action": v}, json_values(big=False)),
            json_values(big=False),
            st.just(MISSING),
        )

    @cached_property
    def valid_block(self) -> st.SearchStrategy[Any]:
        return self.valid.map(self.block_with)

    @cached_property
    def any_block(self) -> st.SearchStrategy[Any]:
        return st.one_of(self.valid_block, self.garbage)

    @cached_property
    def invalid_block(self) -> st.SearchStrategy[Any]:
        assert self.invalid is not None
        return self.invalid.map(self.block_with)


def required_text(block: str, action: str, limit: int, *, minimum: int = 1) -> Field:
    valid = st.builds(
        lambda a, b: f"{a.strip()} What do you see? {b.strip()}"[:limit], text(big=False), text(big=False)
    )
    blank = st.sampled_from(["", " ", "\n\t  ", "\u00a0"]) | st.text(alphabet=" \t\n\r", max_size=5)
    short = text(big=False).filter(lambda s: len(s.strip()) < minimum)
    invalid = st.one_of(st.just(MISSING), st.none(), blank, not_a_string(), too_long(limit), short)
    return Field(block, action, "plain_text_input", valid, invalid, required=True)


def optional_text(block: str, action: str, limit: int) -> Field:
    return Field(block, action, "plain_text_input", text(big=False) | st.none(), too_long(limit))


def required_date(block: str, action: str, *, first: date, last: date) -> Field:
    """A day from `first` to `last` (both included) is valid."""
    valid = st.dates(min_value=first, max_value=last).map(date.isoformat)
    invalid = st.one_of(
        st.just(MISSING), st.none(), not_a_string(), malformed_dates(), dates_out_of_range(TODAY), st.just("")
    )
    return Field(block, action, "datepicker", valid, invalid, required=True)


def optional_date(block: str, action: str, *, first: date, last: date) -> Field:
    valid = st.dates(min_value=first, max_value=last).map(date.isoformat) | st.none()
    return Field(block, action, "datepicker", valid, malformed_dates() | dates_out_of_range(TODAY))


def required_time(block: str, action: str) -> Field:
    valid = st.sampled_from(["00:00", "09:30", "10:00", "15:00", "23:59"])
    invalid = st.one_of(st.just(MISSING), st.none(), not_a_string(), malformed_times())
    return Field(block, action, "timepicker", valid, invalid, required=True)


def choice(
    block: str,
    action: str,
    offered: list[str],
    *,
    kind: str = "static_select",
    required: bool = True,
    checked: bool = True,
    accepts: Callable[[str], bool] | None = None,
) -> Field:
    """A select whose value must be one of `offered`, or be accepted by `accepts` (when the app takes
    more than it offers); when not `checked`, anything goes."""
    taken = accepts or (lambda s: s.strip() in offered)
    wrong = st.one_of(text(big=False), st.sampled_from([o.upper() + " " for o in offered] + ["", "null"])).filter(
        lambda s: not taken(s)
    )
    invalid = st.one_of(st.just(MISSING), st.none(), not_a_string(), wrong) if required else wrong
    return Field(block, action, kind, st.sampled_from(offered), invalid if checked else None, required=required)


def checkboxes(block: str, action: str, offered: list[str], *, must_tick: str | None = None) -> Field:
    valid = st.lists(st.sampled_from(offered), unique=True)
    if must_tick is not None:
        valid = valid.map(lambda ticked: sorted({*ticked, must_tick}))
        unticked = st.lists(text(big=False).filter(lambda s: s != must_tick), max_size=3)
        invalid = st.one_of(st.just(MISSING), st.none(), unticked, st.just([must_tick.upper()]), not_a_string())
        return Field(block, action, "checkboxes", valid, invalid, required=True)
    return Field(block, action, "checkboxes", valid, None)


def in_days(first: int, last: int) -> tuple[date, date]:
    return TODAY + timedelta(days=first), TODAY + timedelta(days=last)


def any_date_text() -> st.SearchStrategy[str]:
    return near_dates(TODAY)
