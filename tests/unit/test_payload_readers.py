"""Reading ids and shapes out of payloads: anything Slack would not send reads as nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.domain.timezones import picked_date
from bot.runners.payload_shape import is_slack_shaped
from handlers.forms import ROW_ID_MAX, row_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, 7),
        ("7", 7),
        ("000012", 12),
        (ROW_ID_MAX - 1, ROW_ID_MAX - 1),
        (ROW_ID_MAX, 0),
        (2**63, 0),
        ("12345678901234567890", 0),
        (True, 0),
        (False, 0),
        (0, 0),
        (-3, 0),
        ("-3", 0),
        (" 7", 0),
        ("7.0", 0),
        (7.0, 0),
        ("\uff17", 0),  # a full-width digit: isdigit() says yes, int() would take it
        ("", 0),
        (None, 0),
        ([7], 0),
        ({"id": 7}, 0),
    ],
)
def test_row_id_takes_only_what_the_app_wrote(value: object, expected: int) -> None:
    assert row_id(value) == expected


COMMAND = {
    "command": "/als",
    "user_id": "U1",
    "channel_id": "C1",
    "team_id": "T1",
    "trigger_id": "1.2.3",
    "response_url": "https://hooks.slack.com/commands/1",
    "text": "help",
}
CLICK: dict[str, Any] = {
    "type": "block_actions",
    "user": {"id": "U1", "team_id": "T1"},
    "team": {"id": "T1"},
    "channel": {"id": "C1"},
    "container": {"type": "message"},
    "message": {"ts": "1.2", "blocks": []},
    "actions": [{"action_id": "a", "value": "1"}],
}


def test_slack_shaped_payloads_pass() -> None:
    assert is_slack_shaped(COMMAND)
    assert is_slack_shaped(CLICK)
    assert is_slack_shaped({**CLICK, "team": None})
    assert is_slack_shaped({"type": "event_callback", "event": {"type": "app_home_opened"}})


@pytest.mark.parametrize("missing", ["user_id", "channel_id", "team_id", "trigger_id", "response_url"])
def test_a_command_without_a_field_slack_always_sends_is_not_one(missing: str) -> None:
    assert not is_slack_shaped({k: v for k, v in COMMAND.items() if k != missing})


@pytest.mark.parametrize(
    "change",
    [
        {"user": "U1"},
        {"user": ["U1"]},
        {"user": {"name": "someone"}},
        {"user": {"id": 5}},
        {"user": {"id": ""}},
        {"team": "T1"},
        {"channel": "C1"},
        {"container": []},
        {"message": 3},
        {"actions": []},
        {"actions": [{"value": "1"}]},
    ],
)
def test_a_click_with_a_part_of_the_wrong_shape_is_not_a_slack_payload(change: dict[str, Any]) -> None:
    assert not is_slack_shaped({**CLICK, **change})


def test_a_submission_needs_a_user_and_a_view_with_a_type_and_callback() -> None:
    submission = {"type": "view_submission", "user": {"id": "U1"}, "view": {"type": "modal", "callback_id": "x"}}
    assert is_slack_shaped(submission)
    assert not is_slack_shaped({k: v for k, v in submission.items() if k != "user"})
    assert not is_slack_shaped({**submission, "view": {"type": "modal"}})
    assert not is_slack_shaped({**submission, "view": "modal"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2028-02-29", date(2028, 2, 29)),
        (None, None),
        ("", None),
        ("2026-12-01 extra", None),  # the away form took the first word of this as a date
        (" 2026-12-01", None),
        ("20261201", None),  # ISO's basic form: date.fromisoformat takes it, a datepicker never sends it
        ("2026-W48-2", None),
        ("2026-02-30", None),
        ("2026-12-01T00:00", None),
        ("\uff12\uff10\uff12\uff16-12-01", None),  # full-width digits
    ],
)
def test_picked_date_is_what_a_datepicker_sends_and_nothing_else(value: str | None, expected: date | None) -> None:
    assert picked_date(value) == expected
