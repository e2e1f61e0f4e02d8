"""/new_activity as a step table (STEPS) for the form engine (handlers/forms.py): each
question, what answers it, and its answers, typed or pressed, for a new activity and a
published one. Each answer is checked, then stored through services.planning; after it a
draft goes on to its next question and a published activity shows its card again.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from handlers.activity_planning_series import report_saved
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
    NUMBERS,
    PLACE,
    PLACE_MAX,
    PREVIEW,
    QUICK_MIN,
    QUICK_SEATS,
    REPEAT,
    REPEAT_UNTIL,
    SEATS,
    TITLE,
    TITLE_MAX,
    VOLUNTEERS_MAX,
    WHEN,
    WHEN_ERROR_KEYS,
    access_keyboard,
    access_markup,
    ask_when,
    category_keyboard,
    check_number,
    choices,
    coordinator,
    current,
    duration_keyboard,
    lost,
    max_keyboard,
    quick_numbers,
    show_preview,
    weeks_until,
)
from handlers.common import acknowledge, close_buttons, say
from handlers.forms import Form, State, Step
from kernel.access import Access, Handler, requires
from kernel.buttons.planning import (
    PlanAccess,
    PlanChoice,
    PlanDuration,
    PlanField,
    PlanInterest,
    PlanNumber,
    choosing,
)
from kernel.context import SammenContext
from kernel.keyboards import Button
from kernel.texts import Markup
from kernel.validation import Invalid, clean_duration, clean_line, clean_paragraph
from kernel.when import WhenError, parse_when
from services import interests, planning
from services.planning import ActivityInfo, Purpose

# --- Answers --------------------------------------------------------------------------------


def typed(update: Update) -> str:
    """The text of the message answering a question."""
    assert update.message is not None and update.message.text is not None
    return update.message.text


async def _save(update: Update, context: SammenContext, **values: object) -> State:
    saved = await planning.save(context.runtime, coordinator(context), **values)
    if saved is None:
        return await lost(update, context)
    await report_saved(update, context, saved)
    # A draft goes on to its next question; a published activity shows its card again.
    activity = saved.activity
    step = FORM.next_step(activity) if saved.purpose is Purpose.CREATE else PREVIEW
    return await FORM.ask(update, context, step, activity)


def _saving(field: str) -> Any:
    """The `save` of a step whose checked answer goes into one field."""

    async def save(update: Update, context: SammenContext, value: object) -> State:
        return await _save(update, context, **{field: value})

    return save


@requires(Access.COORDINATOR, refused=False)
async def _is_coordinator(update: Update, context: SammenContext) -> bool:
    """Typed answers are taken from coordinators only (anyone else is told, and it ends)."""
    return True


async def _pressed(update: Update, context: SammenContext) -> None:
    """A quick answer was pressed: stop the spinner and take the buttons away."""
    await acknowledge(update, context)
    await close_buttons(update)


@requires(Access.COORDINATOR)
async def description_skipped(update: Update, context: SammenContext) -> State:
    await _pressed(update, context)
    return await _save(update, context, description="")


@requires(Access.COORDINATOR)
async def category_chosen(update: Update, context: SammenContext) -> State:
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
    return await _save(update, context, interest_id=pressed.interest_id)


@requires(Access.COORDINATOR)
async def location_shared(update: Update, context: SammenContext) -> State:
    assert update.message is not None and update.message.location is not None
    location = update.message.location
    return await _save(
        update,
        context,
        latitude=location.latitude,
        longitude=location.longitude,
        location_answered=True,
    )


@requires(Access.COORDINATOR)
async def photo_shared(update: Update, context: SammenContext) -> State:
    """A photo of the meeting point: its file_id is kept (Telegram keeps the image)."""
    assert update.message is not None and update.message.photo
    await say(update, context, "plan.location.photo_saved")
    return await _save(update, context, meeting_photo=update.message.photo[-1].file_id)


@requires(Access.COORDINATOR)
async def location_skipped(update: Update, context: SammenContext) -> State:
    await _pressed(update, context)
    return await _save(update, context, latitude=None, longitude=None, location_answered=True)


async def _when_typed(update: Update, context: SammenContext, text: str) -> State:
    moment = parse_when(text, now=context.now(), zone=context.settings.zone)
    if isinstance(moment, WhenError):
        example = Markup(context.t("plan.when.example"))
        await say(update, context, WHEN_ERROR_KEYS[moment.reason], example=example)
        return WHEN
    return await _save(update, context, starts_at=moment)


@requires(Access.COORDINATOR)
async def duration_chosen(update: Update, context: SammenContext) -> State:
    assert update.callback_query is not None
    pressed = PlanDuration.parse(update.callback_query.data)
    assert pressed is not None
    await _pressed(update, context)
    minutes = clean_duration(f"{pressed.minutes} min")
    if isinstance(minutes, Invalid):
        await say(update, context, INVALID_KEYS[minutes.reason])
        return DURATION
    return await _save(update, context, duration_minutes=minutes)


async def _number(update: Update, context: SammenContext, step: str, raw: str) -> State:
    found = await current(context)
    if found is None:
        return await lost(update, context)
    activity = found.activity
    field, lowest, highest = NUMBERS[step]
    number = check_number(step, raw, activity)
    if isinstance(number, Invalid):
        await say(
            update,
            context,
            INVALID_KEYS[number.reason],
            None,  # no markup: the limits below fill the text
            booked=activity.citizens_booked,
            minimum=activity.min_volunteers or 1,
            maximum=activity.max_volunteers or VOLUNTEERS_MAX,
            lowest=lowest,
            highest=highest,
        )
        return step
    return await _save(update, context, **{field: number})


def _number_typed(step: str) -> Any:
    async def save(update: Update, context: SammenContext, text: str) -> State:
        return await _number(update, context, step, text)

    return save


def _number_chosen(step: str) -> Handler[State]:
    @requires(Access.COORDINATOR)
    async def chosen(update: Update, context: SammenContext) -> State:
        assert update.callback_query is not None
        pressed = PlanNumber.parse(update.callback_query.data)
        assert pressed is not None
        await _pressed(update, context)
        return await _number(update, context, step, str(pressed.number))

    return chosen


@requires(Access.COORDINATOR)
async def access_toggled(update: Update, context: SammenContext) -> State:
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
async def access_done(update: Update, context: SammenContext) -> State:
    await _pressed(update, context)
    return await _save(update, context, accessibility_answered=True)


@requires(Access.COORDINATOR)
async def repeat_once(update: Update, context: SammenContext) -> State:
    await _pressed(update, context)
    return await _save(update, context, repeat_weeks=1)


@requires(Access.COORDINATOR)
async def repeat_weekly(update: Update, context: SammenContext) -> State:
    await _pressed(update, context)
    found = await current(context)
    if found is None:
        return await lost(update, context)
    return await FORM.ask(update, context, REPEAT_UNTIL, found.activity)


async def _repeat_until(update: Update, context: SammenContext, text: str) -> State:
    found = await current(context)
    if found is None:
        return await lost(update, context)
    first = found.activity.starts_at
    assert first is not None
    weeks = weeks_until(context, first, text.strip())
    if isinstance(weeks, Invalid):
        await say(update, context, "plan.repeat_until.invalid")
        return REPEAT_UNTIL
    return await _save(update, context, repeat_weeks=weeks)


def reask(step: str) -> Handler[State]:
    """Another kind of message than the question wants: say so, and ask it again."""

    @requires(Access.COORDINATOR)
    async def again(update: Update, context: SammenContext) -> State:
        found = await current(context)
        if found is None:
            return await lost(update, context)
        await say(update, context, "plan.wrong_kind")
        if step not in FORM.steps:
            return step  # cancelling, no question of the form: what is asked stays above
        return await FORM.ask(update, context, step, found.activity)

    return again


# --- The form -------------------------------------------------------------------------------


def on(choice: PlanChoice, callback: Handler[State]) -> CallbackQueryHandler[Any, Any]:
    """The handler of one fixed choice of the conversation."""
    return CallbackQueryHandler(callback, pattern=choosing(choice))


# A question answered by typing: only a coordinator's answer is taken. The form checks it
# (`parse`; INVALID_KEYS with `invalid_values` say why not) or, where the check needs the
# draft or the clock, `save` does.
typed_step = partial(Step[ActivityInfo], guard=_is_coordinator, invalid_keys=INVALID_KEYS)


def _number_step(
    step: str, question_key: str, field_key: str, **keyboard: Any
) -> Step[ActivityInfo]:
    """A 'how many' question: typed, or one of its quick answers pressed."""
    field = NUMBERS[step][0]
    return typed_step(
        step,
        question_key=question_key,
        answered=lambda a: getattr(a, field) is not None,
        parse=typed,
        save=_number_typed(step),
        field_key=field_key,
        handlers=[CallbackQueryHandler(_number_chosen(step), pattern=PlanNumber.matches)],
        **keyboard,
    )


def _line_step(
    name: str, field: str, longest: int, question_key: str, field_key: str
) -> Step[ActivityInfo]:
    """A one-line typed answer kept in one field of the draft (the title, the place)."""
    return typed_step(
        name,
        question_key=question_key,
        answered=lambda a: getattr(a, field) is not None,
        parse=lambda update: clean_line(typed(update), longest=longest),
        save=_saving(field),
        invalid_values={"longest": longest},
        field_key=field_key,
    )


STEPS: tuple[Step[ActivityInfo], ...] = (
    _line_step(TITLE, "title", TITLE_MAX, "plan.title.ask", "plan.field.title"),
    typed_step(
        DESCRIPTION,
        question_key="plan.description.ask",
        keyboard=choices(("plan.description.skip", PlanChoice.SKIP_DESCRIPTION)),
        answered=lambda a: a.description is not None,
        parse=lambda update: clean_paragraph(typed(update), longest=DESCRIPTION_MAX),
        save=_saving("description"),
        invalid_values={"longest": DESCRIPTION_MAX},
        field_key="plan.field.description",
        handlers=[on(PlanChoice.SKIP_DESCRIPTION, description_skipped)],
    ),
    Step(
        CATEGORY,
        question_key="plan.category.ask",
        answers_keyboard=lambda context, a: category_keyboard(context, a.interest_id),
        answered=lambda a: a.interest_id is not None,
        field_key="plan.field.category",
        handlers=[CallbackQueryHandler(category_chosen, pattern=PlanInterest.matches)],
    ),
    _line_step(PLACE, "place", PLACE_MAX, "plan.place.ask", "plan.field.place"),
    Step(
        LOCATION,
        question_key="plan.location.ask",
        keyboard=choices(("plan.location.skip", PlanChoice.SKIP_LOCATION)),
        answered=lambda a: a.location_answered,
        field_key="plan.field.location",
        handlers=[
            MessageHandler(filters.UpdateType.MESSAGE & filters.LOCATION, location_shared),
            MessageHandler(filters.UpdateType.MESSAGE & filters.PHOTO, photo_shared),
            on(PlanChoice.SKIP_LOCATION, location_skipped),
        ],
    ),
    typed_step(
        WHEN,
        ask=ask_when,
        answered=lambda a: a.starts_at is not None,
        parse=typed,
        save=_when_typed,
        field_key="plan.field.when",
    ),
    typed_step(
        DURATION,
        question_key="plan.duration.ask",
        keyboard=duration_keyboard,
        answered=lambda a: a.duration_minutes is not None,
        parse=lambda update: clean_duration(typed(update)),
        save=_saving("duration_minutes"),
        field_key="plan.field.duration",
        handlers=[CallbackQueryHandler(duration_chosen, pattern=PlanDuration.matches)],
    ),
    _number_step(SEATS, "plan.seats.ask", "plan.field.seats", keyboard=quick_numbers(QUICK_SEATS)),
    _number_step(
        MIN_VOLUNTEERS,
        "plan.min_volunteers.ask",
        "plan.field.min_volunteers",
        keyboard=quick_numbers(QUICK_MIN),
    ),
    _number_step(
        MAX_VOLUNTEERS,
        "plan.max_volunteers.ask",
        "plan.field.max_volunteers",
        answers_keyboard=max_keyboard,
    ),
    Step(
        ACCESS,
        question_key="plan.access.ask",
        answers_keyboard=access_markup,
        answered=lambda a: a.accessibility_answered,
        field_key="plan.field.access",
        handlers=[
            CallbackQueryHandler(access_toggled, pattern=PlanAccess.matches),
            on(PlanChoice.ACCESS_DONE, access_done),
        ],
    ),
    Step(
        REPEAT,
        question_key="plan.repeat.ask",
        keyboard=choices(
            ("plan.repeat.once", PlanChoice.ONCE), ("plan.repeat.weekly", PlanChoice.WEEKLY)
        ),
        answered=lambda a: a.repeat_weeks is not None,
        handlers=[on(PlanChoice.ONCE, repeat_once), on(PlanChoice.WEEKLY, repeat_weekly)],
    ),
    # Part of no order: 'weekly' leads to it.
    typed_step(
        REPEAT_UNTIL,
        question_key="plan.repeat_until.ask",
        parse=typed,
        save=_repeat_until,
    ),
)


def field_rows(context: SammenContext) -> list[list[Button]]:
    """A button per answer the coordinator can change on the preview."""
    return FORM.field_rows(context, lambda step: PlanField(step).pack())


async def _show_preview(update: Update, context: SammenContext, activity: ActivityInfo) -> None:
    await show_preview(update, context, activity, field_rows(context))


FORM: Form[ActivityInfo] = Form(STEPS, review=PREVIEW, show_review=_show_preview, wrong_kind=reask)
