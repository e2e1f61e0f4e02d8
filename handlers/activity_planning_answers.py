"""The answers to /new_activity's questions, typed or pressed, for a new activity and a
published one: each is checked, then stored through services.planning."""

from __future__ import annotations

from telegram import Update

from handlers.activity_planning_steps import (
    ACCESS,
    CATEGORY,
    DESCRIPTION,
    DESCRIPTION_MAX,
    DURATION,
    INVALID_KEYS,
    LOCATION,
    MAX_VOLUNTEERS,
    MIN_VOLUNTEERS,
    PLACE,
    PLACE_MAX,
    REPEAT,
    REPEAT_MAX,
    REPEAT_UNTIL,
    SEATS,
    SEATS_MAX,
    TITLE,
    TITLE_MAX,
    VOLUNTEERS_MAX,
    WHEN,
    WHEN_ERROR_KEYS,
    access_keyboard,
    ask,
    category_keyboard,
    coordinator,
    current,
    lost,
    next_step,
    show_preview,
)
from handlers.common import acknowledge, close_buttons, say
from kernel.access import Access, Handler, requires
from kernel.buttons.planning import PlanAccess, PlanDuration, PlanInterest, PlanNumber
from kernel.context import SammenContext
from kernel.texts import Markup
from kernel.validation import Invalid, clean_count, clean_duration, clean_line, clean_paragraph
from kernel.when import WhenError, parse_date, parse_when
from services import interests, planning
from services.planning import Purpose

# --- Answers --------------------------------------------------------------------------------


def typed(update: Update) -> str:
    """The text of the message answering a question."""
    assert update.message is not None and update.message.text is not None
    return update.message.text


async def _store(
    update: Update, context: SammenContext, step: str, answer: object, **values: object
) -> str | int:
    if isinstance(answer, Invalid):
        # No markup: the limits fill the text.
        await say(update, context, INVALID_KEYS[answer.reason], None, **_limits(step))
        return step
    saved = await planning.save(context.runtime, coordinator(context), **values)
    if saved is None:
        return await lost(update, context)
    # A draft goes on to its next question; a published activity shows its card again.
    if saved.purpose is Purpose.CREATE:
        return await ask(update, context, next_step(saved.activity), saved.activity)
    return await show_preview(update, context, saved.activity)


def _limits(step: str) -> dict[str, int]:
    return {
        TITLE: {"longest": TITLE_MAX},
        DESCRIPTION: {"longest": DESCRIPTION_MAX},
        PLACE: {"longest": PLACE_MAX},
        SEATS: {"lowest": 0, "highest": SEATS_MAX},
        MIN_VOLUNTEERS: {"lowest": 1, "highest": VOLUNTEERS_MAX},
        MAX_VOLUNTEERS: {"lowest": 1, "highest": VOLUNTEERS_MAX},
    }.get(step, {})


async def _pressed(update: Update, context: SammenContext) -> None:
    """A quick answer was pressed: stop the spinner and take the buttons away."""
    await acknowledge(update, context)
    await close_buttons(update)


@requires(Access.COORDINATOR)
async def title_typed(update: Update, context: SammenContext) -> str | int:
    title = clean_line(typed(update), longest=TITLE_MAX)
    return await _store(update, context, TITLE, title, title=title)


@requires(Access.COORDINATOR)
async def description_typed(update: Update, context: SammenContext) -> str | int:
    description = clean_paragraph(typed(update), longest=DESCRIPTION_MAX)
    return await _store(update, context, DESCRIPTION, description, description=description)


@requires(Access.COORDINATOR)
async def description_skipped(update: Update, context: SammenContext) -> str | int:
    await _pressed(update, context)
    return await _store(update, context, DESCRIPTION, "", description="")


