"""What coordinators do with activities: draft, change, publish, discard and cancel them.

Which activity a coordinator works on, and what for, is stored (a restart continues at the
same question). Each action is one unit of work: the change and the notices it causes (those
going hear of a change or a cancellation; matching volunteers hear of a new activity) commit
together, then the outbox sender is woken.

A weekly series is one activity a date. A coordinator changing or cancelling a date with later
dates chooses first: only this date, or this and the following. That choice is the stored
purpose (EDIT_ALL, CANCEL_ALL), so each answer afterwards goes to every later date still to
come too, each date with the same checks and notices as if it were changed on its own.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from kernel.context import Runtime
from kernel.people import PersonInfo
from services import audit, notices, reminders
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import activities, participation
from storage.activities import ACCESSIBILITY, ActivityInfo

log = logging.getLogger(__name__)

__all__ = [
    "ACCESSIBILITY",
    "ActivityInfo",
    "CancelReach",
    "Cancelled",
    "Draft",
    "Published",
    "Purpose",
    "Refusal",
    "announce",
    "announce_pending",
    "announce_published",
    "cancel",
    "cancel_reach",
    "current",
    "discard",
    "later_dates",
    "people_to_tell",
    "publish",
    "refusal",
    "save",
    "start_fresh",
    "stop",
    "take_up",
    "toggle_accessibility",
]


class Purpose(enum.Enum):
    """What a coordinator works on an activity for (the values are stored)."""

    CREATE = "create"
    EDIT = "edit"
    CANCEL = "cancel"
    # This date of a weekly series and every later one still to come (the column holds 10).
    EDIT_ALL = "edit_all"
    CANCEL_ALL = "cancel_all"

    @property
    def edits(self) -> bool:
        return self in (Purpose.EDIT, Purpose.EDIT_ALL)

    @property
    def cancels(self) -> bool:
        return self in (Purpose.CANCEL, Purpose.CANCEL_ALL)

    @property
    def following(self) -> bool:
        """Whatever is done goes to the later dates of the series too."""
        return self in (Purpose.EDIT_ALL, Purpose.CANCEL_ALL)


@dataclass(frozen=True)
class Refusal:
    """A date left as it was: the change does not fit it (`reason`, as plan.invalid keys)."""

    activity: ActivityInfo
    reason: str


@dataclass(frozen=True)
class Draft:
    """The activity a coordinator works on now, and what for."""

    activity: ActivityInfo
    purpose: Purpose
    # After a change with EDIT_ALL: the later dates changed too, and those left as they were.
    also_changed: tuple[ActivityInfo, ...] = ()
    refused: tuple[Refusal, ...] = ()

    @property
    def is_unpublished_draft(self) -> bool:
        """A new activity still being planned (not yet published)."""
        return self.purpose is Purpose.CREATE and self.activity.status == "draft"


@dataclass(frozen=True)
class Published:
    """A published activity: one per week of a series, and how many volunteers heard."""

    activities: list[ActivityInfo]
    told: int


@dataclass(frozen=True)
class Cancelled:
    """A cancelled activity and how many people heard of it; with the following dates of a
    series, `later` are those cancelled after it."""

    activity: ActivityInfo
    told: int
    later: tuple[ActivityInfo, ...] = ()


@dataclass(frozen=True)
class CancelReach:
    """What confirming a cancellation would do: the dates it cancels and whom it tells."""

    activity: ActivityInfo
    later: tuple[ActivityInfo, ...]
    people: int


async def current(runtime: Runtime, coordinator: PersonInfo) -> Draft | None:
    """The activity this coordinator works on, from the database (survives restarts)."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
    if found is None:
        return None
    activity, purpose = found
    return Draft(activity, Purpose(purpose))


