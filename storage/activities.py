"""Group activities as coordinators plan them: drafts, editing, publishing, cancelling."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, ActivityEdit, ActivityStatus, Participation, Person
from storage.snapshots import snapshot

ACCESSIBILITY = (
    "step_free",
    "toilet",
    "quiet_room",
    "hearing_loop",
    "parking",
    "seating",
    "companion",  # a seat for a citizen's companion (issue 14)
)
# Fields a coordinator answers, in the order /new_activity asks them.
EDITABLE = frozenset(
    {
        "title",
        "description",
        "interest_id",
        "place",
        "latitude",
        "longitude",
        "location_answered",
        "starts_at",
        "duration_minutes",
        "citizen_seats",
        "min_volunteers",
        "max_volunteers",
        "accessibility_answered",
        "repeat_weeks",
        "meeting_photo",
    }
)
# Changes that make an earlier shown card (and its buttons) out of date for volunteers.
# A new photo of the meeting point tells nobody (the reminder shows it).
VISIBLE = EDITABLE - {
    "location_answered",
    "accessibility_answered",
    "repeat_weeks",
    "meeting_photo",
}


@dataclass(frozen=True)
class ActivityInfo:
    """An activity as handlers see it: a snapshot, never a live ORM object."""

    id: int
    status: str
    title: str | None
    description: str | None
    interest_id: int | None
    place: str | None
    latitude: float | None
    longitude: float | None
    location_answered: bool
    starts_at: datetime | None
    duration_minutes: int | None
    citizen_seats: int | None
    min_volunteers: int | None
    max_volunteers: int | None
    accessibility: tuple[str, ...]
    accessibility_answered: bool
    repeat_weeks: int | None
    series_id: str | None
    volunteers_joined: int
    citizens_booked: int
    version: int
    cancel_reason: str | None
    created_by: int | None
    updated_by: int | None
    # A photo of the meeting point (Telegram's file_id), shown on the card and in reminders.
    meeting_photo: str | None = None

    @property
    def is_published(self) -> bool:
        return self.status == ActivityStatus.PUBLISHED

    @property
    def is_full(self) -> bool:
        return self.volunteers_joined >= (self.max_volunteers or 0)

    @property
    def is_short(self) -> bool:
        """Fewer volunteers than the minimum the activity needs to go ahead."""
        return self.volunteers_joined < (self.min_volunteers or 0)

    @property
    def seats_left(self) -> int:
        return max(0, (self.citizen_seats or 0) - self.citizens_booked)

    @property
    def ends_at(self) -> datetime | None:
        if self.starts_at is None or self.duration_minutes is None:
            return None
        return self.starts_at + timedelta(minutes=self.duration_minutes)


def to_info(activity: Activity) -> ActivityInfo:
    return snapshot(ActivityInfo, activity, accessibility=tuple(activity.accessibility or ()))


async def _load(session: AsyncSession, activity_id: int) -> Activity | None:
    result = await session.execute(
        select(Activity).where(Activity.id == activity_id).execution_options(populate_existing=True)
    )
    return result.scalar_one_or_none()


async def find(session: AsyncSession, activity_id: int) -> ActivityInfo | None:
    activity = await _load(session, activity_id)
    return to_info(activity) if activity else None


# --- What a coordinator is working on ---------------------------------------------------------


async def start_draft(session: AsyncSession, *, by: int, now: datetime) -> ActivityInfo:
    """A new, empty draft; the coordinator's answers fill it one by one."""
    activity = Activity(
        status=ActivityStatus.DRAFT,
        created_by=by,
        updated_by=by,
        created_at=now,
        updated_at=now,
        location_answered=False,
        accessibility_answered=False,
        volunteers_joined=0,
        citizens_booked=0,
        version=1,
    )
    session.add(activity)
    await session.flush()
    await set_editing(session, by, activity.id, "create")
    return to_info(activity)


async def set_editing(
    session: AsyncSession, person_id: int, activity_id: int, purpose: str
) -> None:
    """Remember which activity this coordinator works on, so a restart keeps it."""
    await session.execute(delete(ActivityEdit).where(ActivityEdit.person_id == person_id))
    session.add(ActivityEdit(person_id=person_id, activity_id=activity_id, purpose=purpose))
    await session.flush()


async def editing(session: AsyncSession, person_id: int) -> tuple[ActivityInfo, str] | None:
    """The activity this coordinator works on now, and what for ("create", "edit", "cancel")."""
    edit = await session.get(ActivityEdit, person_id)
    if edit is None:
        return None
    activity = await _load(session, edit.activity_id)
    if activity is None:
        return None
    return to_info(activity), edit.purpose


