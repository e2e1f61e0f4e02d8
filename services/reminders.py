"""Reminding people of the activities they are going to, a while before the start.

Every volunteer going hears the title, time and place, and who else is going: that they will
not be alone is what Sammen promises. Support persons hear it for the citizens they booked.
Each reminder has a dedupe key naming the activity, the person, the start time and the offset,
so running the job again (or after a restart) sends nothing twice, and an activity moved to
another time is reminded of afresh; a change that keeps the time sends no reminder again.

Reminders are due at exact times, each of `reminder_offsets_hours` before the start (by default
24 and 2 hours). The job asks the database only for activities due and not yet reminded at that
offset of their start (storage.reminders), marks them in the same transaction as the reminders
it writes to the outbox, and says when the next one falls due, so the scheduler can run it at
that moment (scheduler.jobs). After a downtime the first run catches up on everything due
meanwhile whose activity has not started, with the nearest offset only (one reminder, not two
at once).

Each reminder carries the answer buttons "I'm coming" / "I can't come after all"
(services.confirmations); a support person's has them for each citizen they booked.

An activity is reminded of once per start and offset. Someone who joins (or books a citizen)
after its reminders went out is not reminded too: the answer to their join just told them the
time and who else is going. Someone moved up from the waiting list then is
(`remind_late_comer`): the notice of their place does not say when and where.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.buttons.minimum import minutes
from kernel.buttons.needs import WhosComing
from kernel.buttons.reminders import MYSELF, Answer, ReminderAnswer
from kernel.context import Runtime
from kernel.texts import Markup, pick_language
from services import minimum, notices
from services.broadcasts import CAPTION_LIMIT
from services.unit_of_work import unit_of_work
from storage import outbox, reminders
from storage.activities import ActivityInfo
from storage.reminders import ReminderRecipient

log = logging.getLogger(__name__)

# (the reminder, its line about company, its line when no volunteer goes yet)
VOLUNTEER_KEYS = ("activity.reminder.text", "activity.reminder.company", "activity.reminder.alone")
SUPPORT_KEYS = ("bookings.reminder.text", "bookings.reminder.company", "bookings.reminder.alone")


def offsets(runtime: Runtime) -> list[timedelta]:
    """The configured reminder offsets, nearest the start first."""
    return sorted(timedelta(hours=hours) for hours in runtime.settings.reminder_offsets_hours)


def dedupe_key(
    activity: ActivityInfo, person: ReminderRecipient, lead: timedelta | None = None
) -> str:
    starts = activity.starts_at.isoformat() if activity.starts_at else ""
    ahead = f":{int(lead.total_seconds() // 60)}" if lead is not None else ""
    return f"reminder:{activity.id}:{person.person_id}:{starts}{ahead}"


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
            access=Markup(_access(runtime, activity, language)),
        )

    return render


def _access(runtime: Runtime, activity: ActivityInfo, language: str) -> str:
    """The activity's accessibility notes on a line of their own (nothing when none): about
    the place, never about anyone's needs."""
    if not activity.accessibility:
        return ""
    texts = runtime.texts
    notes = [texts.get(language, f"activity.access.{key}") for key in activity.accessibility]
    return texts.get(language, "activity.reminder.access", notes=", ".join(notes))


def _answers(
    runtime: Runtime, activity: ActivityInfo, person: ReminderRecipient, language: str
) -> dict[str, object] | None:
    """The one-tap answers: for a volunteer, about themselves; for a support person, a row per
    citizen booked. The start rides along, so a press after a move changes nothing."""
    if activity.starts_at is None:
        return None
    starts = minutes(activity.starts_at)
    texts = runtime.texts

    def button(label: str, answer: Answer, citizen_id: int) -> dict[str, str]:
        data = ReminderAnswer(answer, activity.id, citizen_id, starts).pack()
        return {"text": label, "callback_data": data}

    def row(citizen_id: int, name: str | None) -> list[dict[str, str]]:
        if name is None:
            coming = texts.plain(language, "reminder.button.coming")
            cant = texts.plain(language, "reminder.button.cant")
        else:
            coming = texts.plain(language, "reminder.button.citizen_coming", name=name)
            cant = texts.plain(language, "reminder.button.citizen_cant", name=name)
        return [button(coming, Answer.COMING, citizen_id), button(cant, Answer.CANT, citizen_id)]

    if person.going_as == reminders.SUPPORT:
        rows = [
            row(citizen_id, name)
            for citizen_id, name in zip(person.citizen_ids, person.citizens, strict=True)
        ]
    else:
        rows = [row(MYSELF, None)]
        if activity.citizens_booked:
            # The citizens' names and needs are drawn fresh on a press, never written here.
            who = texts.plain(language, "needs.who.button")
            rows.append([{"text": who, "callback_data": WhosComing(activity.id).pack()}])
    return {"inline_keyboard": rows}