async def start_fresh(runtime: Runtime, coordinator: PersonInfo) -> ActivityInfo:
    """Throw away this coordinator's unfinished draft, if any, and start a new one."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is not None and found[1] == Purpose.CREATE.value:
            await activities.discard_draft(session, found[0].id, by=coordinator.id)
        return await activities.start_draft(session, by=coordinator.id, now=runtime.clock.now())


async def later_dates(
    runtime: Runtime, coordinator: PersonInfo, activity_id: int
) -> list[ActivityInfo] | None:
    """The later dates still to come of a published activity's weekly series (empty for an
    activity of no series, or its last date): what 'this and the following' would reach.
    None when it is not published, or the person is no coordinator."""
    if not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
        if activity is None or not activity.is_published:
            return None
        return await activities.later_in_series(session, activity_id, now=runtime.clock.now())


async def take_up(
    runtime: Runtime, coordinator: PersonInfo, activity_id: int, purpose: Purpose
) -> ActivityInfo | None:
    """Start editing or cancelling a published activity (with EDIT_ALL or CANCEL_ALL, its later
    dates too); None when it is not published or the person is no coordinator."""
    if not coordinator.is_coordinator or purpose is Purpose.CREATE:
        return None
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, activity_id)
        if activity is None or not activity.is_published:
            return None
        await activities.set_editing(session, coordinator.id, activity.id, purpose.value)
        return activity


def refusal(activity: ActivityInfo, values: Mapping[str, object]) -> str | None:
    """Why `values` cannot go into this activity, or None: citizens already booked keep their
    seats (the coordinator cancels bookings first), and the fewest volunteers stay at most the
    most. The reasons are those of the planning questions' invalid answers."""
    seats = values.get("citizen_seats")
    if isinstance(seats, int) and seats < activity.citizens_booked:
        return "below_booked"
    fewest = values.get("min_volunteers", activity.min_volunteers)
    most = values.get("max_volunteers", activity.max_volunteers)
    if isinstance(fewest, int) and isinstance(most, int) and fewest > most:
        return "below_minimum" if "max_volunteers" in values else "above_maximum"
    return None


def _for_date(
    values: Mapping[str, object], date: ActivityInfo, zone: ZoneInfo
) -> dict[str, object]:
    """A change made to one date of a series, as it goes to another: a new time of day keeps
    that date's own day; everything else is copied."""
    start = values.get("starts_at")
    if not isinstance(start, datetime) or date.starts_at is None:
        return dict(values)
    day = date.starts_at.astimezone(zone).date()
    clock = start.astimezone(zone).time()
    moved = datetime.combine(day, clock, tzinfo=zone).astimezone(start.tzinfo)
    return {**values, "starts_at": moved}


async def save(runtime: Runtime, coordinator: PersonInfo, **values: object) -> Draft | None:
    """Store answers to the activity being worked on; those going hear of a visible change
    to a published activity. With EDIT_ALL the later dates of its series get the change too,
    each checked on its own (a date it does not fit is left as it was, in `refused`) and its
    people told what changed for their date. None when the activity is gone (discarded or
    cancelled) or the person is no coordinator."""
    if not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is None:
            return None
        before, purpose = found[0], Purpose(found[1])
        now = runtime.clock.now()
        reason = refusal(before, values) if purpose.edits else None
        if reason is not None:
            # A colleague's booking came in between the question and the answer.
            return Draft(before, purpose, refused=(Refusal(before, reason),))
        later = []
        if purpose is Purpose.EDIT_ALL:
            later = await activities.later_in_series(session, before.id, now=now)
        changed = await _change(session, runtime, coordinator, before, purpose, values)
        if changed is None:
            return None
        also: list[ActivityInfo] = []
        refused: list[Refusal] = []
        for date in later:
            moved = _for_date(values, date, runtime.settings.zone)
            reason = refusal(date, moved)
            start = moved.get("starts_at")
            if reason is None and isinstance(start, datetime) and start <= now:
                reason = "in_the_past"
            if reason is not None:
                refused.append(Refusal(date, reason))
                continue
            done = await _change(session, runtime, coordinator, date, purpose, moved)
            if done is not None:
                also.append(done)
        return Draft(changed, purpose, tuple(also), tuple(refused))


