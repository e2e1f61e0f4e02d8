"""Activities below their minimum of volunteers near the start, put to the coordinators: the
question per activity and start time, and the one decision it gets (the first answer wins)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import Activity, ActivityStatus, MinimumQuestion, Person

GO_AHEAD = "go_ahead"
CANCEL = "cancel"


@dataclass(frozen=True)
class Question:
    """The question about one activity at one start time, and its answer if any."""

    activity_id: int
    starts_at: datetime
    asked_at: datetime
    decision: str | None
    # The first name of the coordinator who decided ("" when they gave none); None when
    # nobody did (yet, or in time), or when they were erased since.
    decided_by: str | None


async def ask(session: AsyncSession, activity_id: int, starts_at: datetime, now: datetime) -> bool:
    """Record that the question is asked for this start; False when it was asked before."""
    insert = insert_for(session)
    result = await session.execute(
        insert(MinimumQuestion)
        .values(activity_id=activity_id, starts_at=starts_at, asked_at=now)
        .on_conflict_do_nothing(index_elements=["activity_id", "starts_at"])
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def question(session: AsyncSession, activity_id: int, starts_at: datetime) -> Question | None:
    """The question about this activity at this start, or None when it was never asked."""
    row = (
        await session.execute(
            select(MinimumQuestion, Person.name)
            .outerjoin(Person, Person.id == MinimumQuestion.decided_by)
            .where(
                MinimumQuestion.activity_id == activity_id,
                MinimumQuestion.starts_at == starts_at,
            )
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        return None
    asked, name = row
    by = (name or "").split(" ", 1)[0] if asked.decided_by is not None else None
    return Question(asked.activity_id, asked.starts_at, asked.asked_at, asked.decision, by)


async def decide(
    session: AsyncSession,
    activity_id: int,
    starts_at: datetime,
    decision: str,
    *,
    by: int | None,
    now: datetime,
) -> bool:
    """Store the decision unless one was stored before (a conditional UPDATE, so two
    coordinators pressing at once cannot both decide); True when this one counts."""
    result = await session.execute(
        update(MinimumQuestion)
        .where(
            MinimumQuestion.activity_id == activity_id,
            MinimumQuestion.starts_at == starts_at,
            MinimumQuestion.decision.is_(None),
        )
        .values(decision=decision, decided_by=by, decided_at=now)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def going_ahead(session: AsyncSession, activity_ids: list[int]) -> set[int]:
    """Of these activities, those the coordinators decided to hold below their minimum, at
    the start they have now (a moved activity is asked afresh)."""
    if not activity_ids:
        return set()
    rows = await session.execute(
        select(MinimumQuestion.activity_id)
        .join(
            Activity,
            (Activity.id == MinimumQuestion.activity_id)
            & (Activity.starts_at == MinimumQuestion.starts_at),
        )
        .where(MinimumQuestion.activity_id.in_(activity_ids), MinimumQuestion.decision == GO_AHEAD)
    )
    return set(rows.scalars())


async def undecided(session: AsyncSession, *, now: datetime) -> list[Question]:
    """Questions still unanswered about published activities that have not started, at the
    start they have now."""
    rows = await session.execute(
        select(MinimumQuestion)
        .join(
            Activity,
            (Activity.id == MinimumQuestion.activity_id)
            & (Activity.starts_at == MinimumQuestion.starts_at),
        )
        .where(
            MinimumQuestion.decision.is_(None),
            Activity.status == ActivityStatus.PUBLISHED,
            Activity.starts_at > now,
        )
        .order_by(MinimumQuestion.starts_at, MinimumQuestion.activity_id)
    )
    return [
        Question(asked.activity_id, asked.starts_at, asked.asked_at, None, None)
        for asked in rows.scalars()
    ]
