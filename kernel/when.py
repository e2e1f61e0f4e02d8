"""The date and time of an activity as coordinators type it, in Danish or English.

Parsing is deliberately strict: a misread date sends people to the wrong place at the wrong
time, so anything we cannot read with confidence is refused with a reason (see `REASONS`)
that the bot turns into a kind message with an example.

Rules worth knowing:

* Date first, then time (`24/12 14:00`); time first also works when the time is clearly a
  time (`kl. 14 i morgen`, `10am tomorrow`, `14:00 24/12`), never for a bare number.
* Numeric dates are day before month (`4/5` is the 4th of May), as in Denmark.
* Without a year: the next occurrence of that day that is not before today. Typed on the very
  day with a time already gone, it stays this year and is refused as "in_the_past", because a
  slip of the fingers is likelier than planning a year ahead.
* A plain weekday is its next occurrence, today included while the time is still ahead;
  "næste"/"next" plus a weekday is the next occurrence strictly after today.
* A weekday in front of a date (`torsdag 24/12`, as `format_when` writes it) must match it.
* Wall-clock time in the configured zone with fold=0: in the autumn hour that happens twice
  the first one is meant; a time skipped in spring does not exist ("impossible_time").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "REASONS",
    "WhenError",
    "format_time_range",
    "format_when",
    "parse_date",
    "parse_when",
]

REASONS = (
    "unreadable",
    "impossible_date",
    "impossible_time",
    "missing_time",
    "missing_date",
    "weekday_mismatch",
    "in_the_past",
    "too_far_ahead",
)

# Far beyond any real answer; keeps the regular expressions' work bounded.
_MAX_INPUT = 100


@dataclass(frozen=True)
class WhenError:
    """Why a typed date or time was refused: one of `REASONS`."""

    reason: str


# --- Names ----------------------------------------------------------------------------------

_DA_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DA_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_WEEKDAY_NAMES: dict[str, int] = {
    **{name: number for number, name in enumerate(_DA_WEEKDAYS)},
    **{name.lower(): number for number, name in enumerate(_EN_WEEKDAYS)},
    # Keyboards without æøå, and the short forms people use in chats.
    "lordag": 5,
    "loerdag": 5,
    "sondag": 6,
    "soendag": 6,
    "man": 0,
    "tir": 1,
    "tirs": 1,
    "ons": 2,
    "tor": 3,
    "tors": 3,
    "fre": 4,
    "lør": 5,
    "lor": 5,
    "søn": 6,
    "son": 6,
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}

_MONTH_NAMES: dict[str, int] = {
    **{name: number for number, name in enumerate(_DA_MONTHS, start=1)},
    **{name.lower(): number for number, name in enumerate(_EN_MONTHS, start=1)},
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "okt": 10,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# Keys have their spaces removed, so "i dag" and "idag" are one entry.
_RELATIVE_DAYS: dict[str, int] = {
    "idag": 0,
    "today": 0,
    "imorgen": 1,
    "tomorrow": 1,
    "iovermorgen": 2,
    "overmorgen": 2,
    "dayaftertomorrow": 2,
    "thedayaftertomorrow": 2,
}


# --- Grammar --------------------------------------------------------------------------------


def _one_of(names: Iterable[str]) -> str:
    # Longest first and no letter after, so "man" never eats the start of "mandag".
    ordered = sorted(names, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(name) for name in ordered) + r")(?![a-zæøå])"


_WEEKDAY = _one_of(_WEEKDAY_NAMES)
_MONTH = _one_of(_MONTH_NAMES)
_RELATIVE = (
    r"(?:i\s?dag|today|i\s?morgen|tomorrow|i\s?overmorgen|overmorgen"
    r"|(?:the\s)?day\safter\stomorrow)(?![a-zæøå])"
)
# Years before 1900 are no one's activity; refusing them keeps "24 dec 1400" from becoming
# the year 1400 instead of an unreadable time.
_YEAR4 = r"(?:19|20)\d{2}"
_EXPLICIT = (
    rf"(?P<iso_y>{_YEAR4})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})"
    rf"|(?P<num_d>\d{{1,2}})[./-](?P<num_m>\d{{1,2}})(?:[./-](?P<num_y>{_YEAR4}|\d{{2}}))?\.?"
    rf"|(?P<dm_d>\d{{1,2}})(?:\.|st|nd|rd|th)?\s?(?:of\s)?(?P<dm_m>{_MONTH})\.?"
    rf"(?:\s(?P<dm_y>{_YEAR4}))?"
    rf"|(?P<md_m>{_MONTH})\.?\s?(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s(?P<md_y>{_YEAR4}))?"
)
_DATE = (
    r"(?:(?:on|på|pa)\s)?(?:"
    rf"(?P<rel>{_RELATIVE})"
    rf"|(?:(?P<next>næste|naeste|next)\s)?(?P<wd>{_WEEKDAY})\.?"
    rf"|(?:(?P<wd_check>{_WEEKDAY})\.?\s)?(?:den\s|the\s|d\.\s?)?(?:{_EXPLICIT})"
    r")"
)
# Four digits only after "kl.": on their own they are as likely a year as a time.
_TIME = (
    r"(?:(?:kl\.?|klokken)\s?(?P<hhmm>\d{4})"
    r"|(?P<prefix>(?:kl\.?|klokken|at|@)\s?)?(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?"
    r"(?:\s?(?P<ampm>[ap])\.?m\.?)?)"
)
# Digits may not touch digits ("24/1214:00" is a typo, not a date and a time).
_GAP = r"(?:\s|(?<=[^\d\s])|(?=[^\d\s]))"

_DATE_ONLY = re.compile(_DATE)
_DATE_FIRST = re.compile(rf"{_DATE}(?:{_GAP}{_TIME})?")
_TIME_FIRST = re.compile(rf"{_TIME}{_GAP}{_DATE}")
_TIME_ONLY = re.compile(_TIME)

_ISO_T = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)")

Groups = Mapping[str, str | None]


def _normalise(text: str) -> str:
    lowered = text.lower().replace(",", " ")
    lowered = _ISO_T.sub(r"\1 ", lowered)
    # Sentence punctuation at the end is chat habit, not part of the date.
    return " ".join(lowered.split()).rstrip(".!? ").strip()


# --- Reading the parts ----------------------------------------------------------------------


def _explicit_day(year: int | None, month: int, day: int, today: date) -> date | WhenError:
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return WhenError("impossible_date")
    try:
        date(2000, month, day)  # a leap year: if not here, then never
    except ValueError:
        return WhenError("impossible_date")
    # Eight years always include a 29 February.
    for candidate_year in range(today.year, today.year + 9):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    return WhenError("impossible_date")


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    return 2000 + int(text) if len(text) == 2 else int(text)


def _read_day(groups: Groups, today: date) -> date | WhenError | None:
    """The day named, or None when the text names none. A plain weekday today stays today."""
    if relative := groups.get("rel"):
        return today + timedelta(days=_RELATIVE_DAYS["".join(relative.split())])
    if weekday := groups.get("wd"):
        ahead = (_WEEKDAY_NAMES[weekday] - today.weekday()) % 7
        if ahead == 0 and groups.get("next"):
            ahead = 7
        return today + timedelta(days=ahead)

    parts: tuple[str | None, str | None, str | None]
    if groups.get("iso_y"):
        parts = (groups["iso_y"], groups["iso_m"], groups["iso_d"])
    elif groups.get("num_d"):
        parts = (groups.get("num_y"), groups["num_m"], groups["num_d"])
    elif groups.get("dm_d"):
        parts = (groups.get("dm_y"), groups["dm_m"], groups["dm_d"])
    elif groups.get("md_d"):
        parts = (groups.get("md_y"), groups["md_m"], groups["md_d"])
    else:
        return None
    year_text, month_text, day_text = parts
    assert month_text is not None and day_text is not None
    month = int(month_text) if month_text.isdigit() else _MONTH_NAMES[month_text]
    day = _explicit_day(_year(year_text), month, int(day_text), today)

    expected = groups.get("wd_check")
    if isinstance(day, date) and expected and day.weekday() != _WEEKDAY_NAMES[expected]:
        return WhenError("weekday_mismatch")
    return day


def _read_clock(groups: Groups) -> time | WhenError | None:
    if hhmm := groups.get("hhmm"):
        hour, minute = int(hhmm[:2]), int(hhmm[2:])
    elif hour_text := groups.get("hour"):
        hour = int(hour_text)
        minute = int(groups.get("minute") or 0)
        if ampm := groups.get("ampm"):
            if not 1 <= hour <= 12:
                return WhenError("impossible_time")
            # 12am is midnight and 12pm noon; the other hours just shift by twelve.
            hour = hour % 12 + (12 if ampm == "p" else 0)
    else:
        return None
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return WhenError("impossible_time")
    return time(hour, minute)


def _is_bare_hour(groups: Groups) -> bool:
    return not (
        groups.get("hhmm") or groups.get("prefix") or groups.get("minute") or groups.get("ampm")
    )


def _wall_clock(day: date, clock: time, zone: ZoneInfo) -> datetime | None:
    """The moment that clock shows in zone on that day (the first, if twice), None if never."""
    moment = datetime.combine(day, clock, tzinfo=zone)
    shown = moment.astimezone(UTC).astimezone(zone)
    if shown.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


# --- Parsing --------------------------------------------------------------------------------

# How far a reading got before it was refused. When every reading of an ambiguous text fails
# (is "14.30" the 14th of month 30, or half past two?), the one that got furthest explains
# the real problem best.
_STAGE_DAY = 1
_STAGE_CLOCK = 2
_STAGE_DAY_RANGE = 3
_STAGE_MISSING = 4
_STAGE_GAP = 5
_STAGE_RANGE = 6
_STAGE_DONE = 7


def _require_aware(moment: datetime, name: str) -> None:
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def _evaluate(
    groups: Groups, *, now: datetime, zone: ZoneInfo, max_ahead_days: int
) -> tuple[datetime | WhenError, int]:
    today = now.astimezone(zone).date()
    # In UTC, so the limit is the same span of real time whichever zone `now` arrives in.
    latest = now.astimezone(UTC) + timedelta(days=max_ahead_days)

    day = _read_day(groups, today)
    if isinstance(day, WhenError):
        return day, _STAGE_DAY
    clock = _read_clock(groups)
    if isinstance(clock, WhenError):
        return clock, _STAGE_CLOCK
    if day is not None:
        if day < today:
            return WhenError("in_the_past"), _STAGE_DAY_RANGE
        if day > latest.astimezone(zone).date():
            return WhenError("too_far_ahead"), _STAGE_DAY_RANGE
    if clock is None:
        return WhenError("missing_time"), _STAGE_MISSING
    if day is None:
        return WhenError("missing_date"), _STAGE_MISSING

    moment = _wall_clock(day, clock, zone)
    if moment is not None and moment < now and groups.get("wd") and not groups.get("next"):
        # "torsdag 14:00" typed on a Thursday afternoon means next week.
        moment = _wall_clock(day + timedelta(days=7), clock, zone)
    if moment is None:
        return WhenError("impossible_time"), _STAGE_GAP
    if moment < now:
        return WhenError("in_the_past"), _STAGE_RANGE
    if moment > latest:
        return WhenError("too_far_ahead"), _STAGE_RANGE
    return moment, _STAGE_DONE


def _readings(text: str) -> list[Groups]:
    readings: list[Groups] = []
    if match := _DATE_FIRST.fullmatch(text):
        readings.append(match.groupdict())
    if (match := _TIME_FIRST.fullmatch(text)) and not _is_bare_hour(match.groupdict()):
        readings.append(match.groupdict())
    if match := _TIME_ONLY.fullmatch(text):
        readings.append(match.groupdict())
    return readings


def parse_when(
    text: str, *, now: datetime, zone: ZoneInfo, max_ahead_days: int = 730
) -> datetime | WhenError:
    """`now` is aware (any zone). Returns an aware datetime in `zone`, or WhenError."""
    _require_aware(now, "now")
    normalised = _normalise(text)
    if len(normalised) > _MAX_INPUT:
        return WhenError("unreadable")
    best: tuple[datetime | WhenError, int] = (WhenError("unreadable"), 0)
    for groups in _readings(normalised):
        outcome = _evaluate(groups, now=now, zone=zone, max_ahead_days=max_ahead_days)
        # Strictly greater: on a tie the earlier reading (date first) wins.
        if outcome[1] > best[1]:
            best = outcome
    return best[0]


def parse_date(
    text: str, *, now: datetime, zone: ZoneInfo, max_ahead_days: int | None = None
) -> date | WhenError:
    """A day without a time (as in "repeat until <date>"), today or later, or WhenError.

    A plain weekday today means today. `max_ahead_days`, when given, refuses later days with
    "too_far_ahead".
    """
    _require_aware(now, "now")
    normalised = _normalise(text)
    match = _DATE_ONLY.fullmatch(normalised) if len(normalised) <= _MAX_INPUT else None
    if match is None:
        return WhenError("unreadable")
    today = now.astimezone(zone).date()
    day = _read_day(match.groupdict(), today)
    if day is None:
        return WhenError("unreadable")
    if isinstance(day, WhenError):
        return day
    if day < today:
        return WhenError("in_the_past")
    if max_ahead_days is not None and day > today + timedelta(days=max_ahead_days):
        return WhenError("too_far_ahead")
    return day


# --- Formatting -----------------------------------------------------------------------------


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    _require_aware(moment, "moment")
    return moment.astimezone(zone)


def _day_text(moment: datetime, language: str, *, with_year: bool) -> str:
    year = f" {moment.year}" if with_year else ""
    if language == "da":
        weekday, month = _DA_WEEKDAYS[moment.weekday()], _DA_MONTHS[moment.month - 1]
        return f"{weekday} {moment.day}. {month}{year}"
    if language == "en":
        weekday, month = _EN_WEEKDAYS[moment.weekday()], _EN_MONTHS[moment.month - 1]
        return f"{weekday} {moment.day} {month}{year}"
    raise ValueError(f"no date names for language {language!r}")


def _at(language: str) -> str:
    return " kl. " if language == "da" else ", "


def format_when(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december 2026 kl. 14:00' / 'Thursday 24 December 2026 at 14:00'."""
    local = _local(moment, zone)
    at = "kl." if language == "da" else "at"
    return f"{_day_text(local, language, with_year=True)} {at} {local:%H:%M}"


def format_date(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december' / 'Thursday 24 December': the day alone, in `zone`."""
    return _day_text(_local(moment, zone), language, with_year=False)


def format_time_range(start: datetime, minutes: int, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december kl. 14:00–16:00' / 'Thursday 24 December, 14:00–16:00'.

    The end is `minutes` of real time after the start, so a night across a clock change
    shows the clock as people will see it. An end on another day repeats the day.
    """
    if minutes < 0:
        raise ValueError("an activity cannot end before it starts")
    local_start = _local(start, zone)
    local_end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
    first = f"{_day_text(local_start, language, with_year=False)}{_at(language)}"
    if local_end.date() == local_start.date():
        return f"{first}{local_start:%H:%M}–{local_end:%H:%M}"
    last = f"{_day_text(local_end, language, with_year=False)}{_at(language)}"
    return f"{first}{local_start:%H:%M} – {last}{local_end:%H:%M}"