async def _change(
    session: AsyncSession,
    runtime: Runtime,
    coordinator: PersonInfo,
    before: ActivityInfo,
    purpose: Purpose,
    values: Mapping[str, object],
) -> ActivityInfo | None:
    """One date changed: its people hear what changed, and a raised maximum moves those
    waiting up."""
    changed = await activities.change(
        session, before.id, by=coordinator.id, now=runtime.clock.now(), **values
    )
    if changed is None:
        return None
    if purpose.edits and changed.version != before.version:
        await audit.record(
            session,
            coordinator.id,
            AuditAction.ACTIVITY_CHANGED,
            activity_id=changed.id,
            runtime=runtime,
        )
        await notices.activity_changed(session, runtime, before, changed)
        changed = await _give_new_places(session, runtime, changed)
    return changed


async def _give_new_places(
    session: AsyncSession, runtime: Runtime, activity: ActivityInfo
) -> ActivityInfo:
    """A raised maximum frees places: those waiting move up, in order, and are told."""
    if not activity.is_published:
        return activity
    moved_up = await participation.fill_from_waiting_list(
        session, activity.id, now=runtime.clock.now()
    )
    if not moved_up:
        return activity
    now_full = await activities.find(session, activity.id)
    assert now_full is not None
    for attendee in moved_up:
        await notices.moved_up(session, runtime, attendee, now_full)
        await reminders.remind_late_comer(session, runtime, now_full, attendee.telegram_id)
    return now_full


async def toggle_accessibility(
    runtime: Runtime, coordinator: PersonInfo, key: str
) -> ActivityInfo | None:
    """Switch one accessibility note of the activity being worked on (with EDIT_ALL, the
    later dates of its series get the same notes); None when it is gone, `key` is no
    accessibility note, or the person is no coordinator."""
    if key not in ACCESSIBILITY or not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is None:
            return None
        now = runtime.clock.now()
        toggled = await activities.toggle_accessibility(
            session, found[0].id, key, by=coordinator.id, now=now
        )
        if toggled is not None and found[1] == Purpose.EDIT_ALL.value:
            for date in await activities.later_in_series(session, toggled.id, now=now):
                await activities.set_accessibility(
                    session, date.id, toggled.accessibility, by=coordinator.id, now=now
                )
        return toggled


async def publish(runtime: Runtime, coordinator: PersonInfo, draft_id: int) -> Published:
    """Publish a complete draft (a weekly series becomes one activity a week); matching
    volunteers hear of it. No activities when it was no longer a draft.

    The coordinator's transaction only publishes and counts whom it will tell; once the
    coordinator was answered, `announce_published` writes the notices in a unit of work of
    its own, so the reply does not wait for thousands of rows. The activity is committed
    marked as still to announce: if the process dies before the notices are written,
    `announce_pending` (a scheduled job) writes them after the restart, once. Nothing is
    published by someone who is no coordinator."""
    if not coordinator.is_coordinator:
        return Published([], 0)
    async with unit_of_work(runtime) as session:
        published = await activities.publish(
            session,
            draft_id,
            by=coordinator.id,
            now=runtime.clock.now(),
            zone=runtime.settings.zone,
            announce=True,
        )
        for activity in published:
            await audit.record(
                session,
                coordinator.id,
                AuditAction.ACTIVITY_CREATED,
                activity_id=activity.id,
                runtime=runtime,
            )
        told = await notices.audience_size(session, runtime, published[0]) if published else 0
    return Published(published, told)


async def announce_published(runtime: Runtime, published: Published) -> int:
    """Right after the coordinator was answered: tell the matching volunteers of what was
    just published (see `announce`); returns how many were told."""
    if not published.activities:
        return 0
    return await announce(runtime, published.activities[0].id)


