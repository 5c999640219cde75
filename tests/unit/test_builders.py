"""Every builder's output passes the stand-in's Slack checks, even at the edges of its inputs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.domain.commitments import CommitmentInfo
from bot.domain.reminders import ReminderKind
from bot.domain.rounds import Phase, QuestionStatus
from bot.domain.sets import Cadence, SetSettings
from handlers.blocks.commitments import build_away_summary, build_reminder
from handlers.blocks.help import build_help_message, build_not_a_set_message
from handlers.blocks.round_modals import build_present_modal
from handlers.blocks.rounds import QuestionInfo, RoundInfo
from handlers.blocks.sets import (
    build_set_created_message,
    build_set_saved_message,
    build_setup_modal,
    build_welcome_message,
)
from handlers.blocks.status import StatusInfo, build_status_message
from handlers.commands import parse_command_text
from handlers.ids import ActionId, BlockId, CallbackId
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


def test_status_blocks_are_what_slack_sdks_models_give_and_fit_slacks_limits() -> None:
    """Status writes its blocks as dicts: each must be exactly what slack_sdk's model of it gives
    (parsed and checked again), with every kind of line status can show, at its longest."""
    rounds = [
        RoundInfo(id=i, presenter_id=f"U{i % 4}", problem="<!here> & " * 400, phase=phase, asked=5, answered=2)
        for i, phase in enumerate([Phase.CLARIFYING, Phase.EXPLORATORY, Phase.REFLECTING] * 5, start=1)
    ]
    questions = [
        QuestionInfo(id=i, asker_id="U3", text="Why <b>? " * 400, phase=Phase.CLARIFYING, status=QuestionStatus.WAITING)
        for i in range(1, 13)
    ]
    message = build_status_message(
        StatusInfo(
            LONGEST,
            facilitator_id="U0",
            member_ids=[f"U{i}" for i in range(30)],
            viewer_id="U1",
            open_rounds=rounds,
            own_unanswered=questions,
            own_reflecting=rounds[:1],
            commitments=[("Ring <@U2> & ask " * 30, date(2026, 12, d)) for d in range(1, 18)],
        )
    )
    error, problems = check_message({"text": message.text, "blocks": message.blocks})
    assert error is None, problems
    assert {b["type"] for b in message.blocks} == {"header", "section", "divider", "context"}
    assert sum("accessory" in b for b in message.blocks) == 1 + 10 + 1 + 10  # own, answers, reflect, asks
    for block in message.blocks:
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]


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
    assert (first["type"], first["callback_id"], first["title"]["text"], first["submit"]["text"]) == (
        "modal",
        CallbackId.PRESENT,
        "Present a problem",
        "Open the round",
    )
    with pytest.raises(ValueError, match="private_metadata"):
        build_present_modal(set_name="S", private_metadata="x" * 3001)


def test_a_reminders_blocks_are_the_dicts_slack_sdks_models_give_cut_to_slacks_limits() -> None:
    long = CommitmentInfo(
        id=7,
        user_id="U1",
        action="Ring <@U2> & ask " * 300,
        due_date=date(2026, 12, 1),
        status="open",
        set_name="Leaders & <friends>",
        channel_id="C1",
        done_looks_like="A date agreed",
        latest_note="Called <!here> " * 300,
    )
    message = build_reminder(long, kind=ReminderKind.OVERDUE, today=date(2026, 12, 7))
    error, problems = check_message({"text": message.text, "blocks": message.blocks})
    assert error is None, problems
    for block in message.blocks:
        assert Block.parse(block).to_dict() == block  # type: ignore[union-attr]
    head, details, note, _buttons = message.blocks
    assert head == SectionBlock(text=MarkdownTextObject(text=head["text"]["text"])).to_dict()
    assert head["text"]["text"].startswith("Your commitment to *Leaders &amp; &lt;friends&gt;* was due")
    assert len(details["text"]["text"]) == 3000 and details["text"]["text"].endswith("…")
    assert "&lt;@U2&gt; &amp; ask" in details["text"]["text"]
    note_text = note["elements"][0]["text"]
    assert len(note_text) == 2000 and note_text.startswith("Your last note: Called &lt;!here&gt;")
    assert note == ContextBlock(elements=[MarkdownTextObject(text=note_text)]).to_dict()


def test_each_reminder_carries_its_own_commitments_buttons() -> None:
    """The buttons are built from one checked once per surface: each reminder's carry its own
    commitment's id, pass Slack's checks, and building one does not change another."""

    def info(commitment_id: int) -> CommitmentInfo:
        return CommitmentInfo(
            id=commitment_id,
            user_id="U1",
            action="Ask two team members",
            due_date=date(2026, 12, 7),
            status="open",
            set_name="Set",
            channel_id="C1",
        )

    first = build_reminder(info(1), kind=ReminderKind.DUE, today=date(2026, 12, 7))
    kept = json.dumps(first.blocks, sort_keys=True)
    second = build_reminder(info(2**63 - 1), kind=ReminderKind.DUE, today=date(2026, 12, 7))
    away = build_away_summary([info(3)], today=date(2026, 12, 7))
    for message, commitment_id, surface in ((first, 1, "dm"), (second, 2**63 - 1, "dm"), (away, 3, "summary")):
        error, problems = check_message({"text": message.text, "blocks": message.blocks})
        assert error is None, problems
        buttons = message.blocks[-1]
        assert buttons["block_id"] == f"{BlockId.COMMITMENT_BUTTONS.value}.{commitment_id}"
        assert [b["action_id"] for b in buttons["elements"]] == [
            ActionId.DONE,
            ActionId.SNOOZE,
            ActionId.UPDATE,
            ActionId.DROP,
        ]
        assert {b["value"] for b in buttons["elements"]} == {f"{commitment_id}:{surface}"}
    assert json.dumps(first.blocks, sort_keys=True) == kept
