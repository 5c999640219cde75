from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.domain.timezones import is_valid_timezone, local_to_utc, search_timezones

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_valid_and_invalid_names() -> None:
    assert is_valid_timezone("Europe/London")
    assert is_valid_timezone("UTC")
    for bad in ["", " Europe/London", "Europe/Nowhere", "/etc/localtime", "../UTC", "Europe/London\x00"]:
        assert not is_valid_timezone(bad), bad


def test_a_time_skipped_by_the_spring_change_lands_after_the_gap() -> None:
    # 02:30 does not exist in New York on 8 March 2026; it happens as 03:30 EDT (07:30Z).
    assert local_to_utc(date(2026, 3, 8), time(2, 30), "America/New_York") == datetime(2026, 3, 8, 7, 30, tzinfo=UTC)


def test_a_time_repeated_in_autumn_is_its_first_occurrence() -> None:
    # 01:30 happens twice in New York on 1 November 2026; the first is EDT (05:30Z).
    assert local_to_utc(date(2026, 11, 1), time(1, 30), "America/New_York") == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_search_finds_cities_with_their_offsets() -> None:
    [(value, label)] = search_timezones("kolkata", NOW)
    assert value == "Asia/Kolkata"
    assert label == "Asia/Kolkata (UTC+05:30)"
    assert search_timezones("new york", NOW)[0][0] == "America/New_York"
    assert search_timezones("london", NOW)[0][0] == "Europe/London"
    starting = [v for v, _ in search_timezones("lon", NOW)]
    assert starting == ["Arctic/Longyearbyen", "Europe/London", "America/Blanc-Sablon", "America/Miquelon"]
    assert len(search_timezones("", NOW)) == 100
    assert search_timezones("zzzz", NOW) == []
    assert all("US/" not in v and "Etc/" not in v for v, _ in search_timezones("", NOW, limit=1000))
