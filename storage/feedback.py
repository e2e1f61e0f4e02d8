"""After an activity: who is asked how it went, their one-press answers, and the figures
coordinators see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.activities import ActivityInfo, to_info
from storage.dialects import insert_for
from storage.models import (
    Activity,
    ActivityStatus,
    Booking,
    Citizen,
    Feedback,
    FeedbackAnswer,
    Participation,
    ParticipationStatus,
)

ANSWERS = (FeedbackAnswer.GOOD, FeedbackAnswer.OKAY, FeedbackAnswer.BAD)
VOLUNTEER, SUPPORT = "volunteer", "support"
# An activity without a duration is taken to last this long.
USUAL_LENGTH = timedelta(hours=2)


def ends_at(activity: ActivityInfo) -> datetime | None:
    if activity.starts_at is None:
        return None
    length = timedelta(minutes=activity.duration_minutes) if activity.duration_minutes else None
    return activity.starts_at + (length or USUAL_LENGTH)


async def ended_between(
    session: AsyncSession, *, after: datetime, until: datetime
) -> list[ActivityInfo]:
    """Activities that took place (not cancelled) and ended after `after`, by `until`."""
    # No activity lasts more than a day, so this window holds every candidate.
    found = await session.execute(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > after - timedelta(days=1),
            Activity.starts_at <= until,
        )
        .order_by(Activity.starts_at, Activity.id)
    )
    infos = [to_info(activity) for activity in found.scalars()]
    return [info for info in infos if (end := ends_at(info)) is not None and after < end <= until]


async def went_as(session: AsyncSession, activity_id: int, person_id: int) -> str | None:
    """ "volunteer" if the person went as one, "support" if their citizens were booked."""
    joined = await session.scalar(
        select(Participation.id).where(
            Participation.activity_id == activity_id,
            Participation.person_id == person_id,
            Participation.status == ParticipationStatus.JOINED,
        )
    )
    if joined is not None:
        return VOLUNTEER
    booked = await session.scalar(
        select(Booking.id)
        .join(Citizen, Citizen.id == Booking.citizen_id)
        .where(Booking.activity_id == activity_id, Citizen.support_person_id == person_id)
        .limit(1)
    )
    return SUPPORT if booked is not None else None


async def record(
    session: AsyncSession, activity_id: int, person_id: int, answer: str, *, now: datetime
) -> bool:
    """Keep a person's answer (a second press changes it); False if they were not there, or
    the activity was cancelled or has not ended yet (a forged press cannot answer ahead)."""
    if answer not in ANSWERS:
        raise ValueError(f"answer must be one of {ANSWERS}")
    activity = await session.get(Activity, activity_id)
    if activity is None or activity.status != ActivityStatus.PUBLISHED:
        return False
    end = ends_at(to_info(activity))
    if end is None or end > now:
        return False
    given_as = await went_as(session, activity_id, person_id)
    if given_as is None:
        return False
    insert = insert_for(session)
    await session.execute(
        insert(Feedback)
        .values(
            activity_id=activity_id,
            person_id=person_id,
            given_as=given_as,
            answer=answer,
            answered_at=now,
        )
        .on_conflict_do_update(
            index_elements=[Feedback.activity_id, Feedback.person_id],
            set_={"answer": answer, "answered_at": now},
        )
    )
    return True


@dataclass(frozen=True)
class ActivityFeedback:
    """One past activity as coordinators see it afterwards."""

    activity: ActivityInfo
    answers: Counter[str] = field(default_factory=Counter)


async def recent(
    session: AsyncSession, *, now: datetime, days: int = 30, most: int = 5
) -> list[ActivityFeedback]:
    """The latest activities that took place in the last `days`, newest first, with answers."""
    found = await session.execute(
        select(Activity)
        .where(
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at <= now,
            Activity.starts_at > now - timedelta(days=days),
        )
        .order_by(Activity.starts_at.desc(), Activity.id.desc())
        .limit(most)
    )
    infos = [to_info(activity) for activity in found.scalars()]
    rows = await session.execute(
        select(Feedback.activity_id, Feedback.answer).where(
            Feedback.activity_id.in_([info.id for info in infos])
        )
    )
    answers: dict[int, Counter[str]] = {info.id: Counter() for info in infos}
    for activity_id, answer in rows:
        answers[activity_id][answer] += 1
    return [ActivityFeedback(info, answers[info.id]) for info in infos]


async def export_of(session: AsyncSession, person_id: int) -> list[dict[str, object]]:
    rows = await session.execute(
        select(Activity.title, Feedback.answer, Feedback.given_as, Feedback.answered_at)
        .join(Activity, Activity.id == Feedback.activity_id)
        .where(Feedback.person_id == person_id)
        .order_by(Feedback.answered_at)
    )
    return [
        {"activity": title, "answer": answer, "as": given_as, "at": at.isoformat()}
        for title, answer, given_as, at in rows
    ]
