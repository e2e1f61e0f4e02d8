"""The coordinator team as the database knows it: who is in it, what each did lately, and the
changes of role and of who answers for which activity."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.paging import Page, Place
from kernel.people import PersonInfo, Role
from storage import activities
from storage.activities import ActivityInfo
from storage.models import (
    Activity,
    ActivityEdit,
    ActivityStatus,
    AuditEntry,
    Booking,
    CitizenKeeper,
    Person,
)
from storage.people import to_info


@dataclass(frozen=True)
class Member:
    """A coordinator or support person on /team, with what they did since `since`."""

    person_id: int
    role: str
    name: str | None
    organisation: str | None
    from_settings: bool
    created: int
    changed: int
    bookings: int
    answers_for: int


MemberPage = Page[Member]
VolunteerPage = Page[PersonInfo]


def _in_team() -> ColumnElement[bool]:
    return (Person.role == Role.COORDINATOR) | (
        (Person.role == Role.SUPPORT) & Person.consent_version.is_not(None)
    )


async def members_page(
    session: AsyncSession,
    asked: int,
    *,
    size: int,
    since: datetime,
    created: str,
    changed: str,
) -> MemberPage:
    """Coordinators first, then support persons, each by name; one page, read in SQL.
    `created` and `changed` name the audit actions counted."""
    where = _in_team()
    count = await session.scalar(select(func.count()).select_from(Person).where(where)) or 0
    if not count:
        return MemberPage.empty()
    place = Place.of(asked, count=count, size=size)
    lately = and_(AuditEntry.actor_person_id == Person.id, AuditEntry.at >= since)
    created_count = (
        select(func.count()).where(lately, AuditEntry.action == created).scalar_subquery()
    )
    changed_count = (
        select(func.count()).where(lately, AuditEntry.action == changed).scalar_subquery()
    )
    booked_count = (
        select(func.count())
        .select_from(Booking)
        .where(Booking.booked_by == Person.id, Booking.created_at >= since)
        .scalar_subquery()
    )
    answers_for = (
        select(func.count())
        .select_from(Activity)
        .where(Activity.created_by == Person.id, Activity.status == ActivityStatus.PUBLISHED)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Person.id,
            Person.role,
            Person.name,
            Person.organisation,
            Person.coordinator_from_config,
            created_count,
            changed_count,
            booked_count,
            answers_for,
        )
        .where(where)
        .order_by(case((Person.role == Role.COORDINATOR, 0), else_=1), Person.name, Person.id)
        .offset(place.offset)
        .limit(size)
    )
    return MemberPage([Member(*row) for row in rows], count, place.page, place.pages)


async def person_by_id(session: AsyncSession, person_id: int) -> PersonInfo | None:
    person = await session.get(Person, person_id, populate_existing=True)
    return to_info(person) if person else None


async def coordinator_count(session: AsyncSession) -> int:
    statement = select(func.count()).select_from(Person).where(Person.role == Role.COORDINATOR)
    return await session.scalar(statement) or 0


async def volunteers_page(session: AsyncSession, asked: int, *, size: int) -> VolunteerPage:
    """Active volunteers a coordinator may offer the role to, by name."""
    where = (
        Person.role == Role.VOLUNTEER,
        Person.consent_version.is_not(None),
        Person.signup_completed_at.is_not(None),
    )
    count = await session.scalar(select(func.count()).select_from(Person).where(*where)) or 0
    if not count:
        return VolunteerPage.empty()
    place = Place.of(asked, count=count, size=size)
    found = await session.scalars(
        select(Person)
        .where(*where)
        .order_by(Person.name, Person.id)
        .offset(place.offset)
        .limit(size)
    )
    return VolunteerPage([to_info(p) for p in found], count, place.page, place.pages)


async def hand_over(session: AsyncSession, from_id: int, to_id: int, *, now: datetime) -> int:
    """The activities `from_id` answers for pass to `to_id` (drafts stay: they are one
    person's unfinished work); returns how many."""
    result = await session.execute(
        update(Activity)
        .where(Activity.created_by == from_id, Activity.status != ActivityStatus.DRAFT)
        .values(created_by=to_id)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def step_down(session: AsyncSession, person: PersonInfo) -> int:
    """A coordinator leaves the role: back to volunteer if they signed up as one, else a lead.
    What they answered for passes to the team (created_by None: every coordinator); their
    unfinished drafts go. Returns how many activities passed."""
    passed = await session.execute(
        update(Activity)
        .where(Activity.created_by == person.id, Activity.status != ActivityStatus.DRAFT)
        .values(created_by=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(Activity).where(
            Activity.created_by == person.id, Activity.status == ActivityStatus.DRAFT
        )
    )
    await session.execute(delete(ActivityEdit).where(ActivityEdit.person_id == person.id))
    volunteer = person.consent_version is not None and person.signup_completed_at is not None
    await session.execute(
        update(Person)
        .where(Person.id == person.id)
        .values(role=Role.VOLUNTEER if volunteer else Role.LEAD, coordinator_offered_by=None)
    )
    return int(getattr(passed, "rowcount", 0) or 0)


async def offer(session: AsyncSession, volunteer_id: int, *, by: int) -> bool:
    """Offer an active volunteer the coordinator role; False when they are none."""
    result = await session.execute(
        update(Person)
        .where(
            Person.id == volunteer_id,
            Person.role == Role.VOLUNTEER,
            Person.consent_version.is_not(None),
            Person.signup_completed_at.is_not(None),
        )
        .values(coordinator_offered_by=by)
    )
    return bool(getattr(result, "rowcount", 0))


async def answer_offer(session: AsyncSession, person_id: int, *, accept: bool) -> int | None:
    """The volunteer's answer to an open offer: who offered it, or None when none was open
    (answered already, they are no volunteer any more, or whoever offered it is no
    coordinator any more: then the offer is gone)."""
    person = await session.get(Person, person_id, populate_existing=True)
    if person is None or person.coordinator_offered_by is None or person.role != Role.VOLUNTEER:
        return None
    offered_by = person.coordinator_offered_by
    changes: dict[str, object] = {"coordinator_offered_by": None}
    offerer = await session.get(Person, offered_by, populate_existing=True)
    if offerer is None or offerer.role != Role.COORDINATOR:
        # The role is given by a coordinator: one who stepped down since gives nothing.
        await session.execute(update(Person).where(Person.id == person_id).values(**changes))
        return None
    if accept:
        changes["role"] = Role.COORDINATOR
    await session.execute(update(Person).where(Person.id == person_id).values(**changes))
    return offered_by


@dataclass(frozen=True)
class FutureBooking:
    activity: ActivityInfo
    citizen_id: int


async def future_bookings_of(
    session: AsyncSession, support_person_id: int, *, now: datetime
) -> list[FutureBooking]:
    """The bookings into published activities still ahead of the citizens only this support
    person looks after. A citizen shared with a colleague stays with the colleague, and so do
    their places."""
    kept_by_them = select(CitizenKeeper.citizen_id).where(
        CitizenKeeper.person_id == support_person_id
    )
    kept_by_others = select(CitizenKeeper.citizen_id).where(
        CitizenKeeper.person_id != support_person_id
    )
    rows = await session.execute(
        select(Booking.activity_id, Booking.citizen_id)
        .join(Activity, Activity.id == Booking.activity_id)
        .where(
            Booking.citizen_id.in_(kept_by_them),
            Booking.citizen_id.not_in(kept_by_others),
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > now,
        )
        .order_by(Activity.starts_at, Booking.id)
    )
    found = []
    for activity_id, citizen_id in list(rows):
        activity = await activities.find(session, activity_id)
        if activity is not None:
            found.append(FutureBooking(activity, citizen_id))
    return found


async def answering_for(session: AsyncSession, activity: ActivityInfo) -> Sequence[int]:
    """The Telegram ids of the coordinators who answer for an activity: the one it belongs
    to while they are a coordinator, else the whole team."""
    if activity.created_by is not None:
        owner = await session.get(Person, activity.created_by)
        if owner is not None and owner.role == Role.COORDINATOR:
            return [owner.telegram_id]
    everyone = await session.scalars(
        select(Person.telegram_id).where(Person.role == Role.COORDINATOR)
    )
    return list(everyone)


async def drop_support_role(session: AsyncSession, person_id: int) -> None:
    """A removed support person keeps nothing of the role: their details go, they are a lead
    again (who may ask to be one anew)."""
    await session.execute(
        update(Person)
        .where(Person.id == person_id)
        .values(
            role=Role.LEAD,
            consent_version=None,
            name=None,
            phone=None,
            email=None,
            organisation=None,
            signup_completed_at=None,
        )
    )