@dataclass(frozen=True)
class Reminded:
    """What a run of the reminder job did, and when it should run next."""

    enqueued: int
    # When the next reminder falls due (None: none planned); reminders due already but held
    # back are looked at again by the job's periodic run.
    next_due: datetime | None


async def remind_due(runtime: Runtime) -> Reminded:
    """The scheduled job: enqueue the reminders of every activity whose reminder is due and
    not yet enqueued for its current start, and say when the next one falls due.

    With nothing due this is two small indexed queries; with some due, a handful more, however
    many activities and people: the reminders are written with one multi-row INSERT.
    """
    now = runtime.clock.now()
    leads = offsets(runtime)
    async with unit_of_work(runtime) as session:
        soon = await reminders.due_at_leads(session, now=now, leads=leads)
        # Below the minimum and not decided to go ahead: the coordinators are asked or it is
        # about to be cancelled (services.minimum); a reminder now would contradict that. It
        # stays unmarked, so a decision to go ahead is followed by the reminder.
        waiting = await minimum.held_back(session, [found for found, _ in soon]) if soon else set()
        owed: list[outbox.Owed] = []
        # Grouped by lead: one conditional UPDATE per lead due (mostly just one).
        for lead in leads:
            ready = [found for found, at in soon if at == lead and found.id not in waiting]
            if not ready:
                continue
            marked = await reminders.mark_reminded(session, ready, now=now, lead=lead)
            going = await reminders.recipients_of(session, [found.id for found in marked])
            owed += [
                message
                for activity in marked
                for message in _reminders(runtime, activity, going[activity.id], lead)
            ]
        enqueued = await outbox.enqueue_each(session, owed, kind=notices.REMINDER, now=now)
        upcoming = await reminders.next_due_at_leads(session, now=now, leads=leads)
    if enqueued:
        log.info("Reminders: %d enqueued", enqueued)
    return Reminded(enqueued, upcoming)


async def remind_late_comer(
    session: AsyncSession, runtime: Runtime, activity: ActivityInfo, telegram_id: int
) -> int:
    """In the unit of work that gave this person a place: when the activity's reminders went
    out already, their reminder is owed now (with the same dedupe key, so never twice);
    before that, the job reminds them with everyone else. Returns how many were owed."""
    lead = await reminders.reminded_lead(session, activity.id)
    if lead is None:
        return 0
    going = await reminders.recipients_of(session, [activity.id])
    theirs = [
        message
        for message in _reminders(runtime, activity, going[activity.id], lead)
        if message.to.chat_id == telegram_id
    ]
    return await outbox.enqueue_each(
        session, theirs, kind=notices.REMINDER, now=runtime.clock.now()
    )


async def remind(runtime: Runtime) -> int:
    """Enqueue a reminder for everyone going to an activity whose reminder is due (it starts
    within one of the offsets) and who was not reminded at that offset yet; returns how many."""
    return (await remind_due(runtime)).enqueued


def _reminders(
    runtime: Runtime, activity: ActivityInfo, going: list[ReminderRecipient], lead: timedelta
) -> list[outbox.Owed]:
    """Everyone going hears of this activity and who else goes, in their own language (the
    texts differ: each hears about the others)."""
    default = runtime.settings.default_language
    volunteers = [
        (other.person_id, other.first_name)
        for other in going
        if other.going_as == reminders.VOLUNTEER and other.first_name
    ]
    owed = []
    for person in going:
        others = [name for person_id, name in volunteers if person_id != person.person_id]
        render = _render(runtime, activity, others, person)
        language = pick_language(person.language, None, default)
        text = render(language)
        owed.append(
            outbox.Owed(
                outbox.Recipient(person.person_id, person.telegram_id, person.language),
                text,
                dedupe_key(activity, person, lead),
                _answers(runtime, activity, person, language),
                photo=_meeting_photo(activity, text),
            )
        )
    return owed


def _meeting_photo(activity: ActivityInfo, text: str) -> str | None:
    """The meeting point's photo goes with the reminder, which is then its caption; a
    reminder too long for a caption (a long list of names) goes as text alone, since a
    message split in two would be half-sent after a crash."""
    if activity.meeting_photo is None:
        return None
    visible = html.unescape(re.sub(r"<[^>]+>", "", text))
    return activity.meeting_photo if len(visible) <= CAPTION_LIMIT else None
