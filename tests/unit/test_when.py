"""Dates and times as coordinators type them, and as the bot writes them back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from kernel.when import (
    REASONS,
    WhenError,
    format_time_range,
    format_when,
    parse_date,
    parse_when,
)

CPH = ZoneInfo("Europe/Copenhagen")
# A Monday morning in winter time (UTC+1).
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=CPH)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CPH)


def when(text: str, now: datetime = NOW, **kwargs: int) -> datetime | WhenError:
    return parse_when(text, now=now, zone=CPH, **kwargs)


# --- Accepted forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("24/12 14:00", at(2026, 12, 24, 14)),
        ("24/12/2026 14:00", at(2026, 12, 24, 14)),
        ("24/12-2026 14.00", at(2026, 12, 24, 14)),
        ("24.12.2026 kl. 14", at(2026, 12, 24, 14)),
        ("24.12 kl 14.30", at(2026, 12, 24, 14, 30)),
        ("24-12-2026 14:00", at(2026, 12, 24, 14)),
        ("2026-12-24 14:00", at(2026, 12, 24, 14)),
        ("2026-12-24T14:00", at(2026, 12, 24, 14)),
        ("24. december 14:00", at(2026, 12, 24, 14)),
        ("24 dec 2026 2pm", at(2026, 12, 24, 14)),
        ("December 24 2:30 pm", at(2026, 12, 24, 14, 30)),
        ("December 24, 2026, 2:30 pm", at(2026, 12, 24, 14, 30)),
        ("24 december kl. 9", at(2026, 12, 24, 9)),
        ("24th of December at 9am", at(2026, 12, 24, 9)),
        ("24. dec. kl. 9", at(2026, 12, 24, 9)),
        ("1 sept 2027 10:00", at(2027, 9, 1, 10)),
        ("5. marts 2027 @ 18:15", at(2027, 3, 5, 18, 15)),
        ("24/12/26 14:00", at(2026, 12, 24, 14)),
        ("24.12. 14:00", at(2026, 12, 24, 14)),
        ("den 24/12 kl. 14", at(2026, 12, 24, 14)),
        ("  24/12  ,  14:00  ", at(2026, 12, 24, 14)),
        ("24/12 KL. 14", at(2026, 12, 24, 14)),
        ("24/12 kl. 1400", at(2026, 12, 24, 14)),
        ("24/12 kl.14", at(2026, 12, 24, 14)),
        ("24/12 14:00.", at(2026, 12, 24, 14)),
        # Time first, when the time is clearly a time.
        ("kl. 14 i morgen", at(2026, 11, 24, 14)),
        ("10am tomorrow", at(2026, 11, 24, 10)),
        ("14:00 24/12", at(2026, 12, 24, 14)),
        # What format_when writes can be read back.
        ("torsdag 24. december 2026 kl. 14:00", at(2026, 12, 24, 14)),
        ("Thursday 24 December 2026 at 14:00", at(2026, 12, 24, 14)),
        ("tor d. 24/12 14", at(2026, 12, 24, 14)),
    ],
)
def test_explicit_dates_and_times_are_read(typed: str, meant: datetime) -> None:
    assert when(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("i dag 18:00", at(2026, 11, 23, 18)),
        ("idag kl 18", at(2026, 11, 23, 18)),
        ("I DAG kl. 18", at(2026, 11, 23, 18)),
        ("today 18:00", at(2026, 11, 23, 18)),
        ("i morgen 10:00", at(2026, 11, 24, 10)),
        ("imorgen kl. 10", at(2026, 11, 24, 10)),
        ("tomorrow 10:00", at(2026, 11, 24, 10)),
        ("tomorrow at 10am", at(2026, 11, 24, 10)),
        ("i overmorgen 12", at(2026, 11, 25, 12)),
        ("overmorgen 12:00", at(2026, 11, 25, 12)),
        ("day after tomorrow 12:00", at(2026, 11, 25, 12)),
        ("the day after tomorrow 12", at(2026, 11, 25, 12)),
    ],
)
def test_relative_days_are_read(typed: str, meant: datetime) -> None:
    assert when(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("torsdag 14:00", at(2026, 11, 26, 14)),
        ("tor kl. 14", at(2026, 11, 26, 14)),
        ("tors. 14", at(2026, 11, 26, 14)),
        ("på torsdag kl 14", at(2026, 11, 26, 14)),
        ("thursday 2pm", at(2026, 11, 26, 14)),
        ("on Thu at 2pm", at(2026, 11, 26, 14)),
        ("next friday 10:00", at(2026, 11, 27, 10)),
        ("næste fredag 10:00", at(2026, 11, 27, 10)),
        ("lørdag 10", at(2026, 11, 28, 10)),
        ("lordag 10", at(2026, 11, 28, 10)),
        ("lør 10", at(2026, 11, 28, 10)),
        ("søndag 10", at(2026, 11, 29, 10)),
        ("sondag 10", at(2026, 11, 29, 10)),
        ("søn 10", at(2026, 11, 29, 10)),
        ("sun 10:00", at(2026, 11, 29, 10)),
        ("tirsdag 10", at(2026, 11, 24, 10)),
        ("ons 10", at(2026, 11, 25, 10)),
        ("wed 10am", at(2026, 11, 25, 10)),
        ("fre 10", at(2026, 11, 27, 10)),
        # Today is Monday: still today while the time is ahead, otherwise next week.
        ("mandag 11", at(2026, 11, 23, 11)),
        ("monday 10:00", at(2026, 11, 23, 10)),
        ("mandag 9", at(2026, 11, 30, 9)),
        ("man kl. 9.59", at(2026, 11, 30, 9, 59)),
        # "next" never means today.
        ("næste mandag 11", at(2026, 11, 30, 11)),
        ("next monday 11:00", at(2026, 11, 30, 11)),
    ],
)
def test_weekdays_are_the_next_occurrence(typed: str, meant: datetime) -> None:
    assert when(typed) == meant


@pytest.mark.parametrize(
    ("typed", "hour", "minute"),
    [
        ("14:00", 14, 0),
        ("14.00", 14, 0),
        ("14", 14, 0),
        ("kl. 14", 14, 0),
        ("kl 1430", 14, 30),
        ("klokken 14", 14, 0),
        ("2pm", 14, 0),
        ("2 PM", 14, 0),
        ("2:30 pm", 14, 30),
        ("2.30pm", 14, 30),
        ("2 p.m.", 14, 0),
        ("9am", 9, 0),
        ("12am", 0, 0),
        ("12pm", 12, 0),
        ("0:00", 0, 0),
        ("23:59", 23, 59),
    ],
)
def test_time_forms(typed: str, hour: int, minute: int) -> None:
    assert when(f"i morgen {typed}") == at(2026, 11, 24, hour, minute)


def test_a_missing_year_means_the_next_time_that_day_comes() -> None:
    boxing_day = datetime(2026, 12, 25, 12, 0, tzinfo=CPH)
    assert when("24/12 14:00", now=boxing_day) == at(2027, 12, 24, 14)
    assert when("2/1 14:00", now=boxing_day) == at(2027, 1, 2, 14)
    assert when("25/12 14:00", now=boxing_day) == at(2026, 12, 25, 14)
    # On the day itself it stays this year: a time already gone is a slip, not next year.
    assert when("25/12 11:00", now=boxing_day) == WhenError("in_the_past")
    # A leap day waits for the next leap year.
    assert when("29/2 12:00") == at(2028, 2, 29, 12)


# --- Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "unreadable"),
        ("hello", "unreadable"),
        ("soon", "unreadable"),
        ("24/12 14:00 or so", "unreadable"),
        ("2026", "unreadable"),
        ("24/12 1400", "unreadable"),
        ("14 24/12", "unreadable"),
        ("24/1214:00", "unreadable"),
        ("24/12 14:5", "unreadable"),
        ("x" * 500, "unreadable"),
        ("31/2 14:00", "impossible_date"),
        ("31/2", "impossible_date"),
        ("30.02.2027 14:00", "impossible_date"),
        ("32/1 10:00", "impossible_date"),
        ("12/13 10:00", "impossible_date"),
        ("0/1 10:00", "impossible_date"),
        ("29/2/2027 10:00", "impossible_date"),
        ("31 april 10:00", "impossible_date"),
        ("24/12 25:00", "impossible_time"),
        ("24/12 24:00", "impossible_time"),
        ("24/12 14:61", "impossible_time"),
        ("24/12 13pm", "impossible_time"),
        ("24/12 0am", "impossible_time"),
        ("24/12 kl. 2460", "impossible_time"),
        ("25:00", "impossible_time"),
        ("24/12", "missing_time"),
        ("24. december", "missing_time"),
        ("i morgen", "missing_time"),
        ("torsdag", "missing_time"),
        ("18:00", "missing_date"),
        ("kl. 14", "missing_date"),
        # Read as half past two, not as the 14th of a 30th month.
        ("14.30", "missing_date"),
        ("fredag 24/12 14:00", "weekday_mismatch"),
        ("Friday 24 December 2026 at 14:00", "weekday_mismatch"),
        ("i dag 9:00", "in_the_past"),
        ("i dag 9:59", "in_the_past"),
        ("24/12/2025 14:00", "in_the_past"),
        ("24/12/2025", "in_the_past"),
        ("24/12/2099 14:00", "too_far_ahead"),
        ("24/12/2029 14:00", "too_far_ahead"),
    ],
)
def test_refusals_say_why(typed: str, reason: str) -> None:
    assert reason in REASONS
    assert when(typed) == WhenError(reason)


def test_now_itself_is_not_the_past() -> None:
    assert when("i dag 10:00") == NOW


def test_the_limit_ahead_is_configurable() -> None:
    assert when("i morgen 10:00", max_ahead_days=1) == at(2026, 11, 24, 10)
    assert when("i morgen 10:01", max_ahead_days=1) == WhenError("too_far_ahead")
    # 730 days to the minute (2028 is a leap year).
    assert when("22/11/2028 10:00") == at(2028, 11, 22, 10)
    assert when("22/11/2028 10:01") == WhenError("too_far_ahead")
    assert when("23/11/2028 09:00") == WhenError("too_far_ahead")


def test_now_may_be_given_in_any_zone() -> None:
    # 23:30 UTC on the 23rd is already the 24th in Copenhagen.
    late = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    assert when("i dag 12:00", now=late) == at(2026, 11, 24, 12)
    assert when("i morgen 12:00", now=late) == at(2026, 11, 25, 12)


def test_a_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("i morgen 10", now=datetime(2026, 11, 23, 10), zone=CPH)


# --- Daylight saving ------------------------------------------------------------------------


def test_the_hour_skipped_in_spring_does_not_exist() -> None:
    assert when("28/3/2027 02:30") == WhenError("impossible_time")
    assert when("28/3/2027 02:00") == WhenError("impossible_time")
    assert when("28/3/2027 01:59") == at(2027, 3, 28, 1, 59)
    assert when("28/3/2027 03:00") == at(2027, 3, 28, 3)


def test_the_hour_repeated_in_autumn_means_the_first() -> None:
    before = datetime(2026, 10, 20, 12, 0, tzinfo=CPH)
    moment = when("25/10 02:30", now=before)
    assert isinstance(moment, datetime)
    assert moment.fold == 0
    assert moment.tzinfo is CPH
    # Still summer time, UTC+2.
    assert moment.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "in_utc"),
    [
        ("24/10/2026 12:00", datetime(2026, 10, 24, 10, 0, tzinfo=UTC)),  # summer, UTC+2
        ("26/10/2026 12:00", datetime(2026, 10, 26, 11, 0, tzinfo=UTC)),  # winter, UTC+1
        ("25/10/2026 01:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),
        ("25/10/2026 03:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
        ("27/3/2027 12:00", datetime(2027, 3, 27, 11, 0, tzinfo=UTC)),  # winter
        ("28/3/2027 12:00", datetime(2027, 3, 28, 10, 0, tzinfo=UTC)),  # summer
    ],
)
def test_wall_clock_times_convert_to_utc_across_the_change(typed: str, in_utc: datetime) -> None:
    before = datetime(2026, 10, 20, 12, 0, tzinfo=CPH)
    moment = parse_when(typed, now=before, zone=CPH)
    assert isinstance(moment, datetime)
    assert moment.astimezone(UTC) == in_utc
    assert moment.utcoffset() == in_utc.astimezone(CPH).utcoffset()


def test_another_configured_zone_is_respected() -> None:
    london = ZoneInfo("Europe/London")
    moment = parse_when("i morgen 10:00", now=NOW, zone=london)
    assert moment == datetime(2026, 11, 24, 10, 0, tzinfo=london)
    assert isinstance(moment, datetime)
    assert moment.astimezone(UTC).hour == 10


# --- Dates alone ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("24/12", date(2026, 12, 24)),
        ("24.12.2026", date(2026, 12, 24)),
        ("2027-01-31", date(2027, 1, 31)),
        ("31. januar 2027", date(2027, 1, 31)),
        ("Jan 31", date(2027, 1, 31)),
        ("i dag", date(2026, 11, 23)),
        ("today", date(2026, 11, 23)),
        ("i morgen", date(2026, 11, 24)),
        ("mandag", date(2026, 11, 23)),
        ("næste mandag", date(2026, 11, 30)),
        ("fredag", date(2026, 11, 27)),
        ("23/11", date(2026, 11, 23)),
        ("22/11", date(2027, 11, 22)),
    ],
)
def test_dates_alone_are_read(typed: str, meant: date) -> None:
    assert parse_date(typed, now=NOW, zone=CPH) == meant


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "unreadable"),
        ("whenever", "unreadable"),
        ("24/12 14:00", "unreadable"),
        ("31/2", "impossible_date"),
        ("32.1.2027", "impossible_date"),
        ("22/11/2026", "in_the_past"),
        ("fredag 24/12", "weekday_mismatch"),
    ],
)
def test_dates_alone_refusals(typed: str, reason: str) -> None:
    assert parse_date(typed, now=NOW, zone=CPH) == WhenError(reason)


def test_a_date_alone_may_be_limited() -> None:
    assert parse_date("24/12/2026", now=NOW, zone=CPH, max_ahead_days=31) == date(2026, 12, 24)
    assert parse_date("25/12/2026", now=NOW, zone=CPH, max_ahead_days=31) == WhenError(
        "too_far_ahead"
    )


# --- Writing it back ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "language", "written"),
    [
        # Winter: 13:00 UTC is 14:00 in Copenhagen.
        (datetime(2026, 12, 24, 13, 0, tzinfo=UTC), "da", "torsdag 24. december 2026 kl. 14:00"),
        (datetime(2026, 12, 24, 13, 0, tzinfo=UTC), "en", "Thursday 24 December 2026 at 14:00"),
        # Summer: 12:00 UTC is 14:00 in Copenhagen.
        (datetime(2027, 7, 4, 12, 0, tzinfo=UTC), "da", "søndag 4. juli 2027 kl. 14:00"),
        (datetime(2027, 7, 4, 12, 0, tzinfo=UTC), "en", "Sunday 4 July 2027 at 14:00"),
        (datetime(2027, 5, 1, 7, 5, tzinfo=UTC), "da", "lørdag 1. maj 2027 kl. 09:05"),
        (datetime(2027, 3, 1, 23, 30, tzinfo=UTC), "en", "Tuesday 2 March 2027 at 00:30"),
    ],
)
def test_format_when(moment: datetime, language: str, written: str) -> None:
    assert format_when(moment, language, CPH) == written


@pytest.mark.parametrize("language", ["da", "en"])
def test_what_is_written_reads_back_as_the_same_moment(language: str) -> None:
    moment = at(2027, 6, 10, 19, 30)
    written = format_when(moment, language, CPH)
    assert when(written) == moment


@pytest.mark.parametrize(
    ("start", "minutes", "language", "written"),
    [
        (at(2026, 12, 24, 14), 120, "da", "torsdag 24. december kl. 14:00–16:00"),
        (at(2026, 12, 24, 14), 120, "en", "Thursday 24 December, 14:00–16:00"),
        (
            datetime(2027, 7, 4, 12, 0, tzinfo=UTC),
            90,
            "da",
            "søndag 4. juli kl. 14:00–15:30",
        ),
        (
            at(2026, 12, 24, 23),
            120,
            "da",
            "torsdag 24. december kl. 23:00 – fredag 25. december kl. 01:00",
        ),
        (
            at(2026, 12, 24, 23),
            120,
            "en",
            "Thursday 24 December, 23:00 – Friday 25 December, 01:00",
        ),
        # Two real hours across the autumn change: the clock shows only one hour later.
        (at(2026, 10, 25, 1, 0), 120, "en", "Sunday 25 October, 01:00–02:00"),
    ],
)
def test_format_time_range(start: datetime, minutes: int, language: str, written: str) -> None:
    assert format_time_range(start, minutes, language, CPH) == written


def test_formatting_refuses_what_it_cannot_write() -> None:
    with pytest.raises(ValueError, match="language"):
        format_when(NOW, "sv", CPH)
    with pytest.raises(ValueError, match="before"):
        format_time_range(NOW, -1, "da", CPH)
    with pytest.raises(ValueError, match="aware"):
        format_when(datetime(2026, 12, 24, 14), "da", CPH)


def test_a_parsed_moment_survives_storage_in_utc() -> None:
    moment = when("28/3/2027 12:00")
    assert isinstance(moment, datetime)
    stored = moment.astimezone(UTC)
    assert stored == datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
    assert format_when(stored, "da", CPH) == "søndag 28. marts 2027 kl. 12:00"
    assert when(format_when(stored, "en", CPH)) == moment
