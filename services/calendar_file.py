"""Activities as an .ics file, so volunteers can put them in their own calendar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from icalendar import Calendar, Event

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
