"""Keeping the promise "it only happens with at least N volunteers, so you won't be alone".

The list and the join answer promise it, so an activity still below its minimum near the start
does not simply go ahead. Three steps, each `STEP` apart with the default reminder a day ahead:

  48 h  every coordinator is warned (services.shortfalls): time to find more volunteers;
  36 h  still short: every coordinator is asked "hold it anyway, or cancel?" (one press);
  24 h  the reminder. Until then the first answer decides; those going hear the outcome before
        the reminder. Nobody answered: the promise stands, so the activity is cancelled kindly,
        with the normal cancellation notices, and no reminder is sent.

The reminder is held back for an activity below its minimum that no coordinator decided to
hold, so nobody is reminded of an activity that is about to be cancelled, and nobody reads
"you are the only volunteer" without having been told it goes ahead with fewer.

Times follow the earliest of `reminder_offsets_hours`, so the question always comes `STEP`
before the first reminder, whatever the setting; the numbers are here and nowhere else. An
activity that was published too late to be asked in time gets at least `ANSWER_TIME` for an
answer.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from kernel.buttons.minimum import MinimumChoice, MinimumDecision, minutes
from kernel.config import Settings
from kernel.context import Runtime
from kernel.people import PersonInfo
from kernel.when import format_when
from services import audit, notices
from services.audit import AuditAction
from services.unit_of_work import unit_of_work
from storage import activities, minimum, people, reminders
from storage.activities import ActivityInfo
from storage.minimum import Question

__all__ = [
    "Decided",
    "MinimumChoice",
    "Outcome",
    "ask_ahead",
    "deadline",
    "decide",
    "held_back",
    "reminder_ahead",
    "settle",
    "warn_ahead",
]

log = logging.getLogger(__name__)

# Half a day between the warning, the question and the reminder: whatever the hour of the
# start, part of each half day falls in working hours, when a coordinator reads messages.
STEP = timedelta(hours=12)
# (to a support person, anyone else going) -> what they hear when it goes ahead with fewer
GOING_AHEAD_KEYS = {
    (False, True): "activity.minimum.going_ahead.company",
    (False, False): "activity.minimum.going_ahead.alone",
    (True, True): "activity.minimum.going_ahead.support_company",
    (True, False): "activity.minimum.going_ahead.support_alone",
}
# The least time coordinators get to answer (an activity published close to its start)...
ANSWER_TIME = timedelta(hours=3)
# ...but the outcome is always settled this long before the start: an activity still short
# an hour before it begins is not left to go ahead without a word.
LAST_CALL = timedelta(hours=1)


def reminder_ahead(settings: Settings) -> timedelta:
    """How long before the start the first reminder goes: the decision must be made by then."""
    return timedelta(hours=max(settings.reminder_offsets_hours))


def ask_ahead(settings: Settings) -> timedelta:
    """How long before the start coordinators are asked about an activity still short."""
    return reminder_ahead(settings) + STEP


def warn_ahead(settings: Settings) -> timedelta:
    """How long before the start coordinators are first warned of a shortfall: two days,
    and always a step before the question."""
    return max(timedelta(hours=48), ask_ahead(settings) + STEP)


def deadline(settings: Settings, question: Question) -> datetime:
    """Until when the coordinators can decide; after it the default (cancel) applies. Never
    later than `LAST_CALL` before the start, so a question asked late still ends in time."""
    latest = question.starts_at - LAST_CALL
    return max(
        question.starts_at - reminder_ahead(settings),
        min(question.asked_at + ANSWER_TIME, latest),
    )


class Outcome(enum.Enum):
    WENT_AHEAD = "went_ahead"
    CANCELLED = "cancelled"
    ALREADY_DECIDED = "already_decided"
    NOT_NEEDED = "not_needed"  # enough volunteers now
    MOVED = "moved"  # the activity has another start than the one asked about
    GONE = "gone"  # cancelled meanwhile, or no longer there
    REFUSED = "refused"  # not a coordinator


@dataclass(frozen=True)
class Decided:
    """What a coordinator's press did."""

    outcome: Outcome
    title: str = ""
    told: int = 0
    # For ALREADY_DECIDED: the decision that stands, and the first name of who made it ("" for
    # a coordinator without a name; None when nobody decided in time, so the default applied).
    decision: str | None = None
    by: str | None = None


# --- Asking -----------------------------------------------------------------------------


def shortfall_text(
    runtime: Runtime, key: str, activity: ActivityInfo, **values: Callable[[str], object] | object
) -> notices.Render:
    """A text to coordinators about an activity short of volunteers: its title, time, how
    many go, the minimum and the citizens booked, and `values` (a callable takes the
    language)."""

    def render(language: str) -> str:
        extra = {
            name: value(language) if callable(value) else value for name, value in values.items()
        }
        return runtime.texts.get(
            language,
            key,
            title=activity.title or "",
            when=notices.when(runtime, activity, language),
            joined=activity.volunteers_joined,
            minimum=activity.min_volunteers or 0,
            citizens=activity.citizens_booked,
            **extra,
        )

    return render


