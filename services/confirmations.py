"""The one-tap answers under a reminder: "I'm coming" and "I can't come after all".

Coming is recorded for the start reminded of and shown to coordinators on the card. Can't
come frees the place in the same unit of work: the first waiting moves up and hears it
(services.participation), the others going hear it in one short message, and coordinators
hear of a late leave that takes the activity below its minimum. A support person answers per
citizen booked; can't come cancels that citizen's booking.

The buttons are never trusted: only the person the reminder was for, only while they (or
their citizen) still have the place, and only for the start reminded of.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.buttons.minimum import minutes
from kernel.buttons.reminders import MYSELF, Answer, CantComeReason, Reason, ReminderAnswer
from kernel.context import Runtime
from kernel.people import PersonInfo
from services import notices
from services.participation import tell_about_departure
from services.unit_of_work import unit_of_work
from storage import activities, bookings, confirmations, participation, people
from storage.activities import ActivityInfo
from storage.models import ParticipationStatus

__all__ = [
    "MYSELF",
    "REASON_KEYS",
    "Answer",
    "Answered",
    "CantComeReason",
    "Outcome",
    "Reason",
    "ReminderAnswer",
    "answer",
    "give_reason",
]

OTHERS_TOLD = "cant_come"

# The reasons someone could not come, as their buttons say them (and coordinators read them).
REASON_KEYS = {
    Reason.ILL: "reminder.button.ill",
    Reason.CLASH: "reminder.button.clash",
    Reason.TRANSPORT: "reminder.button.travel",
    Reason.OTHER: "reminder.button.other",
}


class Outcome(enum.Enum):
    COMING = "coming"
    CANT = "cant"
    # Not going (left, never joined, not their citizen): nothing changes.
    NOT_GOING = "not_going"
    # The activity has another start now than the one reminded of.
    MOVED = "moved"
    # Cancelled, started, or no longer there.
    GONE = "gone"


@dataclass(frozen=True)
class Answered:
    outcome: Outcome
    title: str = ""
    # The citizen answered for (a support person's answer), by first name.
    citizen: str | None = None
    # Whether to ask why (a volunteer's own can't come).
    ask_why: bool = False


async def answer(runtime: Runtime, person: PersonInfo, pressed: ReminderAnswer) -> Answered:
    """Record the answer pressed under a reminder, for the presser or their citizen."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, pressed.activity_id)
        if activity is None or not activity.is_published or activity.starts_at is None:
            return Answered(Outcome.GONE)
        title = activity.title or ""
        if activity.starts_at <= now:
            return Answered(Outcome.GONE, title)
        moved = minutes(activity.starts_at) != pressed.starts
        if pressed.citizen_id == MYSELF:
            if not await confirmations.is_going(session, activity.id, person.id):
                return Answered(Outcome.NOT_GOING, title)
            if moved:
                return Answered(Outcome.MOVED, title)
            if pressed.answer is Answer.COMING:
                await confirmations.confirm_volunteer(
                    session, activity.id, person.id, activity.starts_at
                )
                return Answered(Outcome.COMING, title)
            departure = await participation.leave(session, activity.id, person.id, now=now)
            # Never called to it again (services.calls).
            await confirmations.remember_left(session, activity.id, person.id, now)
            await tell_about_departure(session, runtime, departure)
            await _tell_the_others(session, runtime, activity, person)
            return Answered(Outcome.CANT, title, ask_why=departure.late)
        citizen = await confirmations.booked_citizen(
            session, activity.id, pressed.citizen_id, person.id
        )
        if citizen is None:
            return Answered(Outcome.NOT_GOING, title)
        if moved:
            return Answered(Outcome.MOVED, title)
        if pressed.answer is Answer.COMING:
            await confirmations.confirm_booking(
                session, activity.id, pressed.citizen_id, activity.starts_at
            )
            return Answered(Outcome.COMING, title, citizen)
        await bookings.cancel(session, activity.id, pressed.citizen_id, support_person_id=person.id)
        return Answered(Outcome.CANT, title, citizen)


async def _tell_the_others(
    session: AsyncSession, runtime: Runtime, activity: ActivityInfo, person: PersonInfo
) -> None:
    """The volunteers still going hear it in one short message (the reminder named them)."""
    going = [
        attendee.telegram_id
        for attendee in await activities.attendees(session, activity.id)
        if attendee.status == ParticipationStatus.JOINED
        and attendee.telegram_id != person.telegram_id
    ]
    starts = activity.starts_at.isoformat() if activity.starts_at else ""
    await notices.owe_many(
        session,
        runtime,
        going,
        notices.text(
            runtime,
            "reminder.others_told",
            name=participation.first_name(person.name),
            title=activity.title or "",
        ),
        kind=OTHERS_TOLD,
        dedupe_prefix=f"cant_come:{activity.id}:{person.id}:",
        dedupe_suffix=f":{starts}",
    )


async def give_reason(runtime: Runtime, person: PersonInfo, pressed: CantComeReason) -> bool:
    """Why they could not come, as a code on their late leave (never their words); the
    coordinators hear it. False when no late leave of theirs waits for a reason."""
    async with unit_of_work(runtime) as session:
        left = await participation.record_late_reason(session, person.id, pressed.reason.value)
        if left is None or left.id != pressed.activity_id:
            return left is not None
        reason_key = REASON_KEYS[pressed.reason]
        await notices.owe_many(
            session,
            runtime,
            [coordinator.telegram_id for coordinator in await people.coordinators(session)],
            lambda language: runtime.texts.get(
                language,
                "activity.admin.late_reason",
                name=person.name or "",
                title=left.title or "",
                reason=runtime.texts.plain(language, reason_key),
            ),
            kind=notices.LATE_LEAVE_REASON,
        )
        return True
