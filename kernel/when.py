"""The date and time of an activity as coordinators type it, in any language Sammen speaks.

The words (weekday and month names, "i morgen", "kl.", ...) are in the catalogues under
"when."; this module holds only the grammar around them, so a new language needs no code here.

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

from kernel.texts import load_catalogues

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

# Every language-dependent word lives in the catalogues (kernel/locales/<lang>.toml, under
# "when."): the names Sammen writes, and the spellings it reads. A typed date is read in any
# language Sammen speaks, whatever the person chose, as people mix them in chats.
_CATALOGUES: Mapping[str, Mapping[str, str]] = load_catalogues()

_WEEKDAY_KEYS = (
    "when.weekday.0",
    "when.weekday.1",
    "when.weekday.2",
    "when.weekday.3",
    "when.weekday.4",
    "when.weekday.5",
    "when.weekday.6",
)
_MONTH_KEYS = (
    "when.month.1",
    "when.month.2",
    "when.month.3",
    "when.month.4",
    "when.month.5",
    "when.month.6",
    "when.month.7",
    "when.month.8",
    "when.month.9",
    "when.month.10",
    "when.month.11",
    "when.month.12",
)
_WEEKDAY_SPELLING_KEYS = (
    "when.read.weekday.0",
    "when.read.weekday.1",
    "when.read.weekday.2",
    "when.read.weekday.3",
    "when.read.weekday.4",
    "when.read.weekday.5",
    "when.read.weekday.6",
)
_MONTH_SPELLING_KEYS = (
    "when.read.month.1",
    "when.read.month.2",
    "when.read.month.3",
    "when.read.month.4",
    "when.read.month.5",
    "when.read.month.6",
    "when.read.month.7",
    "when.read.month.8",
    "when.read.month.9",
    "when.read.month.10",
    "when.read.month.11",
    "when.read.month.12",
)
# Days from today, by the catalogue key of the words for them.
_RELATIVE_KEYS = (
    ("when.read.today", 0),
    ("when.read.tomorrow", 1),
    ("when.read.day_after_tomorrow", 2),
)


def _words(key: str) -> list[str]:
    """The comma-separated spellings of `key` in every catalogue, lower case, as typed."""
    found: list[str] = []
    for catalogue in _CATALOGUES.values():
        for word in catalogue[key].split(","):
            word = " ".join(word.lower().split())
            if word and word not in found:
                found.append(word)
    return found


def _numbered(
    name_keys: tuple[str, ...], spelling_keys: tuple[str, ...], first: int
) -> dict[str, int]:
    table: dict[str, int] = {}
    for number, keys in enumerate(zip(name_keys, spelling_keys, strict=True), start=first):
        for key in keys:
            for word in _words(key):
                if table.setdefault(word, number) != number:
                    raise ValueError(f"{word!r} names two different days or months")
    return table


_WEEKDAY_NAMES: dict[str, int] = _numbered(_WEEKDAY_KEYS, _WEEKDAY_SPELLING_KEYS, 0)
_MONTH_NAMES: dict[str, int] = _numbered(_MONTH_KEYS, _MONTH_SPELLING_KEYS, 1)
# Keys have their spaces removed, so "i dag" and "idag" are one entry.
_RELATIVE_DAYS: dict[str, int] = {
    word.replace(" ", ""): days for key, days in _RELATIVE_KEYS for word in _words(key)
}


# --- Grammar --------------------------------------------------------------------------------

# No letter right after a name, so "man" never eats the start of "mandag".
_WORD_END = r"(?![^\W\d_])"


def _any(words: Iterable[str], after: str = "") -> str:
    """One of `words` (longest first), each followed by `after`; never matches when empty.

    The text is normalised to single spaces, so a space in a word is one whitespace. A word
    ending in a full stop ("d.") may touch what follows even where a space is wanted."""
    ordered = sorted(set(words), key=len, reverse=True)
    options = [
        re.escape(word).replace(r"\ ", r"\s")
        + (r"\s?" if after == r"\s" and word.endswith(".") else after)
        for word in ordered
    ]
    return "(?:" + "|".join(options) + ")" if options else "(?!)"


def _one_of(names: Iterable[str]) -> str:
    return _any(names) + _WORD_END


_WEEKDAY = _one_of(_WEEKDAY_NAMES)
_MONTH = _one_of(_MONTH_NAMES)
_RELATIVE = _one_of([word for key, _ in _RELATIVE_KEYS for word in _words(key)])
_ON = _any(_words("when.read.on"), r"\s")
_NEXT = _any(_words("when.read.next"))
_THE = _any(_words("when.read.the"), r"\s")
_OF = _any(_words("when.read.of"), r"\s")
_ORDINAL = _any(_words("when.read.ordinal"))
# After a month name a full stop would swallow the separator of a time ("december 24.12"),
# so there only the ordinals made of letters count ("December 24th").
_ORDINAL_AFTER_MONTH = _any(word for word in _words("when.read.ordinal") if word.isalpha())
_CLOCK_WORD = _any(_words("when.read.clock"), r"\s?")
# "@" is a sign, not a word: the same in every language.
_AT_WORD = _any([*_words("when.read.clock"), *_words("when.read.at"), "@"], r"\s?")
# Years before 1900 are no one's activity; refusing them keeps "24 dec 1400" from becoming
# the year 1400 instead of an unreadable time.
_YEAR4 = r"(?:19|20)\d{2}"
_EXPLICIT = (
    rf"(?P<iso_y>{_YEAR4})-(?P<iso_m>\d{{1,2}})-(?P<iso_d>\d{{1,2}})"
    rf"|(?P<num_d>\d{{1,2}})[./-](?P<num_m>\d{{1,2}})(?:[./-](?P<num_y>{_YEAR4}|\d{{2}}))?\.?"
    rf"|(?P<dm_d>\d{{1,2}}){_ORDINAL}?\s?(?:{_OF})?(?P<dm_m>{_MONTH})\.?"
    rf"(?:\s(?P<dm_y>{_YEAR4}))?"
    rf"|(?P<md_m>{_MONTH})\.?\s?(?P<md_d>\d{{1,2}}){_ORDINAL_AFTER_MONTH}?"
    rf"(?:\s(?P<md_y>{_YEAR4}))?"
)
_DATE = (
    rf"(?:{_ON})?(?:"
    rf"(?P<rel>{_RELATIVE})"
    rf"|(?:(?P<next>{_NEXT})\s)?(?P<wd>{_WEEKDAY})\.?"
    rf"|(?:(?P<wd_check>{_WEEKDAY})\.?\s)?(?:{_THE})?(?:{_EXPLICIT})"
    r")"
)
# Four digits only after a clock word ("kl."): on their own they are as likely a year as a
# time. The am/pm notation is read whatever the language.
_TIME = (
    rf"(?:{_CLOCK_WORD}(?P<hhmm>\d{{4}})"
    rf"|(?P<prefix>{_AT_WORD})?(?P<hour>\d{{1,2}})(?:[:.](?P<minute>\d{{2}}))?"
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


def _catalogue(language: str) -> Mapping[str, str]:
    catalogue = _CATALOGUES.get(language)
    if catalogue is None:
        raise ValueError(f"no date names for language {language!r}")
    return catalogue


def _day_text(moment: datetime, language: str, *, with_year: bool) -> str:
    catalogue = _catalogue(language)
    return catalogue["when.date_with_year" if with_year else "when.date"].format(
        weekday=catalogue[_WEEKDAY_KEYS[moment.weekday()]],
        day=moment.day,
        month=catalogue[_MONTH_KEYS[moment.month - 1]],
        year=moment.year,
    )


def format_when(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december 2026 kl. 14:00' / 'Thursday 24 December 2026 at 14:00'."""
    local = _local(moment, zone)
    date_text = _day_text(local, language, with_year=True)
    return _catalogue(language)["when.moment"].format(date=date_text, time=f"{local:%H:%M}")


def format_date(moment: datetime, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december' / 'Thursday 24 December': the day alone, in `zone`."""
    return _day_text(_local(moment, zone), language, with_year=False)


def _span_end(moment: datetime, language: str, clock: str) -> str:
    """'torsdag 24. december kl. 14:00' / 'Thursday 24 December, 14:00', `clock` as given."""
    date_text = _day_text(moment, language, with_year=False)
    return _catalogue(language)["when.span"].format(date=date_text, time=clock)


def format_time_range(start: datetime, minutes: int, language: str, zone: ZoneInfo) -> str:
    """'torsdag 24. december kl. 14:00–16:00' / 'Thursday 24 December, 14:00–16:00'.

    The end is `minutes` of real time after the start, so a night across a clock change
    shows the clock as people will see it. An end on another day repeats the day.
    """
    if minutes < 0:
        raise ValueError("an activity cannot end before it starts")
    local_start = _local(start, zone)
    local_end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)
    if local_end.date() == local_start.date():
        return _span_end(local_start, language, f"{local_start:%H:%M}–{local_end:%H:%M}")
    first = _span_end(local_start, language, f"{local_start:%H:%M}")
    return f"{first} – {_span_end(local_end, language, f'{local_end:%H:%M}')}"
