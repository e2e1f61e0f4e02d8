"""Messages to people other than the one who wrote: rendered in the recipient's language and
written into the outbox, inside the caller's transaction.

The caller commits the change and the messages together, then calls
`scheduler.outbox.deliver_now`; the outbox sender does the sending. Nothing here talks to
Telegram, so a crash after the commit loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.buttons.activities import CARD, ActivityButton, Verb
from kernel.context import Runtime
from kernel.keyboards import shortened
from kernel.texts import LANGUAGES, Markup, pick_language
from kernel.when import format_time_range, format_when
from storage import activities, bookings, outbox, people, volunteers
from storage.activities import ActivityInfo, Attendee
from storage.models import ParticipationStatus

# Kinds say what a row was for, in the audit, without saying anything about the person.
MOVED_UP = "moved_up"
ACTIVITY_CHANGED = "activity_changed"
ACTIVITY_CANCELLED = "activity_cancelled"
COMPANY_JOINED = "company_joined"
NEW_ACTIVITY = "new_activity"
LATE_LEAVE_WARNING = "late_leave_warning"
LATE_LEAVE_REASON = "late_leave_reason"
REMINDER = "reminder"
FOLLOW_UP = "follow_up"
SHORTFALL = "shortfall"
MINIMUM_QUESTION = "minimum_question"
MINIMUM_DECIDED = "minimum_decided"
GOING_AHEAD = "going_ahead"
CALL_FOR_VOLUNTEERS = "call_for_volunteers"

Render = Callable[[str], str]
# A keyboard whose labels are in the recipient's language, as Telegram's JSON.
RenderKeyboard = Callable[[str], dict[str, object]]


async def owe(
    session: AsyncSession,
    runtime: Runtime,
    telegram_id: int,
    render: Render,
    *,
    kind: str,
    keyboard: RenderKeyboard | None = None,
    dedupe_key: str | None = None,
) -> bool:
    """Enqueue `render(language)` (with `keyboard(language)`) for the person with this
    Telegram id, in their language.

    False if they are not stored (erased meanwhile) or the dedupe key was used before.
    """
    to = await outbox.recipient(session, telegram_id)
    if to is None:
        return False
    language = pick_language(to.language, None, runtime.settings.default_language)
    return await outbox.enqueue(
        session,
        to,
        kind=kind,
        text=render(language),
        now=runtime.clock.now(),
        keyboard=keyboard(language) if keyboard else None,
        dedupe_key=dedupe_key,
    )


async def owe_many(
    session: AsyncSession,
    runtime: Runtime,
    telegram_ids: Sequence[int],
    render: Render,
    *,
    kind: str,
    keyboard: RenderKeyboard | None = None,
    dedupe_prefix: str | None = None,
    dedupe_suffix: str = "",
) -> int:
    """`owe` for many people at once: each language rendered once, one INSERT ... SELECT
    per language, not two statements a person. Those not stored (erased meanwhile) are
    skipped; with `dedupe_prefix`, each person's key is prefix, Telegram id, suffix, and a
    key used before is skipped. Returns how many were owed."""
    if not telegram_ids:
        return 0
    return await _owe_selected(
        session,
        runtime,
        outbox.recipients_among(telegram_ids),
        render,
        kind=kind,
        keyboard=keyboard,
        dedupe_prefix=dedupe_prefix,
        dedupe_suffix=dedupe_suffix,
    )


async def owe_selected(
    session: AsyncSession,
    runtime: Runtime,
    chosen: Select[int, int, str | None],
    render: Render,
    *,
    kind: str,
    keyboard: RenderKeyboard | None = None,
    dedupe_prefix: str | None = None,
    dedupe_suffix: str = "",
) -> int:
    """`owe_many` for people the database chooses (person id, Telegram id, language): one
    INSERT ... SELECT per language, nobody loaded one by one. Returns how many were owed."""
    return await _owe_selected(
        session,
        runtime,
        chosen,
        render,
        kind=kind,
        keyboard=keyboard,
        dedupe_prefix=dedupe_prefix,
        dedupe_suffix=dedupe_suffix,
    )


async def _owe_selected(
    session: AsyncSession,
    runtime: Runtime,
    chosen: Select[int, int, str | None],
    render: Render,
    *,
    kind: str,
    keyboard: RenderKeyboard | None,
    dedupe_prefix: str | None,
    dedupe_suffix: str = "",
) -> int:
    owed = 0
    for language in LANGUAGES:
        readers = outbox.reading(
            chosen,
            language,
            default=runtime.settings.default_language,
            dedupe_prefix=dedupe_prefix,
            dedupe_suffix=dedupe_suffix,
        )
        owed += await outbox.enqueue_many(
            session,
            readers,
            kind=kind,
            text=render(language),
            keyboard=keyboard(language) if keyboard else None,
            now=runtime.clock.now(),
        )
    return owed


def text(runtime: Runtime, key: str, /, **values: object) -> Render:
    """The catalogue text `key`, in whichever language the recipient reads."""
    return lambda language: runtime.texts.get(language, key, **values)


def when(runtime: Runtime, activity: ActivityInfo, language: str) -> str:
    """When an activity is, as the recipient reads times (the activity cards' format)."""
    zone = runtime.settings.zone
    if activity.starts_at is None:
        return runtime.texts.get(language, "common.not_given")
    if activity.duration_minutes:
        return format_time_range(activity.starts_at, activity.duration_minutes, language, zone)
    return format_when(activity.starts_at, language, zone)


async def moved_up(
    session: AsyncSession, runtime: Runtime, attendee: Attendee, activity: ActivityInfo
) -> None:
    """A place freed up and went to this person, who waited for it."""
    await owe(
        session,
        runtime,
        attendee.telegram_id,
        text(runtime, "activity.moved_up", title=activity.title or ""),
        kind=MOVED_UP,
    )


async def activity_changed(
    session: AsyncSession, runtime: Runtime, before: ActivityInfo, activity: ActivityInfo
) -> int:
    """Everyone joined or waiting, and every support person with citizens booked, hears what
    changed (the time, the place, the title: old and new); returns how many."""

    def changes(language: str) -> Markup:
        return Markup("\n".join(_changes(runtime, before, activity, language)))

    everyone = await activities.attendees(session, activity.id)
    await owe_many(
        session,
        runtime,
        [attendee.telegram_id for attendee in everyone],
        lambda language: runtime.texts.get(
            language,
            "activity.changed_notice",
            title=activity.title or "",
            date=_series_date(runtime, activity, language),
            changes=changes(language),
        ),
        kind=ACTIVITY_CHANGED,
    )
    contacts = await bookings.support_contacts(session, activity.id)
    for contact in contacts:
        await owe(
            session,
            runtime,
            contact.telegram_id,
            _booked_changed(runtime, activity, contact.citizens, changes),
            kind=ACTIVITY_CHANGED,
        )
    return len(everyone) + len(contacts)


async def people_to_tell(session: AsyncSession, activity_id: int) -> int:
    """How many people a change to or cancellation of this activity reaches."""
    attendees = await activities.attendees(session, activity_id)
    return len(attendees) + len(await bookings.support_contacts(session, activity_id))


def _booked_changed(
    runtime: Runtime,
    activity: ActivityInfo,
    citizens: Sequence[str],
    changes: Callable[[str], Markup],
) -> Render:
    """The support person's notice: their citizens booked, and what changed."""
    return lambda language: runtime.texts.get(
        language,
        "bookings.changed_notice",
        title=activity.title or "",
        date=_series_date(runtime, activity, language),
        names=runtime.texts.names(language, citizens),
        changes=changes(language),
    )


def _series_date(runtime: Runtime, activity: ActivityInfo, language: str) -> Markup:
    """Which date of a weekly series a notice is about (its dates share the title); nothing
    for a single activity."""
    if activity.series_id is None:
        return Markup("")
    return Markup(
        runtime.texts.get(language, "activity.change.date", when=when(runtime, activity, language))
    )


def _changes(
    runtime: Runtime, before: ActivityInfo, after: ActivityInfo, language: str
) -> list[str]:
    """One line per change people would act on, old and new; the rest is on the card."""
    texts = runtime.texts
    lines = []
    if before.title != after.title:
        lines.append(
            texts.get(
                language, "activity.change.title", old=before.title or "", new=after.title or ""
            )
        )
    old_when, new_when = when(runtime, before, language), when(runtime, after, language)
    if old_when != new_when:
        lines.append(texts.get(language, "activity.change.when", old=old_when, new=new_when))
    if before.place != after.place:
        not_given = texts.get(language, "common.not_given")
        lines.append(
            texts.get(
                language,
                "activity.change.place",
                old=before.place or not_given,
                new=after.place or not_given,
            )
        )
    return lines or [texts.get(language, "activity.change.details")]


async def activity_cancelled(
    session: AsyncSession,
    runtime: Runtime,
    activity: ActivityInfo,
    attendees: list[Attendee],
    reason: str | Render,
) -> int:
    """Everyone who joined or waited, and every support person with citizens booked, hears
    of the cancellation and its reason (a coordinator's words, or a catalogue text rendered
    in each recipient's language); returns how many."""

    def render(language: str, key: str = "activity.cancelled_notice", names: str = "") -> str:
        return runtime.texts.get(
            language,
            key,
            title=activity.title or "",
            when=when(runtime, activity, language),
            reason=reason if isinstance(reason, str) else reason(language),
            names=names,
        )

    def render_booked(citizens: Sequence[str]) -> Render:
        """The support person's notice, naming their citizens who were booked."""
        return lambda language: render(
            language, "bookings.cancelled_notice", runtime.texts.names(language, citizens)
        )

    await owe_many(
        session,
        runtime,
        [attendee.telegram_id for attendee in attendees],
        render,
        kind=ACTIVITY_CANCELLED,
    )
    contacts = await bookings.support_contacts(session, activity.id)
    for contact in contacts:
        await owe(
            session,
            runtime,
            contact.telegram_id,
            render_booked(contact.citizens),
            kind=ACTIVITY_CANCELLED,
        )
    return len(attendees) + len(contacts)


async def company_joined(
    session: AsyncSession, runtime: Runtime, activity_id: int, *, newcomer: int, first_name: str
) -> None:
    """Company is why volunteers come: those already going hear who joins them."""
    activity = await activities.find(session, activity_id)
    if activity is None:
        return
    today = runtime.clock.now().astimezone(runtime.settings.zone).date().isoformat()
    going = [
        attendee.telegram_id
        for attendee in await activities.attendees(session, activity_id)
        if attendee.status == ParticipationStatus.JOINED and attendee.telegram_id != newcomer
    ]
    await owe_many(
        session,
        runtime,
        going,
        text(runtime, "activity.joined.notice", name=first_name, title=activity.title or ""),
        kind=COMPANY_JOINED,
        # At most one a day per person and activity: in a group of 40, a notice per join
        # would be 1,600 messages. The reminder names everyone going anyway.
        dedupe_prefix=f"company:{activity_id}:",
        dedupe_suffix=f":{today}",
    )


async def coordinators(
    session: AsyncSession, runtime: Runtime, key: str, /, *, kind: str, **values: object
) -> None:
    """Every coordinator hears it: the work must not hang on one person."""
    everyone = [coordinator.telegram_id for coordinator in await people.coordinators(session)]
    await owe_many(session, runtime, everyone, text(runtime, key, **values), kind=kind)


async def new_activity(
    session: AsyncSession, runtime: Runtime, published: list[ActivityInfo]
) -> int:
    """Volunteers whose interests and free time match hear of a newly published activity
    (of a weekly series, its first date), with a button to join it; returns how many."""
    if not published:
        return 0
    return await announce(session, runtime, published[0], dates=len(published))


async def audience_size(session: AsyncSession, runtime: Runtime, activity: ActivityInfo) -> int:
    """How many volunteers `announce` would tell of this activity (counted by the database)."""
    return await volunteers.audience_size(
        session, activity.id, activity.interest_id, activity.starts_at, zone=runtime.settings.zone
    )


async def announce(
    session: AsyncSession, runtime: Runtime, first: ActivityInfo, *, dates: int = 1
) -> int:
    """Tell the volunteers whose interests and free time match of a new activity (`dates`:
    how many weeks its series has), with a button to join it; returns how many were told.

    The database chooses them, and the notices go into the outbox with one INSERT ... SELECT
    per language, each language rendered once. Everyone's dedupe key names the activity and
    the person, so running this again for the same activity tells nobody twice.
    """
    chosen = volunteers.audience(
        first.id, first.interest_id, first.starts_at, zone=runtime.settings.zone
    )
    if chosen is None:
        return 0

    def render(language: str) -> str:
        series = (
            runtime.texts.get(language, "activity.new.series", count=dates) if dates > 1 else ""
        )
        return runtime.texts.get(
            language,
            "activity.new.notice",
            title=first.title or "",
            when=when(runtime, first, language),
            place=first.place or runtime.texts.get(language, "common.not_given"),
            series=series,
        )

    def join_button(language: str) -> dict[str, object]:
        title = shortened(first.title or "")
        label = runtime.texts.plain(language, "activity.button.join", title=title)
        data = ActivityButton(Verb.JOIN, first.id, first.version, CARD).pack()
        return {"inline_keyboard": [[{"text": label, "callback_data": data}]]}

    return await _owe_selected(
        session,
        runtime,
        chosen,
        render,
        kind=NEW_ACTIVITY,
        keyboard=join_button,
        dedupe_prefix=f"new_activity:{first.id}:",
    )
