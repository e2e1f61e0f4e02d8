"""Activities as an .ics file, so volunteers can put them in their own calendar."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import participation
from storage.activities import ActivityInfo

PRODUCT = "-//Sammen//Group activities//DA"
DEFAULT_DURATION = timedelta(hours=2)


def ics(activities: Sequence[ActivityInfo], *, stamp: datetime, describe: dict[int, str]) -> bytes:
    """One VEVENT per activity, times in UTC; `describe` gives each activity's description.

    UIDs are stable per activity, so adding the same activity twice updates it in the
    calendar instead of doubling it.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    for activity in activities:
        if activity.starts_at is None:
            continue
        event = Event()
        event.add("uid", f"activity-{activity.id}@sammen")
        event.add("dtstamp", stamp)
        event.add("sequence", activity.version)
        event.add("summary", activity.title or "")
        event.add("dtstart", activity.starts_at)
        event.add("dtend", activity.ends_at or activity.starts_at + DEFAULT_DURATION)
        if activity.place:
            event.add("location", activity.place)
        if activity.latitude is not None and activity.longitude is not None:
            event.add("geo", (activity.latitude, activity.longitude))
        if describe.get(activity.id):
            event.add("description", describe[activity.id])
        event.add("status", "CANCELLED" if activity.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


@dataclass(frozen=True)
class CalendarFile:
    """A calendar file ready to send: its bytes and the name it downloads as."""

    content: bytes
    name: str


async def for_volunteer(
    runtime: Runtime, person: PersonInfo, activity_id: int | None
) -> CalendarFile | None:
    """The upcoming activities this volunteer joined (only `activity_id`, when given) as one
    file; None when there is none to put in it (waiting is not going)."""
    mine = await participation.my_activities(runtime, person)
    going = [listing.activity for listing in mine if listing.my_status == "joined"]
    if activity_id is not None:
        going = [activity for activity in going if activity.id == activity_id]
    if not going:
        return None
    describe = {activity.id: activity.description or "" for activity in going}
    content = ics(going, stamp=runtime.clock.now(), describe=describe)
    name = "sammen.ics" if len(going) > 1 else _file_name(going[0].title or "sammen")
    return CalendarFile(content, name)


def _file_name(title: str) -> str:
    # Letters of every language stay (Telegram carries file names in UTF-8): "gåtur-i-…".
    slug = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", title.lower())).strip("-")[:40]
    return f"{slug or 'sammen'}.ics"