def _question_text(runtime: Runtime, activity: ActivityInfo, until: datetime) -> notices.Render:
    zone = runtime.settings.zone
    deadline = partial(format_when, until, zone=zone)
    return shortfall_text(runtime, "activity.minimum.ask", activity, deadline=deadline)


def _choices(runtime: Runtime, activity: ActivityInfo) -> notices.RenderKeyboard:
    assert activity.starts_at is not None
    starts = minutes(activity.starts_at)

    def render(language: str) -> dict[str, object]:
        buttons = [
            InlineKeyboardButton(
                runtime.texts.plain(language, key),
                callback_data=MinimumDecision(choice, activity.id, starts).pack(),
            )
            for choice, key in (
                (MinimumChoice.GO_AHEAD, "activity.minimum.button.go_ahead"),
                (MinimumChoice.CANCEL, "activity.minimum.button.cancel"),
            )
        ]
        return InlineKeyboardMarkup([buttons]).to_dict()

    return render


async def _ask(runtime: Runtime, now: datetime) -> int:
    """Put every activity still short within `ask_ahead` to every coordinator, once per start
    time: the question is recorded and the messages owed in one unit of work."""
    enqueued = 0
    async with unit_of_work(runtime) as session:
        soon = await reminders.starting_between(
            session, after=now, until=now + ask_ahead(runtime.settings)
        )
        short = [activity for activity in soon if activity.is_short and activity.starts_at]
        everyone = await people.coordinators(session) if short else []
        for activity in short:
            assert activity.starts_at is not None
            if not await minimum.ask(session, activity.id, activity.starts_at, now):
                continue
            asked = Question(activity.id, activity.starts_at, now, None, None)
            until = deadline(runtime.settings, asked)
            if until <= now:
                continue  # no time left to ask: the default applies in this same run
            for coordinator in everyone:
                if await notices.owe(
                    session,
                    runtime,
                    coordinator.telegram_id,
                    _question_text(runtime, activity, until),
                    kind=notices.MINIMUM_QUESTION,
                    keyboard=_choices(runtime, activity),
                    dedupe_key=(
                        f"minimum:{activity.id}:{coordinator.id}:{activity.starts_at.isoformat()}"
                    ),
                ):
                    enqueued += 1
    return enqueued


# --- Deciding ---------------------------------------------------------------------------


def _name(runtime: Runtime, coordinator: PersonInfo) -> notices.Render:
    """The coordinator's first name for colleagues; configured coordinators may have none."""
    first = (coordinator.name or "").split(" ", 1)[0]
    return lambda language: first or runtime.texts.get(language, "activity.minimum.someone")


def _reason(runtime: Runtime, activity: ActivityInfo) -> notices.Render:
    return notices.text(runtime, "activity.minimum.reason", minimum=activity.min_volunteers or 0)


def _going_ahead_text(
    runtime: Runtime,
    activity: ActivityInfo,
    person: reminders.ReminderRecipient,
    others: list[str],
) -> notices.Render:
    """It goes ahead with fewer: who else comes, in the words the reminder will use too."""
    key = GOING_AHEAD_KEYS[(person.going_as == reminders.SUPPORT, bool(others))]

    def render(language: str) -> str:
        texts = runtime.texts
        return texts.get(
            language,
            key,
            title=activity.title or "",
            when=notices.when(runtime, activity, language),
            minimum=activity.min_volunteers or 0,
            names=texts.names(language, others),
            citizens=texts.names(language, person.citizens),
        )

    return render


async def _tell_going_ahead(session: AsyncSession, runtime: Runtime, activity: ActivityInfo) -> int:
    """Everyone going hears, before the reminder, that it goes ahead with fewer volunteers
    than planned, and who else is coming; returns how many."""
    assert activity.starts_at is not None
    going = await reminders.reminder_recipients(session, activity.id)
    volunteers = [person for person in going if person.going_as == reminders.VOLUNTEER]
    told = 0
    for person in going:
        others = [
            other.first_name
            for other in volunteers
            if other.person_id != person.person_id and other.first_name
        ]

        if await notices.owe(
            session,
            runtime,
            person.telegram_id,
            _going_ahead_text(runtime, activity, person, others),
            kind=notices.GOING_AHEAD,
            dedupe_key=(
                f"going_ahead:{activity.id}:{person.person_id}:{activity.starts_at.isoformat()}"
            ),
        ):
            told += 1
    return told


async def _tell_colleagues(
    session: AsyncSession,
    runtime: Runtime,
    activity: ActivityInfo,
    key: str,
    *,
    but: int | None,
    **values: object,
) -> None:
    """The other coordinators hear what was decided, so nobody presses in vain."""
    for coordinator in await people.coordinators(session):
        if coordinator.id == but:
            continue
        await notices.owe(
            session,
            runtime,
            coordinator.telegram_id,
            lambda language: runtime.texts.get(
                language,
                key,
                title=activity.title or "",
                when=notices.when(runtime, activity, language),
                **{
                    name: value(language) if callable(value) else value
                    for name, value in values.items()
                },
            ),
            kind=notices.MINIMUM_DECIDED,
        )


