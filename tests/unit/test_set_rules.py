"""The rules about a set's settings and size, without Slack or a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.domain.sets import (
    Cadence,
    SetSettings,
    SettingField,
    SettingsForm,
    default_settings,
    settings_of_stored,
    size_advice,
    validate_settings,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday 10:00 in London
GOOD = SettingsForm(
    name="Team leads",
    timezone="Europe/London",
    cadence="four_weekly",
    meeting_date="2026-12-07",
    meeting_time="10:00",
    prompt_weekday="4",
    prompt_time="15:00",
)


def errors_of(**changes: str | None) -> dict[SettingField, str]:
    result = validate_settings(SettingsForm(**{**GOOD.__dict__, **changes}), now=NOW)
    assert isinstance(result, dict), result
    return result


def test_good_settings_become_a_value() -> None:
    result = validate_settings(GOOD, now=NOW)
    assert result == SetSettings(
        name="Team leads",
        timezone="Europe/London",
        cadence=Cadence.FOUR_WEEKLY,
        meeting_date=date(2026, 12, 7),
        meeting_time=time(10, 0),
        prompt_weekday=4,
        prompt_time=time(15, 0),
    )


def test_the_name_is_tidied() -> None:
    result = validate_settings(SettingsForm(**{**GOOD.__dict__, "name": "  Team \n  leads  "}), now=NOW)
    assert isinstance(result, SetSettings)
    assert result.name == "Team leads"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, SettingField.NAME),
        ({"name": " \t "}, SettingField.NAME),
        ({"name": None}, SettingField.NAME),
        ({"name": "x" * 81}, SettingField.NAME),
        ({"timezone": "Mars/Olympus"}, SettingField.TIMEZONE),
        ({"timezone": "../../etc/passwd"}, SettingField.TIMEZONE),
        ({"timezone": ""}, SettingField.TIMEZONE),
        ({"cadence": "hourly"}, SettingField.CADENCE),
        ({"meeting_date": "2026-11-22"}, SettingField.MEETING_DATE),
        ({"meeting_date": "2027-12-25"}, SettingField.MEETING_DATE),
        ({"meeting_date": "tomorrow"}, SettingField.MEETING_DATE),
        ({"meeting_date": "2026-13-01"}, SettingField.MEETING_DATE),
        ({"meeting_time": "25:00"}, SettingField.MEETING_TIME),
        ({"meeting_time": "9am"}, SettingField.MEETING_TIME),
        ({"meeting_date": "2026-11-23", "meeting_time": "09:59"}, SettingField.MEETING_TIME),
        ({"prompt_weekday": "7"}, SettingField.PROMPT_WEEKDAY),
        ({"prompt_weekday": "²"}, SettingField.PROMPT_WEEKDAY),
        ({"prompt_time": None}, SettingField.PROMPT_TIME),
        ({"lead_days": "8"}, SettingField.LEAD_DAYS),
        ({"lead_days": "-1"}, SettingField.LEAD_DAYS),
        ({"lead_days": "two"}, SettingField.LEAD_DAYS),
        ({"cadence": "weekly", "lead_days": "7"}, SettingField.LEAD_DAYS),
        ({"paused_until": "2026-11-23"}, SettingField.PAUSED_UNTIL),
        ({"paused_until": "2026-12-08"}, SettingField.PAUSED_UNTIL),
        ({"paused_until": "2028-01-01"}, SettingField.PAUSED_UNTIL),
        ({"paused_until": "soon"}, SettingField.PAUSED_UNTIL),
    ],
)
def test_each_bad_field_gets_its_own_message(changes: dict[str, str | None], field: SettingField) -> None:
    errors = errors_of(**changes)
    assert set(errors) == {field}
    assert errors[field].endswith(".")
    assert len(errors[field]) < 130


def test_lead_days_and_a_pause_before_the_meeting_are_kept() -> None:
    result = validate_settings(
        SettingsForm(**{**GOOD.__dict__, "lead_days": "0", "paused_until": "2026-12-07"}), now=NOW
    )
    assert isinstance(result, SetSettings)
    assert (result.reminder_lead_days, result.paused_until) == (0, date(2026, 12, 7))
    assert result.is_paused(datetime(2026, 12, 6, 23, 59, tzinfo=UTC))
    assert not result.is_paused(datetime(2026, 12, 7, 0, 0, tzinfo=UTC))  # the set's zone: London, GMT
    manual = validate_settings(SettingsForm(**{**GOOD.__dict__, "cadence": "manual", "lead_days": "7"}), now=NOW)
    assert isinstance(manual, SetSettings) and manual.reminder_lead_days == 7


def test_today_later_is_fine_and_the_date_is_judged_in_the_sets_zone() -> None:
    assert isinstance(
        validate_settings(
            SettingsForm(**{**GOOD.__dict__, "meeting_date": "2026-11-23", "meeting_time": "10:30"}), now=NOW
        ),
        SetSettings,
    )
    # 10:00 UTC is already 23:00 in Auckland on the 23rd: the 23rd is "today" there, the 22nd has gone.
    late = SettingsForm(
        **{**GOOD.__dict__, "timezone": "Pacific/Auckland", "meeting_date": "2026-11-23", "meeting_time": "23:30"}
    )
    assert isinstance(validate_settings(late, now=NOW), SetSettings)
    assert set(errors_of(timezone="Pacific/Auckland", meeting_date="2026-11-23", meeting_time="22:00")) == {
        SettingField.MEETING_TIME
    }


def test_defaults_make_a_valid_set() -> None:
    settings = default_settings(channel_name="#leaders", timezone="Asia/Kolkata", now=NOW)
    assert settings.name == "leaders"
    assert settings.timezone == "Asia/Kolkata"
    assert settings.prompt_weekday == 4
    assert settings.prompt_time == time(15, 0)
    assert settings.meeting_date == date(2026, 12, 7)
    form = SettingsForm(
        name=settings.name,
        timezone=settings.timezone,
        cadence=settings.cadence.value,
        meeting_date=settings.meeting_date.isoformat(),
        meeting_time=settings.meeting_time.strftime("%H:%M"),
        prompt_weekday=str(settings.prompt_weekday),
        prompt_time=settings.prompt_time.strftime("%H:%M"),
    )
    assert validate_settings(form, now=NOW) == settings


def test_defaults_survive_a_missing_or_odd_time_zone() -> None:
    assert default_settings(channel_name="", timezone=None, now=NOW).timezone == "UTC"
    assert default_settings(channel_name="x", timezone="Nowhere/Land", now=NOW).timezone == "UTC"
    assert default_settings(channel_name="", timezone=None, now=NOW).name == "Action learning set"


def test_next_meeting_is_the_wall_clock_time_in_the_sets_zone() -> None:
    summer = SetSettings("s", "America/New_York", Cadence.WEEKLY, date(2027, 7, 1), time(9, 0), 4, time(15, 0))
    winter = SetSettings("s", "America/New_York", Cadence.WEEKLY, date(2026, 12, 1), time(9, 0), 4, time(15, 0))
    assert summer.next_meeting_at == datetime(2027, 7, 1, 13, 0, tzinfo=UTC)
    assert winter.next_meeting_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(("members", "advice"), [(0, "fewer"), (3, "fewer"), (4, None), (6, None), (7, "bigger")])
def test_size_advice(members: int, advice: str | None) -> None:
    text = size_advice(members)
    if advice is None:
        assert text is None
    else:
        assert text is not None
        assert advice in text
        assert "4–6" in text
        assert "works anyway" in text


@pytest.mark.parametrize("sent", ["20261207", "2026-12-07 extra", " 2026-12-07", "2026-W50-1", "2026-12-07T10:00"])
def test_a_date_only_a_datepicker_would_not_send_is_refused(sent: str) -> None:
    """The date fields come from datepickers (YYYY-MM-DD); ISO 8601's other spellings, which
    date.fromisoformat takes, are a payload Slack did not make."""
    assert set(errors_of(meeting_date=sent)) == {SettingField.MEETING_DATE}
    assert set(errors_of(paused_until=sent)) == {SettingField.PAUSED_UNTIL}


def test_a_stored_set_shows_its_meeting_in_its_own_time_and_the_first_meeting_default_until_one_is_set() -> None:
    stored = {
        "name": "Team leads",
        "timezone": "America/New_York",
        "cadence": "weekly",
        "prompt_weekday": 4,
        "prompt_time": time(15, 0),
        "now": NOW,
    }
    meeting = datetime(2026, 12, 7, 15, 30, 45, tzinfo=UTC)  # 10:30:45 in New York
    shown = settings_of_stored(**stored, next_meeting_at=meeting)
    assert (shown.meeting_date, shown.meeting_time) == (date(2026, 12, 7), time(10, 30))
    assert shown.next_meeting_at == datetime(2026, 12, 7, 15, 30, tzinfo=UTC)
    assert shown.cadence is Cadence.WEEKLY
    unset = settings_of_stored(**stored, next_meeting_at=None)
    assert (unset.meeting_date, unset.meeting_time) == (date(2026, 12, 7), time(10, 0))  # 14 days on, 10:00
    assert (
        settings_of_stored(**{**stored, "cadence": "hourly"}, next_meeting_at=None).cadence is Cadence.FOUR_WEEKLY
    )  # the default