@requires(Access.COORDINATOR)
async def category_chosen(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None
    pressed = PlanInterest.parse(query.data)
    assert pressed is not None
    known = {i.id for i in await interests.active(context.runtime)}
    if pressed.interest_id not in known:
        await acknowledge(update, context, "plan.category.gone", alert=True)
        await query.edit_message_reply_markup(await category_keyboard(context, None))
        return CATEGORY
    await _pressed(update, context)
    chosen = pressed.interest_id
    return await _store(update, context, CATEGORY, chosen, interest_id=chosen)


@requires(Access.COORDINATOR)
async def place_typed(update: Update, context: SammenContext) -> str | int:
    place = clean_line(typed(update), longest=PLACE_MAX)
    return await _store(update, context, PLACE, place, place=place)


@requires(Access.COORDINATOR)
async def location_shared(update: Update, context: SammenContext) -> str | int:
    assert update.message is not None and update.message.location is not None
    location = update.message.location
    return await _store(
        update,
        context,
        LOCATION,
        location,
        latitude=location.latitude,
        longitude=location.longitude,
        location_answered=True,
    )


@requires(Access.COORDINATOR)
async def location_skipped(update: Update, context: SammenContext) -> str | int:
    await _pressed(update, context)
    return await _store(
        update, context, LOCATION, None, latitude=None, longitude=None, location_answered=True
    )


@requires(Access.COORDINATOR)
async def when_typed(update: Update, context: SammenContext) -> str | int:
    moment = parse_when(typed(update), now=context.now(), zone=context.settings.zone)
    if isinstance(moment, WhenError):
        await say(
            update,
            context,
            WHEN_ERROR_KEYS[moment.reason],
            example=Markup(context.t("plan.when.example")),
        )
        return WHEN
    return await _store(update, context, WHEN, moment, starts_at=moment)


@requires(Access.COORDINATOR)
async def duration_typed(update: Update, context: SammenContext) -> str | int:
    minutes = clean_duration(typed(update))
    return await _store(update, context, DURATION, minutes, duration_minutes=minutes)


@requires(Access.COORDINATOR)
async def duration_chosen(update: Update, context: SammenContext) -> str | int:
    assert update.callback_query is not None
    pressed = PlanDuration.parse(update.callback_query.data)
    assert pressed is not None
    await _pressed(update, context)
    minutes = clean_duration(f"{pressed.minutes} min")
    return await _store(update, context, DURATION, minutes, duration_minutes=minutes)


async def _number(update: Update, context: SammenContext, step: str, raw: str) -> str | int:
    found = await current(context)
    if found is None:
        return await lost(update, context)
    activity = found.activity
    limits = _limits(step)
    number = clean_count(raw, lowest=limits["lowest"], highest=limits["highest"])
    if (
        step == MAX_VOLUNTEERS
        and isinstance(number, int)
        and number < (activity.min_volunteers or 1)
    ):
        number = Invalid("below_minimum")
    if step == MIN_VOLUNTEERS and isinstance(number, int) and activity.max_volunteers is not None:
        if number > activity.max_volunteers:
            number = Invalid("above_maximum")
    if step == SEATS and isinstance(number, int) and number < activity.citizens_booked:
        # Citizens already booked keep their places: the coordinator cancels bookings first.
        number = Invalid("below_booked")
    if isinstance(number, Invalid):
        await say(
            update,
            context,
            INVALID_KEYS[number.reason],
            None,  # no markup: the limits below fill the text
            booked=activity.citizens_booked,
            minimum=activity.min_volunteers or 1,
            maximum=activity.max_volunteers or VOLUNTEERS_MAX,
            **limits,
        )
        return step
    field = {
        SEATS: "citizen_seats",
        MIN_VOLUNTEERS: "min_volunteers",
        MAX_VOLUNTEERS: "max_volunteers",
    }[step]
    return await _store(update, context, step, number, **{field: number})


def number_typed(step: str) -> Handler[str | int]:
    @requires(Access.COORDINATOR)
    async def number_was_typed(update: Update, context: SammenContext) -> str | int:
        return await _number(update, context, step, typed(update))

    return number_was_typed


def number_chosen(step: str) -> Handler[str | int]:
    @requires(Access.COORDINATOR)
    async def chosen(update: Update, context: SammenContext) -> str | int:
        assert update.callback_query is not None
        pressed = PlanNumber.parse(update.callback_query.data)
        assert pressed is not None
        await _pressed(update, context)
        return await _number(update, context, step, str(pressed.number))

    return chosen


@requires(Access.COORDINATOR)
async def access_toggled(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None
    pressed = PlanAccess.parse(query.data)
    assert pressed is not None
    activity = await planning.toggle_accessibility(
        context.runtime, coordinator(context), pressed.note
    )
    if activity is None:
        return await lost(update, context)
    await acknowledge(update, context)
    await query.edit_message_reply_markup(access_keyboard(context, activity.accessibility))
    return ACCESS


@requires(Access.COORDINATOR)
async def access_done(update: Update, context: SammenContext) -> str | int:
    await _pressed(update, context)
    return await _store(update, context, ACCESS, None, accessibility_answered=True)


@requires(Access.COORDINATOR)
async def repeat_once(update: Update, context: SammenContext) -> str | int:
    await _pressed(update, context)
    return await _store(update, context, REPEAT, 1, repeat_weeks=1)


@requires(Access.COORDINATOR)
async def repeat_weekly(update: Update, context: SammenContext) -> str | int:
    await _pressed(update, context)
    found = await current(context)
    if found is None:
        return await lost(update, context)
    return await ask(update, context, REPEAT_UNTIL, found.activity)


@requires(Access.COORDINATOR)
async def repeat_until_typed(update: Update, context: SammenContext) -> str | int:
    """'6' (times) or a last date such as '20/12'."""
    found = await current(context)
    if found is None:
        return await lost(update, context)
    first = found.activity.starts_at
    assert first is not None
    answer = typed(update).strip()
    if answer.isdigit():
        weeks: int | Invalid = clean_count(answer, lowest=2, highest=REPEAT_MAX)
    else:
        last = parse_date(answer, now=context.now(), zone=context.settings.zone)
        if isinstance(last, WhenError):
            await say(update, context, "plan.repeat_until.invalid")
            return REPEAT_UNTIL
        span = (last - first.astimezone(context.settings.zone).date()).days
        weeks = span // 7 + 1 if span >= 7 else Invalid("out_of_range")
        if isinstance(weeks, int) and weeks > REPEAT_MAX:
            weeks = Invalid("out_of_range")
    if isinstance(weeks, Invalid):
        await say(update, context, "plan.repeat_until.invalid")
        return REPEAT_UNTIL
    return await _store(update, context, REPEAT_UNTIL, weeks, repeat_weeks=weeks)
