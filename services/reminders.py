"""Reminding people of the activities they are going to, a while before the start.

Every volunteer going hears the title, time and place, and who else is going: that they will
not be alone is what Sammen promises. Support persons hear it for the citizens they booked.
Each reminder has a dedupe key naming the activity, the person and the start time, so running
the job again (or after a restart) sends nothing twice, and an activity moved to another time
is reminded of afresh.
"""

from __future__ import annotations

import logging

from kernel.context import Runtime
from kernel.texts import Markup
from services import minimum, notices
from services.unit_of_work import unit_of_work
from storage import reminders
from storage.activities import ActivityInfo
from storage.reminders import ReminderRecipient

log = logging.getLogger(__name__)

# (the reminder, its line about company, its line when no volunteer goes yet)
VOLUNTEER_KEYS = ("activity.reminder.text", "activity.reminder.company", "activity.reminder.alone")
SUPPORT_KEYS = ("bookings.reminder.text", "bookings.reminder.company", "bookings.reminder.alone")


def dedupe_key(activity: ActivityInfo, person: ReminderRecipient) -> str:
    starts = activity.starts_at.isoformat() if activity.starts_at else ""
    return f"reminder:{activity.id}:{person.person_id}:{starts}"


def _render(
    runtime: Runtime, activity: ActivityInfo, others: list[str], person: ReminderRecipient
) -> notices.Render:
    def render(language: str) -> str:
        texts = runtime.texts
        keys = SUPPORT_KEYS if person.going_as == reminders.SUPPORT else VOLUNTEER_KEYS
        text_key, company_key, alone_key = keys
        if others:
            company = texts.get(language, company_key, names=texts.names(language, others))
        else:
            company = texts.get(language, alone_key)
        return texts.get(
            language,
            text_key,
            title=activity.title or "",
            when=notices.when(runtime, activity, language),
            place=activity.place or texts.get(language, "common.not_given"),
            company=Markup(company),
            names=texts.names(language, person.citizens),
        )

    return render


async def remind(runtime: Runtime) -> int:
    """Enqueue a reminder for everyone going to an activity that starts within the lead time
    and has not been reminded of it yet; returns how many were enqueued."""
    now = runtime.clock.now()
    lead = minimum.reminder_ahead(runtime.settings)
    enqueued = 0
    async with unit_of_work(runtime) as session:
        soon = await reminders.starting_between(session, after=now, until=now + lead)
        # Below the minimum and not decided to go ahead: the coordinators are asked or it is
        # about to be cancelled (services.minimum); a reminder now would contradict that.
        waiting = await minimum.held_back(session, soon)
        for activity in soon:
            if activity.id in waiting:
                continue
            going = await reminders.reminder_recipients(session, activity.id)
            for person in going:
                others = [
                    other.first_name
                    for other in going
                    if other.person_id != person.person_id
                    and other.going_as == reminders.VOLUNTEER
                    and other.first_name
                ]
                if await notices.owe(
                    session,
                    runtime,
                    person.telegram_id,
                    _render(runtime, activity, others, person),
                    kind=notices.REMINDER,
                    dedupe_key=dedupe_key(activity, person),
                ):
                    enqueued += 1
    if enqueued:
        log.info("Reminders: %d enqueued", enqueued)
    return enqueued
