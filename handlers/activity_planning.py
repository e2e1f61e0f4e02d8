"""Coordinators plan activities (/new_activity), change them, and cancel them.

Every answer goes into the activity's row as it comes (a draft until published), and which
activity a coordinator works on is stored too, so a restart continues at the same question.
Any coordinator may change or cancel any activity; the row records who did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.activity_cards import (
    ACCESSIBILITY_KEYS,
    accessibility_text,
    coordinator_entry,
    interest_label,
    when_text,
)
from handlers.common import acknowledge, close_buttons, say
from handlers.profile_card import interest_name
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.texts import Markup
from kernel.validation import (
    Invalid,
    clean_count,
    clean_duration,
    clean_line,
    clean_paragraph,
)
from kernel.when import WhenError, parse_date, parse_when
from services import notices
from services.unit_of_work import unit_of_work
from storage import activities, volunteers
from storage.activities import ACCESSIBILITY, ActivityInfo

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


def _coordinator_id(context: SammenContext) -> int | None:
    person = context.person
    return person.id if person is not None and person.is_coordinator else None


async def _refuse(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context, "common.coordinators_only", alert=True)
    if update.callback_query is None:
        await say(update, context, "common.coordinators_only")
    return END


async def _current(context: SammenContext) -> tuple[ActivityInfo, str] | None:
    """The activity this coordinator works on, from the database (survives restarts)."""
    coordinator = _coordinator_id(context)
    if coordinator is None:
        return None
    async with unit_of_work(context.runtime) as session:
        return await activities.editing(session, coordinator)


async def _lost(update: Update, context: SammenContext) -> int:
    """The activity vanished under us (discarded or cancelled by a colleague)."""
    await acknowledge(update, context)
    await say(update, context, "plan.lost")
    return END


# --- Asking ---------------------------------------------------------------------------------


def _quick(
    values: tuple[int, ...], prefix: str, label: Callable[[int], str]
) -> InlineKeyboardMarkup:
    buttons: list[Button] = [(label(value), f"{prefix}{value}") for value in values]
    return inline(in_rows(buttons, 3))


async def _category_keyboard(context: SammenContext, selected: int | None) -> InlineKeyboardMarkup:
    async with unit_of_work(context.runtime) as session:
        interests = await volunteers.active_interests(session)
    buttons: list[Button] = [
        (
            ("✅ " if i.id == selected else "") + interest_name(i, context.language),
            f"plan:int:{i.id}",
        )
        for i in interests
    ]
    return inline(in_rows(buttons, 2))


def _access_keyboard(context: SammenContext, chosen: tuple[str, ...]) -> InlineKeyboardMarkup:
    buttons: list[Button] = [
        (("✅ " if key in chosen else "") + context.t(ACCESSIBILITY_KEYS[key]), f"plan:acc:{key}")
        for key in ACCESSIBILITY
    ]
    rows = in_rows(buttons, 2)
    rows.append([(context.t("plan.access.done"), "plan:acc:done")])
    return inline(rows)


async def ask(update: Update, context: SammenContext, step: str, activity: ActivityInfo) -> str:
    """Put the question for `step`; returns the state to wait in."""
    if step == PREVIEW:
        return await _show_preview(update, context, activity)
    markup: InlineKeyboardMarkup | None = None
    if step == DESCRIPTION:
        markup = inline([[(context.t("plan.description.skip"), "plan:desc:skip")]])
    elif step == CATEGORY:
        markup = await _category_keyboard(context, activity.interest_id)
    elif step == LOCATION:
        markup = inline([[(context.t("plan.location.skip"), "plan:loc:skip")]])
    elif step == DURATION:
        markup = _quick(
            QUICK_DURATIONS,
            "plan:dur:",
            lambda m: context.label("plan.duration.quick", hours=_hours(m)),
        )
    elif step == SEATS:
        markup = _quick(QUICK_SEATS, "plan:num:", str)
    elif step == MIN_VOLUNTEERS:
        markup = _quick(QUICK_MIN, "plan:num:", str)
    elif step == MAX_VOLUNTEERS:
        low = activity.min_volunteers or 1
        markup = _quick(tuple(v for v in QUICK_MAX if v >= low) or (low,), "plan:num:", str)
    elif step == ACCESS:
        markup = _access_keyboard(context, activity.accessibility)
    elif step == REPEAT:
        markup = inline(
            [
                [(context.t("plan.repeat.once"), "plan:rep:once")],
                [(context.t("plan.repeat.weekly"), "plan:rep:weekly")],
            ]
        )
    await say(
        update, context, ASK_KEYS[step], markup, example=Markup(context.t("plan.when.example"))
    )
    return step


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}½" if rest == 30 else str(hours) if not rest else f"{minutes / 60:.2f}"


def _field_buttons(context: SammenContext, last_key: str, last_data: str) -> InlineKeyboardMarkup:
    """A button per answer the coordinator can change, and one to leave the list."""
    rows = [[(context.t(FIELD_BUTTON_KEYS[step]), f"plan:edit:{step}")] for step in EDITABLE_STEPS]
    rows.append([(context.t(last_key), last_data)])
    return inline(rows)


async def _show_preview(update: Update, context: SammenContext, activity: ActivityInfo) -> str:
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
            _field_buttons(context, "plan.edit.done", "plan:done"),
            card=Markup(body),
            details=Markup(details),
        )
    else:
        rows = [
            [(context.t("plan.preview.publish"), "plan:publish")],
            [(context.t("plan.preview.edit"), "plan:change")],
            [(context.t("plan.preview.discard"), "plan:discard")],
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


async def _continue(
    update: Update, context: SammenContext, activity: ActivityInfo, purpose: str
) -> str:
    """After an answer: on to the next question of a draft, or back to the activity's card."""
    if purpose == "create":
        return await ask(update, context, next_step(activity), activity)
    return await _show_preview(update, context, activity)


