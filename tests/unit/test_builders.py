"""Every builder's output passes the stand-in's Slack checks, even at the edges of its inputs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from bot.domain.sets import Cadence, SetSettings
from handlers.blocks.help import build_help_message, build_not_a_set_message
from handlers.blocks.round_modals import build_present_modal
from handlers.blocks.sets import (
    build_set_created_message,
    build_set_saved_message,
    build_setup_modal,
    build_welcome_message,
)
from handlers.blocks.status import StatusInfo, build_status_message
from handlers.commands import parse_command_text
from handlers.ids import BlockId
from slack_standin.checks import check_message, check_view

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LONGEST = SetSettings(
    "W" * 80,
    "America/Argentina/ComodRivadavia",
    Cadence.MONTHLY_WEEKDAY,
    date(2026, 12, 31),
    time(23, 59),
    6,
    time(0, 0),
)


def test_parse_command_text() -> None:
    assert parse_command_text("") == ("", "")
    assert parse_command_text("  Setup  ") == ("setup", "")
    assert parse_command_text("away 2026-12-01  ") == ("away", "2026-12-01")
    assert parse_command_text("export   mine please") == ("export", "mine please")


def test_the_setup_modal_fits_slacks_limits() -> None:
    for editing in (False, True):
        view = build_setup_modal(LONGEST, editing=editing, private_metadata='{"channel":"C1"}', now=NOW).to_dict()
        assert check_view(view) == []
        assert len(view["title"]["text"]) <= 24


def test_messages_fit_slacks_limits() -> None:
    many = [f"U{i:08d}" for i in range(300)]
    messages = [
        build_help_message([(f"/als command{i}", "does a thing " * 10) for i in range(40)]),
        build_help_message([("/als help", "x")], unknown="<@U1> " * 50),
        build_not_a_set_message("status"),
        build_set_created_message(LONGEST, facilitator_id="U1", member_ids=many[:30]),
        build_set_saved_message(LONGEST, created=True, member_count=3, size_note="note"),
        build_welcome_message("*" * 80),
        build_status_message(StatusInfo(LONGEST, facilitator_id="U1", member_ids=many[:30], viewer_id="U2")),
    ]
    for message in messages:
        error, problems = check_message({"text": message.text, "blocks": message.blocks})
        assert error is None, problems
        assert message.text  # every message has fallback text


def test_user_text_cannot_mention_or_link() -> None:
    message = build_welcome_message("<!here> <https://evil.example|click>")
    assert "<!here>" not in str(message.blocks)
    assert "&lt;!here&gt;" in str(message.blocks)


def test_the_present_form_differs_from_set_to_set_only_in_its_first_line_and_metadata() -> None:
    """Its fields are built once and shared: each form passes Slack's checks, carries its own set's
    name (escaped) and metadata, and building one does not change another."""
    first = build_present_modal(set_name="Leaders & <friends>", private_metadata='{"set":1}')
    kept = json.dumps(first, sort_keys=True)
    second = build_present_modal(set_name="W" * 80, private_metadata='{"set":2}')
    for view in (first, second):
        assert check_view(view) == []
    assert "*Leaders &amp; &lt;friends&gt;*" in first["blocks"][0]["text"]["text"]
    assert f"*{'W' * 80}*" in second["blocks"][0]["text"]["text"]
    assert (first["private_metadata"], second["private_metadata"]) == ('{"set":1}', '{"set":2}')
    assert first["blocks"][1:] == second["blocks"][1:]
    assert [b.get("block_id") for b in first["blocks"][1:-1]] == [
        BlockId.PROBLEM,
        BlockId.CONTEXT,
        BlockId.WHY,
        BlockId.TRIED,
        BlockId.SUCCESS,
        BlockId.HELP_WANTED,
    ]
    assert json.dumps(first, sort_keys=True) == kept