async def stop_editing(session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(ActivityEdit).where(ActivityEdit.person_id == person_id))


async def change(
    session: AsyncSession, activity_id: int, *, by: int, now: datetime, **values: object
) -> ActivityInfo | None:
    """Set answered fields; a visible change to a published activity bumps its version.

    None when the activity is gone or was cancelled meanwhile (by another coordinator).
    """
    unknown = set(values) - EDITABLE
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    activity = await _load(session, activity_id)
    if activity is None or activity.status == ActivityStatus.CANCELLED:
        return None
    for name, value in values.items():
        setattr(activity, name, value)
    activity.updated_by = by
    activity.updated_at = now
    if activity.status == ActivityStatus.PUBLISHED and VISIBLE & set(values):
        activity.version += 1
    await session.flush()
    return to_info(activity)


async def toggle_accessibility(
    session: AsyncSession, activity_id: int, key: str, *, by: int, now: datetime
) -> ActivityInfo | None:
    if key not in ACCESSIBILITY:
        raise ValueError(f"unknown accessibility note {key!r}")
    activity = await _load(session, activity_id)
    if activity is None or activity.status == ActivityStatus.CANCELLED:
        return None
    notes = set(activity.accessibility or ()) ^ {key}
    return await set_accessibility(session, activity_id, tuple(notes), by=by, now=now)


def weekly_starts(first: datetime, weeks: int, zone: ZoneInfo) -> list[datetime]:
    """The same wall-clock time each week, across daylight-saving changes, in UTC."""
    local = first.astimezone(zone)
    starts = []
    for week in range(weeks):
        day = local.date() + timedelta(weeks=week)
        wall = datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)
        starts.append(wall.astimezone(first.tzinfo))
    return starts


async def publish(
    session: AsyncSession,
    activity_id: int,
    *,
    by: int,
    now: datetime,
    zone: ZoneInfo,
    announce: bool = False,
) -> list[ActivityInfo]:
    """Publish a complete draft; a weekly series becomes one activity per week. `announce`:
    mark it as still to be announced to the volunteers who match (see claim_announcement);
    seeding and tests publish without telling anyone."""
    draft = await _load(session, activity_id)
    if draft is None or draft.status != ActivityStatus.DRAFT or draft.starts_at is None:
        return []
    weeks = max(1, draft.repeat_weeks or 1)
    starts = weekly_starts(draft.starts_at, weeks, zone)
    series = str(uuid.uuid4()) if weeks > 1 else None
    draft.status = ActivityStatus.PUBLISHED
    draft.series_id = series
    # The matching volunteers are told after this commits (see claim_announcement).
    draft.announce_pending = announce
    draft.updated_by = by
    draft.updated_at = now
    published = [draft]
    copied = {name: getattr(draft, name) for name in EDITABLE | {"accessibility"}}
    for start in starts[1:]:
        copy = Activity(**{**copied, "starts_at": start})
        copy.status = ActivityStatus.PUBLISHED
        copy.series_id = series
        copy.created_by = draft.created_by
        copy.updated_by = by
        copy.created_at = now
        copy.updated_at = now
        copy.volunteers_joined = 0
        copy.citizens_booked = 0
        copy.version = 1
        session.add(copy)
        published.append(copy)
    await session.flush()
    await stop_editing(session, by)
    return [to_info(activity) for activity in published]


async def discard_draft(session: AsyncSession, activity_id: int, *, by: int) -> None:
    await session.execute(
        delete(Activity).where(Activity.id == activity_id, Activity.status == ActivityStatus.DRAFT)
    )
    await stop_editing(session, by)


@dataclass(frozen=True)
class Attendee:
    """Someone to tell about an activity: enough to write to them in their language."""

    telegram_id: int
    language: str | None
    status: str