async def announce(runtime: Runtime, activity_id: int) -> int:
    """Tell the matching volunteers of a newly published activity, unless that was done
    already; returns how many were told. One unit of work: the activity's mark is taken
    off together with writing the notices, so they are written exactly once."""
    try:
        async with unit_of_work(runtime) as session:
            first = await activities.claim_announcement(session, activity_id)
            if first is None:
                return 0
            dates = await activities.series_size(session, first.series_id)
            return await notices.announce(session, runtime, first, dates=dates)
    except Exception:
        # The mark stays on the activity, so the scheduled job tries again.
        log.exception("announcing activity %s failed; will try again", activity_id)
        return 0


async def announce_pending(runtime: Runtime) -> int:
    """Announce every published activity still marked as not announced (after a restart,
    or when the announcement right after publishing failed); returns how many were told."""
    async with unit_of_work(runtime) as session:
        pending = await activities.announcements_pending(session)
    told = 0
    for activity_id in pending:
        told += await announce(runtime, activity_id)
    return told


async def discard(runtime: Runtime, coordinator: PersonInfo) -> None:
    """Throw away the draft this coordinator works on (a published activity is kept)."""
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is not None and found[0].status == "draft":
            await activities.discard_draft(session, found[0].id, by=coordinator.id)


async def stop(runtime: Runtime, coordinator: PersonInfo) -> None:
    """The coordinator no longer works on any activity (its changes are already saved)."""
    async with unit_of_work(runtime) as session:
        await activities.stop_editing(session, coordinator.id)


async def people_to_tell(runtime: Runtime, activity_id: int) -> int:
    """How many people a change to or cancellation of this activity reaches."""
    async with unit_of_work(runtime) as session:
        return await notices.people_to_tell(session, activity_id)


async def cancel_reach(runtime: Runtime, coordinator: PersonInfo) -> CancelReach | None:
    """What the cancellation this coordinator is asked to confirm would cancel (with
    CANCEL_ALL, the later dates too) and how many people it tells; None when they cancel
    nothing."""
    if not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        found = await activities.editing(session, coordinator.id)
        if found is None or not Purpose(found[1]).cancels or not found[0].is_published:
            return None
        activity, purpose = found[0], Purpose(found[1])
        later = []
        if purpose.following:
            later = await activities.later_in_series(session, activity.id, now=runtime.clock.now())
        people = 0
        for date in (activity, *later):
            people += await notices.people_to_tell(session, date.id)
        return CancelReach(activity, tuple(later), people)


async def cancel(
    runtime: Runtime,
    coordinator: PersonInfo,
    activity_id: int,
    reason: str,
    *,
    following: bool = False,
) -> Cancelled | None:
    """Cancel a published activity (`following`: and the later dates of its weekly series
    still to come); everyone going, waiting or with citizens booked hears why, for each of
    their dates. None when it was no longer published (cancelled by a colleague meanwhile),
    or the person is no coordinator."""
    if not coordinator.is_coordinator:
        return None
    async with unit_of_work(runtime) as session:
        now = runtime.clock.now()
        later = []
        if following:
            later = await activities.later_in_series(session, activity_id, now=now)
        cancelled = await _cancel_one(session, runtime, coordinator, activity_id, reason)
        if cancelled is None:
            return None
        activity, told = cancelled
        also: list[ActivityInfo] = []
        for date in later:
            done = await _cancel_one(session, runtime, coordinator, date.id, reason)
            if done is not None:
                also.append(done[0])
                told += done[1]
        return Cancelled(activity, told, tuple(also))


async def _cancel_one(
    session: AsyncSession,
    runtime: Runtime,
    coordinator: PersonInfo,
    activity_id: int,
    reason: str,
) -> tuple[ActivityInfo, int] | None:
    cancelled = await activities.cancel(
        session, activity_id, by=coordinator.id, reason=reason, now=runtime.clock.now()
    )
    if cancelled is None:
        return None
    activity, attendees = cancelled
    await audit.record(
        session,
        coordinator.id,
        AuditAction.ACTIVITY_CANCELLED,
        activity_id=activity.id,
        runtime=runtime,
    )
    told = await notices.activity_cancelled(session, runtime, activity, attendees, reason=reason)
    return activity, told
