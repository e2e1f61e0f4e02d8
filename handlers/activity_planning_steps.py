"""The questions of /new_activity and their answers, for a new activity and a published one.

Every answer goes into the activity's row as it comes (a draft until published), through
services.planning; after an answer a draft goes on to its next question and a published
activity shows its card again.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from handlers.activity_cards import (
    ACCESSIBILITY_KEYS,
    accessibility_text,
    coordinator_entry,
    interest_label,
)
from handlers.common import acknowledge, say
from kernel.buttons.planning import (
    PlanAccess,
    PlanButton,
    PlanChoice,
    PlanDuration,
    PlanField,
    PlanInterest,
    PlanNumber,
)
from kernel.callback_data import CallbackData
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.people import PersonInfo
from kernel.texts import Markup
from kernel.validation import INVISIBLE
from services import interests, planning
from services.planning import ACCESSIBILITY, ActivityInfo, Draft

END = ConversationHandler.END
(
    TITLE,
    DESCRIPTION,
    CATEGORY,
    PLACE,
    LOCATION,
    WHEN,
    DURATION,
    SEATS,
    MIN_VOLUNTEERS,
    MAX_VOLUNTEERS,
    ACCESS,
    REPEAT,
    REPEAT_UNTIL,
    PREVIEW,
    CANCEL_REASON,
    CANCEL_CONFIRM,
) = (
    "title",
    "description",
    "category",
    "place",
    "location",
    "when",
    "duration",
    "seats",
    "min_volunteers",
    "max_volunteers",
    "access",
    "repeat",
    "repeat_until",
    "preview",
    "cancel_reason",
    "cancel_confirm",
)
TITLE_MAX, DESCRIPTION_MAX, PLACE_MAX, REASON_MAX = 80, 500, 200, 500
SEATS_MAX, VOLUNTEERS_MAX, REPEAT_MAX = 100, 50, 52
ASK_KEYS = {
    TITLE: "plan.title.ask",
    DESCRIPTION: "plan.description.ask",
    CATEGORY: "plan.category.ask",
    PLACE: "plan.place.ask",
    LOCATION: "plan.location.ask",
    WHEN: "plan.when.ask",
    DURATION: "plan.duration.ask",
    SEATS: "plan.seats.ask",
    MIN_VOLUNTEERS: "plan.min_volunteers.ask",
    MAX_VOLUNTEERS: "plan.max_volunteers.ask",
    ACCESS: "plan.access.ask",
    REPEAT: "plan.repeat.ask",
    REPEAT_UNTIL: "plan.repeat_until.ask",
}
FIELD_BUTTON_KEYS = {
    TITLE: "plan.field.title",
    DESCRIPTION: "plan.field.description",
    CATEGORY: "plan.field.category",
    PLACE: "plan.field.place",
    LOCATION: "plan.field.location",
    WHEN: "plan.field.when",
    DURATION: "plan.field.duration",
    SEATS: "plan.field.seats",
    MIN_VOLUNTEERS: "plan.field.min_volunteers",
    MAX_VOLUNTEERS: "plan.field.max_volunteers",
    ACCESS: "plan.field.access",
}
# The steps a coordinator can go back to, in the order they are asked.
EDITABLE_STEPS = tuple(FIELD_BUTTON_KEYS)
INVALID_KEYS = {
    "empty": "plan.invalid.empty",
    "too_long": "plan.invalid.too_long",
    "not_a_number": "plan.invalid.not_a_number",
    "out_of_range": "plan.invalid.out_of_range",
    "not_a_duration": "plan.invalid.duration",
    "duration_out_of_range": "plan.invalid.duration",
    "below_minimum": "plan.invalid.below_minimum",
    "above_maximum": "plan.invalid.above_maximum",
    "below_booked": "plan.invalid.below_booked",
    INVISIBLE: "common.invisible",
}
WHEN_ERROR_KEYS = {
    "unreadable": "plan.when.unreadable",
    "impossible_date": "plan.when.impossible_date",
    "impossible_time": "plan.when.impossible_time",
    "missing_time": "plan.when.missing_time",
    "missing_date": "plan.when.missing_date",
    "weekday_mismatch": "plan.when.weekday_mismatch",
    "in_the_past": "plan.when.in_the_past",
    "too_far_ahead": "plan.when.too_far_ahead",
}
QUICK_DURATIONS = (60, 90, 120, 180)
QUICK_SEATS = (0, 2, 4, 6, 8, 10)
QUICK_MIN = (1, 2, 3, 4)
QUICK_MAX = (2, 3, 4, 6, 8, 10)


def next_step(activity: ActivityInfo) -> str:
    """The first question a draft has no answer to; the preview when all are answered."""
    answers = (
        (TITLE, activity.title is not None),
        (DESCRIPTION, activity.description is not None),
        (CATEGORY, activity.interest_id is not None),
        (PLACE, activity.place is not None),
        (LOCATION, activity.location_answered),
        (WHEN, activity.starts_at is not None),
        (DURATION, activity.duration_minutes is not None),
        (SEATS, activity.citizen_seats is not None),
        (MIN_VOLUNTEERS, activity.min_volunteers is not None),
        (MAX_VOLUNTEERS, activity.max_volunteers is not None),
        (ACCESS, activity.accessibility_answered),
        (REPEAT, activity.repeat_weeks is not None),
    )
    return next((step for step, answered in answers if not answered), PREVIEW)


# --- Who and what ---------------------------------------------------------------------------


def coordinator(context: SammenContext) -> PersonInfo:
    """The coordinator pressing or typing (handlers here run under @requires(COORDINATOR))."""
    person = context.person
    assert person is not None
    return person


async def current(context: SammenContext) -> Draft | None:
    """The activity this coordinator works on, from the database (survives restarts)."""
    person = context.person
    if person is None or not person.is_coordinator:
        return None
    return await planning.current(context.runtime, person)


async def lost(update: Update, context: SammenContext) -> int:
    """The activity vanished under us (discarded or cancelled by a colleague)."""
    await acknowledge(update, context)
    await say(update, context, "plan.lost")
    return END


def plan_button(context: SammenContext, key: str, choice: PlanChoice) -> list[Button]:
    """A row with one fixed choice of the conversation."""
    return [(context.t(key), PlanButton(choice).pack())]


# --- Asking ---------------------------------------------------------------------------------


def _quick(
    values: tuple[int, ...],
    button: Callable[[int], CallbackData],
    label: Callable[[int], str],
) -> InlineKeyboardMarkup:
    buttons: list[Button] = [(label(value), button(value).pack()) for value in values]
    return inline(in_rows(buttons, 3))


async def category_keyboard(context: SammenContext, selected: int | None) -> InlineKeyboardMarkup:
    buttons: list[Button] = [
        (
            ("✅ " if i.id == selected else "") + i.name(context.language),
            PlanInterest(i.id).pack(),
        )
        for i in await interests.active(context.runtime)
    ]
    return inline(in_rows(buttons, 2))


def access_keyboard(context: SammenContext, chosen: tuple[str, ...]) -> InlineKeyboardMarkup:
    buttons: list[Button] = [
        (
            ("✅ " if key in chosen else "") + context.t(ACCESSIBILITY_KEYS[key]),
            PlanAccess(key).pack(),
        )
        for key in ACCESSIBILITY
    ]
    rows = in_rows(buttons, 2)
    rows.append(plan_button(context, "plan.access.done", PlanChoice.ACCESS_DONE))
    return inline(rows)


async def ask(update: Update, context: SammenContext, step: str, activity: ActivityInfo) -> str:
    """Put the question for `step`; returns the state to wait in."""
    if step == PREVIEW:
        return await show_preview(update, context, activity)
    markup: InlineKeyboardMarkup | None = None
    if step == DESCRIPTION:
        markup = inline(
            [plan_button(context, "plan.description.skip", PlanChoice.SKIP_DESCRIPTION)]
        )
    elif step == CATEGORY:
        markup = await category_keyboard(context, activity.interest_id)
    elif step == LOCATION:
        markup = inline([plan_button(context, "plan.location.skip", PlanChoice.SKIP_LOCATION)])
    elif step == DURATION:
        markup = _quick(
            QUICK_DURATIONS,
            PlanDuration,
            lambda m: context.label("plan.duration.quick", hours=_hours(m)),
        )
    elif step == SEATS:
        markup = _quick(QUICK_SEATS, PlanNumber, str)
    elif step == MIN_VOLUNTEERS:
        markup = _quick(QUICK_MIN, PlanNumber, str)
    elif step == MAX_VOLUNTEERS:
        low = activity.min_volunteers or 1
        markup = _quick(tuple(v for v in QUICK_MAX if v >= low) or (low,), PlanNumber, str)
    elif step == ACCESS:
        markup = access_keyboard(context, activity.accessibility)
    elif step == REPEAT:
        markup = inline(
            [
                plan_button(context, "plan.repeat.once", PlanChoice.ONCE),
                plan_button(context, "plan.repeat.weekly", PlanChoice.WEEKLY),
            ]
        )
    await say(
        update, context, ASK_KEYS[step], markup, example=Markup(context.t("plan.when.example"))
    )
    return step


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}½" if rest == 30 else str(hours) if not rest else f"{minutes / 60:.2f}"


def field_buttons(
    context: SammenContext, last_key: str, last_choice: PlanChoice
) -> InlineKeyboardMarkup:
    """A button per answer the coordinator can change, and one to leave the list."""
    rows = [
        [(context.t(FIELD_BUTTON_KEYS[step]), PlanField(step).pack())] for step in EDITABLE_STEPS
    ]
    rows.append(plan_button(context, last_key, last_choice))
    return inline(rows)


async def show_preview(update: Update, context: SammenContext, activity: ActivityInfo) -> str:
    """The activity's card with every answer; a draft can be published, changed or thrown
    away, a published activity's answers changed."""
    interest = await interest_label(context, activity)
    body = coordinator_entry(context, activity, interest)
    details = context.t(
        "plan.preview.details",
        description=activity.description or context.t("common.not_given"),
        access=accessibility_text(context, activity),
        repeat=_repeat_text(context, activity),
    )
    if activity.is_published:
        await say(
            update,
            context,
            "plan.edit.show",
            field_buttons(context, "plan.edit.done", PlanChoice.DONE),
            card=Markup(body),
            details=Markup(details),
        )
    else:
        rows = [
            plan_button(context, "plan.preview.publish", PlanChoice.PUBLISH),
            plan_button(context, "plan.preview.edit", PlanChoice.CHANGE),
            plan_button(context, "plan.preview.discard", PlanChoice.DISCARD),
        ]
        await say(
            update,
            context,
            "plan.preview.show",
            inline(rows),
            card=Markup(body),
            details=Markup(details),
        )
    return PREVIEW


def _repeat_text(context: SammenContext, activity: ActivityInfo) -> str:
    weeks = activity.repeat_weeks or 1
    if weeks == 1:
        return context.t("plan.repeat.summary_once")
    return context.t("plan.repeat.summary_weekly", times=weeks)