async def cancel(
    session: AsyncSession, activity_id: int, *, by: int | None, reason: str, now: datetime
) -> tuple[ActivityInfo, list[Attendee]] | None:
    """Cancel a published activity; returns who joined or waited, to be told. `by` is None
    when nobody cancelled it by hand (no coordinator answered in time)."""
    result = await session.execute(
        update(Activity)
        .where(Activity.id == activity_id, Activity.status == ActivityStatus.PUBLISHED)
        .values(
            status=ActivityStatus.CANCELLED,
            cancel_reason=reason,
            updated_by=by,
            updated_at=now,
            version=Activity.version + 1,
        )
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    everyone = await attendees(session, activity_id)
    if by is not None:
        # Only their work on this activity ends: a draft of another one stays theirs.
        await session.execute(
            delete(ActivityEdit).where(
                ActivityEdit.person_id == by, ActivityEdit.activity_id == activity_id
            )
        )
    activity = await _load(session, activity_id)
    assert activity is not None
    return to_info(activity), everyone


async def attendees(session: AsyncSession, activity_id: int) -> list[Attendee]:
    """Everyone who joined or waits for an activity, in the order they came."""
    rows = await session.execute(
        select(Person.telegram_id, Person.language, Participation.status)
        .join(Participation, Participation.person_id == Person.id)
        .where(Participation.activity_id == activity_id)
        .order_by(Participation.id)
    )
    return [Attendee(telegram_id, language, status) for telegram_id, language, status in rows]


async def upcoming(session: AsyncSession, *, now: datetime) -> list[ActivityInfo]:
    """Published activities that have not started yet, soonest first."""
    result = await session.execute(
        select(Activity)
        .where(Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now)
        .order_by(Activity.starts_at, Activity.id)
    )
    return [to_info(activity) for activity in result.scalars()]


def _upcoming(now: datetime) -> list[ColumnElement[bool]]:
    return [Activity.status == ActivityStatus.PUBLISHED, Activity.starts_at > now]


async def upcoming_count(session: AsyncSession, *, now: datetime) -> int:
    """How many published activities have not started yet, counted by the database."""
    found = await session.scalar(select(func.count()).select_from(Activity).where(*_upcoming(now)))
    return found or 0


async def upcoming_page(
    session: AsyncSession, *, now: datetime, offset: int, limit: int
) -> list[ActivityInfo]:
    """One page of `upcoming`: only the rows shown are read."""
    result = await session.execute(
        select(Activity)
        .where(*_upcoming(now))
        .order_by(Activity.starts_at, Activity.id)
        .offset(offset)
        .limit(limit)
    )
    return [to_info(activity) for activity in result.scalars()]


async def announcements_pending(session: AsyncSession) -> list[int]:
    """Published activities whose matching volunteers were not told yet."""
    found = await session.scalars(
        select(Activity.id).where(
            Activity.announce_pending.is_(True), Activity.status == ActivityStatus.PUBLISHED
        )
    )
    return list(found)


async def claim_announcement(session: AsyncSession, activity_id: int) -> ActivityInfo | None:
    """Take on telling the volunteers of this activity, in the caller's transaction: one
    conditional UPDATE, so of two tries (after a restart, say) exactly one gets it. None when
    it was done already, or the activity is no longer published."""
    result = await session.execute(
        update(Activity)
        .where(
            Activity.id == activity_id,
            Activity.announce_pending.is_(True),
            Activity.status == ActivityStatus.PUBLISHED,
        )
        .values(announce_pending=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await find(session, activity_id)


async def series_size(session: AsyncSession, series_id: str | None) -> int:
    """How many dates a weekly series was published with (1 for a single activity)."""
    if series_id is None:
        return 1
    found = await session.scalar(
        select(func.count()).select_from(Activity).where(Activity.series_id == series_id)
    )
    return found or 1


async def later_in_series(
    session: AsyncSession, activity_id: int, *, now: datetime
) -> list[ActivityInfo]:
    """The published dates of this activity's weekly series after it that are still to come,
    soonest first; none for an activity of no series."""
    activity = await _load(session, activity_id)
    if activity is None or activity.series_id is None or activity.starts_at is None:
        return []
    result = await session.execute(
        select(Activity)
        .where(
            Activity.series_id == activity.series_id,
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.id != activity.id,
            Activity.starts_at > activity.starts_at,
            Activity.starts_at > now,
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    return [to_info(later) for later in result.scalars()]


async def set_accessibility(
    session: AsyncSession, activity_id: int, notes: tuple[str, ...], *, by: int, now: datetime
) -> ActivityInfo | None:
    """Give an activity exactly these accessibility notes (another date's, copied)."""
    unknown = set(notes) - set(ACCESSIBILITY)
    if unknown:
        raise ValueError(f"unknown accessibility notes {sorted(unknown)}")
    activity = await _load(session, activity_id)
    if activity is None or activity.status == ActivityStatus.CANCELLED:
        return None
    wanted = [name for name in ACCESSIBILITY if name in notes]
    if list(activity.accessibility or ()) == wanted:
        return to_info(activity)
    activity.accessibility = wanted
    activity.updated_by = by
    activity.updated_at = now
    if activity.status == ActivityStatus.PUBLISHED:
        activity.version += 1
    await session.flush()
    return to_info(activity)