async def _save(
    update: Update, context: SammenContext, **values: object
) -> tuple[ActivityInfo, str] | None:
    current = await _current(context)
    coordinator = _coordinator_id(context)
    if current is None or coordinator is None:
        return None
    activity, purpose = current
    async with unit_of_work(context.runtime) as session:
        changed = await activities.change(
            session, activity.id, by=coordinator, now=context.now(), **values
        )
        if changed is not None and purpose == "edit" and changed.version != activity.version:
            await notices.activity_changed(session, context.runtime, changed)
    if changed is None:
        return None
    return changed, purpose


# --- Entering -------------------------------------------------------------------------------


async def new_activity(update: Update, context: SammenContext) -> str | int:
    """/new_activity (or the list's button): continue an unfinished draft, or start one."""
    coordinator = _coordinator_id(context)
    if coordinator is None:
        return await _refuse(update, context)
    await acknowledge(update, context)
    current = await _current(context)
    if current is not None and current[1] == "create" and current[0].status == "draft":
        buttons = [
            [(context.t("plan.resume.continue"), "plan:resume")],
            [(context.t("plan.resume.fresh"), "plan:fresh")],
        ]
        await say(
            update, context, "plan.resume.ask", inline(buttons), title=current[0].title or "…"
        )
        return PREVIEW
    return await _fresh_draft(update, context, coordinator)


async def _fresh_draft(update: Update, context: SammenContext, coordinator: int) -> str:
    async with unit_of_work(context.runtime) as session:
        current = await activities.editing(session, coordinator)
        if current is not None and current[1] == "create":
            await activities.discard_draft(session, current[0].id, by=coordinator)
        draft = await activities.start_draft(session, by=coordinator, now=context.now())
    await say(update, context, "plan.intro")
    return await ask(update, context, TITLE, draft)