async def _cancel(
    session: AsyncSession, runtime: Runtime, activity: ActivityInfo, *, by: int | None
) -> int | None:
    """Cancel as a coordinator does (services.planning.cancel, in this unit of work): all
    going, waiting or with citizens booked hear why. None when it was cancelled meanwhile."""
    reason = _reason(runtime, activity)
    cancelled = await activities.cancel(
        session,
        activity.id,
        by=by,
        reason=reason(runtime.settings.default_language),
        now=runtime.clock.now(),
    )
    if cancelled is None:
        return None
    gone, attendees = cancelled
    if by is not None:
        await audit.record(
            session, by, AuditAction.ACTIVITY_CANCELLED, activity_id=gone.id, runtime=runtime
        )
    return await notices.activity_cancelled(session, runtime, gone, attendees, reason=reason)


async def decide(
    runtime: Runtime,
    coordinator: PersonInfo | None,
    button: MinimumDecision,
) -> Decided:
    """A coordinator's answer to the question: the first answer about this activity and
    start decides, in one unit of work with the notices it causes; a later one, a press by
    anyone but a coordinator, or one about an activity no longer short changes nothing."""
    if coordinator is None or not coordinator.is_coordinator:
        return Decided(Outcome.REFUSED)
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, button.activity_id)
        if activity is None or activity.starts_at is None:
            return Decided(Outcome.GONE)
        title = activity.title or ""
        asked = await minimum.question(session, activity.id, activity.starts_at)
        if asked is not None and asked.decision is not None:
            return Decided(
                Outcome.ALREADY_DECIDED, title, decision=asked.decision, by=asked.decided_by
            )
        if not activity.is_published or activity.starts_at <= now:
            return Decided(Outcome.GONE, title)
        if not activity.is_short:
            return Decided(Outcome.NOT_NEEDED, title)
        if asked is None or minutes(activity.starts_at) != button.starts:
            return Decided(Outcome.MOVED, title)
        decision = minimum.GO_AHEAD if button.choice is MinimumChoice.GO_AHEAD else minimum.CANCEL
        if not await minimum.decide(
            session, activity.id, activity.starts_at, decision, by=coordinator.id, now=now
        ):
            again = await minimum.question(session, activity.id, activity.starts_at)
            assert again is not None
            return Decided(
                Outcome.ALREADY_DECIDED, title, decision=again.decision, by=again.decided_by
            )
        name = _name(runtime, coordinator)
        if decision == minimum.GO_AHEAD:
            told = await _tell_going_ahead(session, runtime, activity)
            await _tell_colleagues(
                session,
                runtime,
                activity,
                "activity.minimum.colleague_went_ahead",
                but=coordinator.id,
                name=name,
            )
            return Decided(Outcome.WENT_AHEAD, title, told)
        cancelled = await _cancel(session, runtime, activity, by=coordinator.id)
        if cancelled is None:
            return Decided(Outcome.GONE, title)
        await _tell_colleagues(
            session,
            runtime,
            activity,
            "activity.minimum.colleague_cancelled",
            but=coordinator.id,
            name=name,
        )
        return Decided(Outcome.CANCELLED, title, cancelled)


async def _apply_default(runtime: Runtime, asked: Question) -> bool:
    """Nobody answered in time: the activity is cancelled, as the question said it would be,
    unless enough volunteers joined meanwhile. One unit of work per activity."""
    now = runtime.clock.now()
    async with unit_of_work(runtime) as session:
        activity = await activities.find(session, asked.activity_id)
        if (
            activity is None
            or not activity.is_published
            or activity.starts_at != asked.starts_at
            or not activity.is_short
        ):
            return False
        if not await minimum.decide(
            session, activity.id, asked.starts_at, minimum.CANCEL, by=None, now=now
        ):
            return False
        told = await _cancel(session, runtime, activity, by=None)
        if told is None:
            return False
        # A question asked too late to answer was never sent (`_ask`): say so, not "as we wrote".
        unasked = deadline(runtime.settings, asked) <= asked.asked_at
        key = (
            "activity.minimum.cancelled_unasked"
            if unasked
            else "activity.minimum.cancelled_by_default"
        )
        await _tell_colleagues(
            session,
            runtime,
            activity,
            key,
            but=None,
            told=told,
            minimum=activity.min_volunteers or 0,
        )
        return True


async def settle(runtime: Runtime) -> int:
    """The scheduled job: ask about activities still short, and cancel those nobody decided
    on in time; returns how many questions were owed plus how many activities cancelled."""
    now = runtime.clock.now()
    done = await _ask(runtime, now)
    async with unit_of_work(runtime) as session:
        open_questions = await minimum.undecided(session, now=now)
    for asked in open_questions:
        if deadline(runtime.settings, asked) <= now and await _apply_default(runtime, asked):
            done += 1
    if done:
        log.info("Activities below their minimum: %d questions or cancellations", done)
    return done


async def held_back(session: AsyncSession, found: list[ActivityInfo]) -> set[int]:
    """Of these activities, those whose reminder waits: below their minimum and not decided
    to go ahead (they are about to be cancelled, or the coordinators are still asked)."""
    short = [activity.id for activity in found if activity.is_short]
    return set(short) - await minimum.going_ahead(session, short)
