"""Calls for volunteers: an activity still below its minimum of volunteers `call_ahead_hours`
before it starts calls on the volunteers whose interests and free time match and who are not
on it, with a Join button and the first names of who is going ("Torsdagens café mangler én
frivillig. Du ville være sammen med Mette.").

Nobody is called more than `call_limit_per_week` times in seven days, nor twice to the same
activity, nor to one they left. The database chooses them (storage.confirmations), the calls
go into the outbox with one INSERT ... SELECT per language, and who was called is remembered
with one more, in the same unit of work. Coordinators see on the card how many were called
and how many of them joined, and can send the call themselves from there.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.buttons.activities import CARD, ActivityButton, Verb
from kernel.buttons.reminders import CallVolunteers, MeetingPhoto
from kernel.context import Runtime
from kernel.keyboards import shortened
from kernel.people import PersonInfo
from services import notices
from services.unit_of_work import unit_of_work
from storage import activities, confirmations, participation, reminders
from storage.activities import ActivityInfo
from storage.confirmations import Answers, Called

__all__ = [
    "CallVolunteers",
    "CardNotes",
    "MeetingPhoto",
    "Outcome",
    "Sent",
    "call_due",
    "call_now",
    "card_notes",
    "meeting_photo",
]

log = logging.getLogger(__name__)


def _render(runtime: Runtime, activity: ActivityInfo, names: tuple[str, ...]) -> notices.Render:
    missing = max((activity.min_volunteers or 0) - activity.volunteers_joined, 1)

    def render(language: str) -> str:
        texts = runtime.texts
        if names:
            company = texts.get(language, "call.company", names=texts.names(language, names))
        else:
            company = texts.get(language, "call.alone")
        return texts.get(
            language,
            "call.notice",
            title=activity.title or "",
            missing=missing,
            when=notices.when(runtime, activity, language),
            place=activity.place or texts.get(language, "common.not_given"),
            company=notices.Markup(company),
        )

    return render


def _join_button(runtime: Runtime, activity: ActivityInfo) -> notices.RenderKeyboard:
    def keyboard(language: str) -> dict[str, object]:
        label = runtime.texts.plain(language, "call.button", title=shortened(activity.title or ""))
        data = ActivityButton(Verb.JOIN, activity.id, activity.version, CARD).pack()
        return {"inline_keyboard": [[{"text": label, "callback_data": data}]]}

    return keyboard


async def _call(session: AsyncSession, runtime: Runtime, activity: ActivityInfo) -> int:
    """Call the matching volunteers within their weekly limit to this activity; returns how
    many were called."""
    now = runtime.clock.now()
    chosen = confirmations.callable_volunteers(
        activity,
        zone=runtime.settings.zone,
        now=now,
        limit=runtime.settings.call_limit_per_week,
    )
    if chosen is None:
        return 0
    going = (await participation.going(session, [activity.id])).get(activity.id)
    names = going.names if going else ()
    # The outbox first: remembering the calls changes who `chosen` selects.
    await notices.owe_selected(
        session,
        runtime,
        chosen,
        _render(runtime, activity, names),
        kind=notices.CALL_FOR_VOLUNTEERS,
        keyboard=_join_button(runtime, activity),
        dedupe_prefix=f"call:{activity.id}:",
    )
    return await confirmations.record_calls(session, chosen, activity.id, now)


async def call_due(runtime: Runtime) -> int:
    """The scheduled job: every activity starting within `call_ahead_hours` and still below
    its minimum calls on the volunteers it may; returns how many were called."""
    now = runtime.clock.now()
    ahead = timedelta(hours=runtime.settings.call_ahead_hours)
    called = 0
    async with unit_of_work(runtime) as session:
        for activity in await confirmations.short_soon(session, now=now, until=now + ahead):
            called += await _call(session, runtime, activity)
    if called:
        log.info("Calls for volunteers: %d enqueued", called)
    return called


class Outcome(enum.Enum):
    SENT = "sent"
    # Nobody left to call (all called, left, on it, or at their weekly limit).
    NOBODY = "nobody"
    NOT_SHORT = "not_short"
    GONE = "gone"
    REFUSED = "refused"


@dataclass(frozen=True)
class Sent:
    outcome: Outcome
    title: str = ""
    count: int = 0


async def call_now(runtime: Runtime, coordinator: PersonInfo | None, activity_id: int) -> Sent:
    """A coordinator sends the call from the card, to whoever the job would call."""
    if coordinator is None or not coordinator.is_coordinator:
        return Sent(Outcome.REFUSED)
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
        now = runtime.clock.now()
        if (
            activity is None
            or not activity.is_published
            or activity.starts_at is None
            or activity.starts_at <= now
        ):
            return Sent(Outcome.GONE)
        title = activity.title or ""
        if not activity.is_short:
            return Sent(Outcome.NOT_SHORT, title)
        count = await _call(session, runtime, activity)
        return Sent(Outcome.SENT if count else Outcome.NOBODY, title, count)


@dataclass(frozen=True)
class CardNotes:
    """What the coordinator's card shows of reminders and calls."""

    # None until the activity's reminders went out for its current start.
    answers: Answers | None
    called: Called


async def card_notes(runtime: Runtime, activity: ActivityInfo) -> CardNotes:
    """Who confirmed and who did not answer (once reminded), who was called and joined."""
    async with unit_of_work(runtime) as session:
        answers = None
        if activity.starts_at and await reminders.reminded_already(session, activity.id):
            answers = await confirmations.answers(session, activity.id, activity.starts_at)
        return CardNotes(answers, await confirmations.called(session, activity.id))


async def meeting_photo(runtime: Runtime, activity_id: int) -> tuple[str, str] | None:
    """The title and the photo of the meeting point (Telegram's file_id) of a published
    activity, for its card; None when it has none or is gone."""
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
    if activity is None or not activity.is_published or not activity.meeting_photo:
        return None
    return activity.title or "", activity.meeting_photo