async def resume_draft(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    return await ask(update, context, next_step(current[0]), current[0])


async def fresh_draft(update: Update, context: SammenContext) -> str | int:
    coordinator = _coordinator_id(context)
    if coordinator is None:
        return await _refuse(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    return await _fresh_draft(update, context, coordinator)


async def _take_up(update: Update, context: SammenContext, purpose: str) -> ActivityInfo | None:
    """Start editing or cancelling the published activity a card's button names."""
    coordinator = _coordinator_id(context)
    query = update.callback_query
    assert coordinator is not None and query is not None and query.data is not None
    async with unit_of_work(context.runtime) as session:
        activity = await activities.find(session, int(query.data.rsplit(":", 1)[1]))
        if activity is None or not activity.is_published:
            await acknowledge(update, context, "activity.gone", alert=True)
            return None
        await activities.set_editing(session, coordinator, activity.id, purpose)
    await acknowledge(update, context)
    return activity


async def edit_published(update: Update, context: SammenContext) -> str | int:
    """'Edit' on an activity's card: any coordinator may change any activity."""
    if _coordinator_id(context) is None:
        return await _refuse(update, context)
    activity = await _take_up(update, context, "edit")
    if activity is None:
        return END
    return await _show_preview(update, context, activity)


async def cancel_asked(update: Update, context: SammenContext) -> str | int:
    if _coordinator_id(context) is None:
        return await _refuse(update, context)
    activity = await _take_up(update, context, "cancel")
    if activity is None:
        return END
    await say(update, context, "plan.cancel.ask_reason", title=activity.title or "")
    return CANCEL_REASON


# --- Answers --------------------------------------------------------------------------------


def _text(update: Update) -> str:
    assert update.message is not None and update.message.text is not None
    return update.message.text


async def _store(
    update: Update, context: SammenContext, step: str, answer: object, **values: object
) -> str | int:
    if isinstance(answer, Invalid):
        await say(update, context, INVALID_KEYS[answer.reason], **_limits(step))
        return step
    saved = await _save(update, context, **values)
    if saved is None:
        return await _lost(update, context)
    return await _continue(update, context, *saved)


def _limits(step: str) -> dict[str, int]:
    return {
        TITLE: {"longest": TITLE_MAX},
        DESCRIPTION: {"longest": DESCRIPTION_MAX},
        PLACE: {"longest": PLACE_MAX},
        SEATS: {"lowest": 0, "highest": SEATS_MAX},
        MIN_VOLUNTEERS: {"lowest": 1, "highest": VOLUNTEERS_MAX},
        MAX_VOLUNTEERS: {"lowest": 1, "highest": VOLUNTEERS_MAX},
    }.get(step, {})


async def title_typed(update: Update, context: SammenContext) -> str | int:
    title = clean_line(_text(update), longest=TITLE_MAX)
    return await _store(update, context, TITLE, title, title=title)


async def description_typed(update: Update, context: SammenContext) -> str | int:
    description = clean_paragraph(_text(update), longest=DESCRIPTION_MAX)
    return await _store(update, context, DESCRIPTION, description, description=description)


async def description_skipped(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _store(update, context, DESCRIPTION, "", description="")


async def category_chosen(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    interest_id = int(query.data.rsplit(":", 1)[1])
    async with unit_of_work(context.runtime) as session:
        known = {i.id for i in await volunteers.active_interests(session)}
    if interest_id not in known:
        await acknowledge(update, context, "plan.category.gone", alert=True)
        await query.edit_message_reply_markup(await _category_keyboard(context, None))
        return CATEGORY
    await acknowledge(update, context)
    await close_buttons(update)
    return await _store(update, context, CATEGORY, interest_id, interest_id=interest_id)


async def place_typed(update: Update, context: SammenContext) -> str | int:
    place = clean_line(_text(update), longest=PLACE_MAX)
    return await _store(update, context, PLACE, place, place=place)


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


async def location_skipped(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _store(
        update, context, LOCATION, None, latitude=None, longitude=None, location_answered=True
    )


async def when_typed(update: Update, context: SammenContext) -> str | int:
    moment = parse_when(_text(update), now=context.now(), zone=context.settings.zone)
    if isinstance(moment, WhenError):
        await say(
            update,
            context,
            WHEN_ERROR_KEYS[moment.reason],
            example=Markup(context.t("plan.when.example")),
        )
        return WHEN
    return await _store(update, context, WHEN, moment, starts_at=moment)


async def duration_typed(update: Update, context: SammenContext) -> str | int:
    minutes = clean_duration(_text(update))
    return await _store(update, context, DURATION, minutes, duration_minutes=minutes)


async def duration_chosen(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await acknowledge(update, context)
    await close_buttons(update)
    minutes = clean_duration(f"{query.data.rsplit(':', 1)[1]} min")
    return await _store(update, context, DURATION, minutes, duration_minutes=minutes)


async def _number(update: Update, context: SammenContext, step: str, raw: str) -> str | int:
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    activity = current[0]
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


def _number_typed(step: str) -> Callable[[Update, SammenContext], Awaitable[str | int]]:
    async def typed(update: Update, context: SammenContext) -> str | int:
        return await _number(update, context, step, _text(update))

    return typed


def _number_chosen(step: str) -> Callable[[Update, SammenContext], Awaitable[str | int]]:
    async def chosen(update: Update, context: SammenContext) -> str | int:
        query = update.callback_query
        assert query is not None and query.data is not None
        await acknowledge(update, context)
        await close_buttons(update)
        return await _number(update, context, step, query.data.rsplit(":", 1)[1])

    return chosen


async def access_toggled(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    key = query.data.rsplit(":", 1)[1]
    current = await _current(context)
    coordinator = _coordinator_id(context)
    if current is None or coordinator is None or key not in ACCESSIBILITY:
        return await _lost(update, context)
    async with unit_of_work(context.runtime) as session:
        activity = await activities.toggle_accessibility(
            session, current[0].id, key, by=coordinator, now=context.now()
        )
    if activity is None:
        return await _lost(update, context)
    await acknowledge(update, context)
    await query.edit_message_reply_markup(_access_keyboard(context, activity.accessibility))
    return ACCESS


async def access_done(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _store(update, context, ACCESS, None, accessibility_answered=True)


async def repeat_once(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _store(update, context, REPEAT, 1, repeat_weeks=1)


async def repeat_weekly(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    return await ask(update, context, REPEAT_UNTIL, current[0])


async def repeat_until_typed(update: Update, context: SammenContext) -> str | int:
    """'6' (times) or a last date such as '20/12'."""
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    first = current[0].starts_at
    assert first is not None
    typed = _text(update).strip()
    if typed.isdigit():
        weeks: int | Invalid = clean_count(typed, lowest=2, highest=REPEAT_MAX)
    else:
        last = parse_date(typed, now=context.now(), zone=context.settings.zone)
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


# --- Preview, publishing, editing -------------------------------------------------------------


async def publish(update: Update, context: SammenContext) -> str | int:
    coordinator = _coordinator_id(context)
    if coordinator is None:
        return await _refuse(update, context)
    current = await _current(context)
    if current is None or current[0].status != "draft":
        return await _lost(update, context)
    draft = current[0]
    missing = next_step(draft)
    if missing != PREVIEW:
        await acknowledge(update, context)
        return await ask(update, context, missing, draft)
    if draft.starts_at is not None and draft.starts_at <= context.now():
        await acknowledge(update, context)
        await close_buttons(update)
        await say(
            update, context, "plan.when.in_the_past", example=Markup(context.t("plan.when.example"))
        )
        return WHEN
    async with unit_of_work(context.runtime) as session:
        published = await activities.publish(
            session, draft.id, by=coordinator, now=context.now(), zone=context.settings.zone
        )
        told = await notices.new_activity(session, context.runtime, published)
    await acknowledge(update, context)
    await close_buttons(update)
    dates = "\n".join(f"• {when_text(context, activity)}" for activity in published)
    await say(
        update,
        context,
        "plan.published",
        title=draft.title or "",
        count=len(published),
        dates=dates,
        told=told,
    )
    return END


async def change_requested(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(_field_buttons(context, "plan.edit.back", "plan:preview"))
    return PREVIEW


async def field_chosen(update: Update, context: SammenContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    step = query.data.rsplit(":", 1)[1]
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    if step not in EDITABLE_STEPS:
        return await _show_preview(update, context, current[0])
    return await ask(update, context, step, current[0])


async def preview_again(update: Update, context: SammenContext) -> str | int:
    current = await _current(context)
    if current is None:
        return await _lost(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    return await _show_preview(update, context, current[0])


async def discard(update: Update, context: SammenContext) -> int:
    coordinator = _coordinator_id(context)
    current = await _current(context)
    await acknowledge(update, context)
    await close_buttons(update)
    if coordinator is not None and current is not None and current[0].status == "draft":
        async with unit_of_work(context.runtime) as session:
            await activities.discard_draft(session, current[0].id, by=coordinator)
    await say(update, context, "plan.discarded")
    return END


async def editing_done(update: Update, context: SammenContext) -> int:
    coordinator = _coordinator_id(context)
    await acknowledge(update, context)
    await close_buttons(update)
    if coordinator is not None:
        async with unit_of_work(context.runtime) as session:
            await activities.stop_editing(session, coordinator)
    await say(update, context, "plan.edit.saved")
    return END


# --- Cancelling -----------------------------------------------------------------------------


async def cancel_reason_typed(update: Update, context: SammenContext) -> str | int:
    reason = clean_paragraph(_text(update), longest=REASON_MAX)
    if isinstance(reason, Invalid):
        await say(update, context, INVALID_KEYS[reason.reason], longest=REASON_MAX)
        return CANCEL_REASON
    current = await _current(context)
    if current is None or current[1] != "cancel":
        return await _lost(update, context)
    context.user_data["cancel_reason"] = reason
    async with unit_of_work(context.runtime) as session:
        reached = await notices.people_to_tell(session, current[0].id)
    buttons = [
        [(context.label("plan.cancel.confirm", count=reached), "plan:cancel:yes")],
        [(context.t("plan.cancel.keep"), "plan:cancel:no")],
    ]
    await say(
        update,
        context,
        "plan.cancel.check",
        inline(buttons),
        title=current[0].title or "",
        reason=reason,
    )
    return CANCEL_CONFIRM


async def cancel_confirmed(update: Update, context: SammenContext) -> int:
    coordinator = _coordinator_id(context)
    current = await _current(context)
    reason = context.user_data.pop("cancel_reason", None)
    await acknowledge(update, context)
    if coordinator is None or current is None or current[1] != "cancel" or not reason:
        # A restart lost the reason typed a moment ago: ask for it again rather than guess.
        await close_buttons(update)
        if current is not None and current[1] == "cancel":
            await say(update, context, "plan.cancel.ask_reason", title=current[0].title or "")
            return CANCEL_REASON
        return await _lost(update, context)
    told = 0
    async with unit_of_work(context.runtime) as session:
        cancelled = await activities.cancel(
            session, current[0].id, by=coordinator, reason=reason, now=context.now()
        )
        if cancelled is not None:
            told = await notices.activity_cancelled(
                session, context.runtime, *cancelled, reason=reason
            )
    await close_buttons(update)
    if cancelled is None:
        await say(update, context, "activity.gone")
        return END
    activity, _ = cancelled
    await say(update, context, "plan.cancel.done", title=activity.title or "", count=told)
    return END


async def cancel_kept(update: Update, context: SammenContext) -> int:
    coordinator = _coordinator_id(context)
    context.user_data.pop("cancel_reason", None)
    await acknowledge(update, context)
    await close_buttons(update)
    if coordinator is not None:
        async with unit_of_work(context.runtime) as session:
            await activities.stop_editing(session, coordinator)
    await say(update, context, "plan.cancel.kept")
    return END


async def stopped(update: Update, context: SammenContext) -> int:
    """/cancel: stop asking. A draft is kept for /new_activity; an edit is already saved."""
    current = await _current(context)
    context.user_data.pop("cancel_reason", None)
    key = "plan.stopped_draft" if current and current[0].status == "draft" else "plan.stopped"
    await say(update, context, key)
    return END


def _reask(step: str) -> Callable[[Update, SammenContext], Awaitable[str | int]]:
    async def reask(update: Update, context: SammenContext) -> str | int:
        current = await _current(context)
        if current is None:
            return await _lost(update, context)
        await say(update, context, "plan.wrong_kind")
        if step in (CANCEL_REASON, CANCEL_CONFIRM):
            return step
        return await ask(update, context, step, current[0])

    return reask


def build() -> ConversationHandler:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    button = CallbackQueryHandler
    states: dict[object, list[BaseHandler]] = {
        TITLE: [MessageHandler(text, title_typed)],
        DESCRIPTION: [
            MessageHandler(text, description_typed),
            button(description_skipped, pattern=r"^plan:desc:skip$"),
        ],
        CATEGORY: [button(category_chosen, pattern=r"^plan:int:\d{1,9}$")],
        PLACE: [MessageHandler(text, place_typed)],
        LOCATION: [
            MessageHandler(message & filters.LOCATION, location_shared),
            button(location_skipped, pattern=r"^plan:loc:skip$"),
        ],
        WHEN: [MessageHandler(text, when_typed)],
        DURATION: [
            MessageHandler(text, duration_typed),
            button(duration_chosen, pattern=r"^plan:dur:\d{1,3}$"),
        ],
        ACCESS: [
            button(access_toggled, pattern=rf"^plan:acc:({'|'.join(ACCESSIBILITY)})$"),
            button(access_done, pattern=r"^plan:acc:done$"),
        ],
        REPEAT: [
            button(repeat_once, pattern=r"^plan:rep:once$"),
            button(repeat_weekly, pattern=r"^plan:rep:weekly$"),
        ],
        REPEAT_UNTIL: [MessageHandler(text, repeat_until_typed)],
        PREVIEW: [
            button(publish, pattern=r"^plan:publish$"),
            button(change_requested, pattern=r"^plan:change$"),
            button(field_chosen, pattern=r"^plan:edit:\w+$"),
            button(preview_again, pattern=r"^plan:preview$"),
            button(discard, pattern=r"^plan:discard$"),
            button(editing_done, pattern=r"^plan:done$"),
            button(resume_draft, pattern=r"^plan:resume$"),
            button(fresh_draft, pattern=r"^plan:fresh$"),
        ],
        CANCEL_REASON: [MessageHandler(text, cancel_reason_typed)],
        CANCEL_CONFIRM: [
            button(cancel_confirmed, pattern=r"^plan:cancel:yes$"),
            button(cancel_kept, pattern=r"^plan:cancel:no$"),
        ],
    }
    for step in (SEATS, MIN_VOLUNTEERS, MAX_VOLUNTEERS):
        states[step] = [
            MessageHandler(text, _number_typed(step)),
            button(_number_chosen(step), pattern=r"^plan:num:\d{1,3}$"),
        ]
    for step, handlers in states.items():
        if step != PREVIEW:
            handlers.append(MessageHandler(message & ~filters.COMMAND, _reask(str(step))))
    return ConversationHandler(
        entry_points=[
            CommandHandler("new_activity", new_activity, filters=message),
            button(new_activity, pattern=r"^adm:new$"),
            button(edit_published, pattern=r"^adm:edit:\d{1,9}$"),
            button(cancel_asked, pattern=r"^adm:cancel:\d{1,9}$"),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", stopped, filters=message),
            CommandHandler("new_activity", new_activity, filters=message),
        ],
        name="activity_planning",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
