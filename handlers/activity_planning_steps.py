"""What /new_activity's questions are made of: their names and limits, who is planning what,
and the keyboards offered with the questions. The step table that puts them together is in
activity_planning_answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from handlers.activity_cards import (
    ACCESSIBILITY_KEYS,
    accessibility_text,
    coordinator_entry,
    interest_label,
)
from handlers.common import acknowledge, say
from handlers.forms import Keyboard
from kernel.buttons.planning import (
    PlanAccess,
    PlanButton,
    PlanChoice,
    PlanDuration,
    PlanInterest,
    PlanNumber,
)
from kernel.callback_data import CallbackData
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.people import PersonInfo
from kernel.texts import Markup
from kernel.validation import INVISIBLE, Invalid, clean_count
from kernel.when import WhenError, parse_date
from services import interests, planning
from services.planning import ACCESSIBILITY, ActivityInfo, Draft

END = ConversationHandler.END
# The conversation's states: the questions, in the order they are asked, then the preview and
# cancelling.
TITLE = "title"
DESCRIPTION = "description"
CATEGORY = "category"
PLACE = "place"
LOCATION = "location"
WHEN = "when"
DURATION = "duration"
SEATS = "seats"
MIN_VOLUNTEERS = "min_volunteers"
MAX_VOLUNTEERS = "max_volunteers"
ACCESS = "access"
REPEAT = "repeat"
REPEAT_UNTIL = "repeat_until"
PREVIEW = "preview"
CANCEL_REASON = "cancel_reason"
CANCEL_CONFIRM = "cancel_confirm"
TITLE_MAX, DESCRIPTION_MAX, PLACE_MAX, REASON_MAX = 80, 500, 200, 500
SEATS_MAX, VOLUNTEERS_MAX, REPEAT_MAX = 100, 50, 52
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
    """The active interests, the chosen one ticked."""
    buttons: list[Button] = [
        (
            ("✅ " if i.id == selected else "") + i.name(context.language),
            PlanInterest(i.id).pack(),
        )
        for i in await interests.active(context.runtime)
    ]
    return inline(in_rows(buttons, 2))


def access_keyboard(context: SammenContext, chosen: tuple[str, ...]) -> InlineKeyboardMarkup:
    """The accessibility notes, those chosen ticked, and 'done'."""
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


async def ask_when(update: Update, context: SammenContext) -> None:
    await say(update, context, "plan.when.ask", example=Markup(context.t("plan.when.example")))


async def duration_keyboard(context: SammenContext) -> InlineKeyboardMarkup:
    def label(minutes: int) -> str:
        return context.label("plan.duration.quick", hours=_hours(minutes))

    return _quick(QUICK_DURATIONS, PlanDuration, label)


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}½" if rest == 30 else str(hours) if not rest else f"{minutes / 60:.2f}"


async def max_keyboard(context: SammenContext, activity: ActivityInfo) -> InlineKeyboardMarkup:
    """No quick answer below the fewest volunteers already asked for."""
    low = activity.min_volunteers or 1
    return _quick(tuple(v for v in QUICK_MAX if v >= low) or (low,), PlanNumber, str)


async def access_markup(context: SammenContext, activity: ActivityInfo) -> InlineKeyboardMarkup:
    return access_keyboard(context, activity.accessibility)


def choices(*buttons: tuple[str, PlanChoice]) -> Keyboard:
    """A keyboard of fixed choices of the conversation, one a row: (label key, choice)."""

    async def keyboard(context: SammenContext) -> InlineKeyboardMarkup:
        return inline([plan_button(context, key, choice) for key, choice in buttons])

    return keyboard


def quick_numbers(values: tuple[int, ...]) -> Keyboard:
    """Quick answers to a 'how many' question."""

    async def keyboard(context: SammenContext) -> InlineKeyboardMarkup:
        return _quick(values, PlanNumber, str)

    return keyboard


# --- The preview ----------------------------------------------------------------------------


def field_buttons(
    context: SammenContext, fields: list[list[Button]], last_key: str, last_choice: PlanChoice
) -> InlineKeyboardMarkup:
    """A button per answer the coordinator can change (`fields`), and one to leave the list."""
    return inline([*fields, plan_button(context, last_key, last_choice)])


async def show_preview(
    update: Update, context: SammenContext, activity: ActivityInfo, fields: list[list[Button]]
) -> None:
    """The activity's card with every answer; a draft can be published, changed or thrown
    away, a published activity's answers changed (`fields`)."""
    interest = await interest_label(context, activity)
    body = coordinator_entry(context, activity, interest)
    details = context.t(
        "plan.preview.details",
        description=activity.description or context.t("common.not_given"),
        access=accessibility_text(context, activity),
        repeat=_repeat_text(context, activity),
    )
    if activity.is_published:
        markup = field_buttons(context, fields, "plan.edit.done", PlanChoice.DONE)
        key = "plan.edit.show"
    else:
        rows = [
            plan_button(context, "plan.preview.publish", PlanChoice.PUBLISH),
            plan_button(context, "plan.preview.edit", PlanChoice.CHANGE),
            plan_button(context, "plan.preview.discard", PlanChoice.DISCARD),
        ]
        markup, key = inline(rows), "plan.preview.show"
    await say(update, context, key, markup, card=Markup(body), details=Markup(details))


def _repeat_text(context: SammenContext, activity: ActivityInfo) -> str:
    weeks = activity.repeat_weeks or 1
    if weeks == 1:
        return context.t("plan.repeat.summary_once")
    return context.t("plan.repeat.summary_weekly", times=weeks)


# --- Checks that need the draft or the clock ------------------------------------------------

# Each 'how many' question: its field, and the lowest and highest answer.
NUMBERS = {
    SEATS: ("citizen_seats", 0, SEATS_MAX),
    MIN_VOLUNTEERS: ("min_volunteers", 1, VOLUNTEERS_MAX),
    MAX_VOLUNTEERS: ("max_volunteers", 1, VOLUNTEERS_MAX),
}


def check_number(step: str, raw: str, activity: ActivityInfo) -> int | Invalid:
    """An answer to a 'how many' question, within its limits and the draft's other answers."""
    field, lowest, highest = NUMBERS[step]
    number = clean_count(raw, lowest=lowest, highest=highest)
    if isinstance(number, Invalid):
        return number
    # The checks the service makes for each date a change goes to.
    reason = planning.refusal(activity, {field: number})
    return number if reason is None else Invalid(reason)


def weeks_until(context: SammenContext, first: datetime, answer: str) -> int | Invalid:
    """'6' (times) or a last date such as '20/12': how many weeks a series runs."""
    if answer.isdigit():
        return clean_count(answer, lowest=2, highest=REPEAT_MAX)
    last = parse_date(answer, now=context.now(), zone=context.settings.zone)
    if isinstance(last, WhenError):
        return Invalid("unreadable")
    span = (last - first.astimezone(context.settings.zone).date()).days
    weeks = span // 7 + 1 if span >= 7 else 0
    return weeks if 0 < weeks <= REPEAT_MAX else Invalid("out_of_range")
