"""Volunteers find group activities, join them together, leave, and add them to a calendar.

/activities also serves coordinators: they get the planning list (see activity_admin).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from telegram import InlineKeyboardMarkup as Inline
from telegram import Message, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups, whos_coming
from handlers.activity_cards import (
    PAGE_SIZE,
    SEPARATOR,
    activity_button,
    coordinator_page,
    first_company,
    interest_label,
    keyboard,
    page_buttons,
    volunteer_buttons,
    volunteer_entry,
    when_text,
)
from handlers.common import acknowledge, replace_pressed, say, say_text
from kernel.access import Access, requires
from kernel.buttons.activities import (
    MINE,
    ActivityButton,
    ActivityPage,
    CalendarAll,
    LateReason,
    Screen,
    Verb,
    View,
)
from kernel.context import Runtime, SammenContext
from kernel.keyboards import Button, inline
from kernel.people import PersonInfo
from kernel.texts import Markup
from kernel.validation import Invalid, visible_text
from services import calendar_file, participation
from services.participation import ActivityInfo, Listing, Outcome

END = ConversationHandler.END
TakePlace = Callable[[Runtime, int, PersonInfo], Awaitable[Outcome]]
LATE_REASON = "late_reason"
REASON_MAX = 500
# /my_activities for those who do not join: not "sign up", e.g. a volunteer made coordinator.
NOT_A_VOLUNTEER = {True: "activities.for_support_persons", False: "activities.for_coordinators"}


# --- Drawing the messages -------------------------------------------------------------------


async def _entries(
    context: SammenContext, listings: list[Listing], view: View
) -> tuple[str, list[list[Button]]]:
    texts, rows = [], []
    for listing in listings:
        interest = await interest_label(context, listing.activity)
        brief = view.screen is not Screen.CARD
        texts.append(volunteer_entry(context, listing, interest, brief=brief))
        rows.append(volunteer_buttons(context, listing, view))
    return SEPARATOR.join(texts), rows


async def volunteer_page(context: SammenContext, page: int) -> tuple[str, Inline | None]:
    person = context.person
    assert person is not None
    found = await participation.listings_page(context.runtime, person, page, PAGE_SIZE)
    if not found.count:
        return context.t("activities.none"), None
    page, pages = found.page, found.pages
    body, rows = await _entries(context, found.items, View.listing(page))
    rows.append(page_buttons(context, ActivityPage, page, pages))
    header = context.t("activities.header", page=page, pages=pages, count=found.count)
    return f"{header}\n\n{body}", keyboard(rows)


async def my_page(context: SammenContext) -> tuple[str, Inline | None]:
    person = context.person
    assert person is not None
    mine = await participation.my_activities(context.runtime, person)
    if not mine:
        return context.t("activities.mine.none"), None
    body, rows = await _entries(context, mine, MINE)
    for listing, row in zip(mine, rows, strict=True):
        if listing.my_status != "joined":
            continue  # waiting is not going: nothing to put in a calendar yet
        calendar = activity_button(Verb.CALENDAR, listing.activity, MINE, versioned=False)
        row.append((context.t("activity.button.calendar"), calendar))
        row.append(whos_coming.button(context, listing.activity.id))
    rows.append([(context.t("activities.mine.calendar_all"), CalendarAll().pack())])
    return f"{context.t('activities.mine.header')}\n\n{body}", keyboard(rows)


async def single_card(context: SammenContext, activity_id: int) -> tuple[str, Inline | None] | None:
    person = context.person
    assert person is not None
    listing = await participation.listing(context.runtime, activity_id, person)
    if listing is None or not listing.activity.is_published:
        return None
    body, rows = await _entries(context, [listing], View(Screen.CARD))
    return body, keyboard(rows)


async def _redraw(update: Update, context: SammenContext, view: View, activity_id: int) -> None:
    """Show the pressed message as it is now (places taken, my status, the right buttons)."""
    if view.screen is Screen.MINE:
        drawn = await my_page(context)
    elif view.screen is Screen.CARD:
        drawn = await single_card(context, activity_id) or (context.t("activity.gone"), None)
    else:
        drawn = await volunteer_page(context, view.page)
    text, markup = drawn
    await replace_pressed(update, context, text, markup)


# --- Commands -------------------------------------------------------------------------------


async def show_activities(update: Update, context: SammenContext) -> None:
    """/activities: the planning list for coordinators, upcoming activities for volunteers."""
    person = context.person
    if person is not None and person.is_coordinator:
        text, markup = await coordinator_page(context, 1)
        await replace_pressed(update, context, text, markup)
        return
    if person is not None and person.is_support_person:
        await say(update, context, "activities.for_support_persons")
        return
    if person is None or not person.is_active_volunteer:
        await say(update, context, "activities.volunteers_only")
        return
    text, markup = await volunteer_page(context, 1)
    await replace_pressed(update, context, text, markup)


async def show_mine(update: Update, context: SammenContext) -> None:
    person = context.person
    if person is not None and (person.is_support_person or person.is_coordinator):
        await say(update, context, NOT_A_VOLUNTEER[person.is_support_person])
        return
    if person is None or not person.is_active_volunteer:
        await say(update, context, "activities.volunteers_only")
        return
    text, markup = await my_page(context)
    await replace_pressed(update, context, text, markup)


@requires(Access.VOLUNTEER)
async def turn_page(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    pressed = ActivityPage.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    await acknowledge(update, context)
    await _redraw(update, context, View.listing(pressed.page), 0)


# --- Buttons on an activity -----------------------------------------------------------------


def _pressed(update: Update) -> ActivityButton:
    query = update.callback_query
    action = ActivityButton.parse(query.data if query else None)
    assert action is not None  # the handler's pattern let only this kind through
    return action


async def _still_open(
    update: Update, context: SammenContext, action: ActivityButton
) -> ActivityInfo | None:
    """The activity, unless it was cancelled or has started: then say so kindly."""
    current = await participation.activity(context.runtime, action.activity_id)
    if current is None or not current.is_published:
        await acknowledge(update, context, "activity.gone", alert=True)
        await _redraw(update, context, action.view, action.activity_id)
        return None
    if current.starts_at is None or current.starts_at <= context.now():
        await acknowledge(update, context, "activity.started", alert=True)
        return None
    return current


async def _still_joinable(update: Update, context: SammenContext, action: ActivityButton) -> bool:
    """Refuse kindly what changed under the button: cancelled, started, or edited since."""
    current = await _still_open(update, context, action)
    if current is None:
        return False
    if action.version is not None and action.version != current.version:
        await acknowledge(update, context, "activity.changed", alert=True)
        drawn = await single_card(context, current.id)
        if drawn:
            await say(update, context, "activity.changed_intro")
            await say_text(update, context, drawn[0], drawn[1])
        return False
    return True


async def _confirm_going(
    update: Update, context: SammenContext, activity_id: int, key: str
) -> None:
    person = context.person
    assert person is not None
    listing = await participation.listing(context.runtime, activity_id, person)
    if listing is None:
        return
    if listing.company:
        names = context.runtime.texts.names(
            context.language, listing.others_going, total=listing.company
        )
        company = Markup(context.t("activity.joined.company", names=names))
    else:
        company = Markup(first_company(context, listing))
    await say(
        update,
        context,
        key,
        title=listing.activity.title or "",
        when=when_text(context, listing.activity),
        company=company,
    )


@requires(Access.VOLUNTEER)
async def join_pressed(update: Update, context: SammenContext) -> None:
    action = _pressed(update)
    assert context.person is not None
    if action.verb is Verb.JOIN:
        other = await participation.clash(context.runtime, action.activity_id, context.person)
        if other is not None:
            if await _still_joinable(update, context, action):
                await _ask_about_clash(update, context, action, other)
            return
    await _take_place(update, context, participation.join)


async def _ask_about_clash(
    update: Update, context: SammenContext, action: ActivityButton, other: ActivityInfo
) -> None:
    """Two activities at once: say which, and let the volunteer join anyway with one press."""
    await acknowledge(update, context)
    anyway = replace(action, verb=Verb.JOIN_ANYWAY).pack()
    button = [(context.label("activity.clash.join_anyway"), anyway)]
    await say(
        update,
        context,
        "activity.clash.ask",
        inline([button]),
        other=other.title or "",
        when=when_text(context, other),
    )


@requires(Access.VOLUNTEER)
async def wait_pressed(update: Update, context: SammenContext) -> None:
    await _take_place(update, context, participation.wait)


async def _take_place(update: Update, context: SammenContext, take: TakePlace) -> None:
    """Join, or wait for a place: the same checks, then `take` in its own transaction."""
    action = _pressed(update)
    if not await _still_joinable(update, context, action):
        return
    assert context.person is not None
    outcome = await take(context.runtime, action.activity_id, context.person)
    await _report(update, context, action, outcome)


async def _report(
    update: Update, context: SammenContext, action: ActivityButton, outcome: Outcome
) -> None:
    if outcome is Outcome.JOINED:
        await acknowledge(update, context)
        await _redraw(update, context, action.view, action.activity_id)
        await _confirm_going(update, context, action.activity_id, "activity.joined.going")
    elif outcome is Outcome.WAITING:
        await acknowledge(update, context)
        await _redraw(update, context, action.view, action.activity_id)
        await say(update, context, "activity.waiting.added")
    elif outcome is Outcome.FULL:
        await acknowledge(update, context)
        await _redraw(update, context, action.view, action.activity_id)
        current = await participation.activity(context.runtime, action.activity_id)
        if current is not None:
            button = [
                (
                    context.t("activity.button.wait_yes"),
                    activity_button(Verb.WAIT, current, action.view),
                )
            ]
            await say(update, context, "activity.full", inline([button]), title=current.title or "")
    elif outcome is Outcome.ALREADY_JOINED:
        await acknowledge(update, context, "activity.already_joined", alert=True)
    elif outcome is Outcome.ALREADY_WAITING:
        await acknowledge(update, context, "activity.already_waiting", alert=True)
    elif outcome is Outcome.STARTED:
        await acknowledge(update, context, "activity.started", alert=True)
    else:
        await acknowledge(update, context, "activity.gone", alert=True)
        await _redraw(update, context, action.view, action.activity_id)


@requires(Access.VOLUNTEER)
async def leave_pressed(update: Update, context: SammenContext) -> str | int:
    """Leave an activity or its waiting list; a late leave asks for an optional reason."""
    action = _pressed(update)
    person = context.person
    assert person is not None
    if await _still_open(update, context, action) is None:
        return END
    departure = await participation.leave(context.runtime, action.activity_id, person)
    activity = departure.activity
    if not departure.left or activity is None:
        await acknowledge(update, context, "activity.not_on_it", alert=True)
        await _redraw(update, context, action.view, action.activity_id)
        return END
    await acknowledge(update, context)
    await _redraw(update, context, action.view, action.activity_id)
    if departure.late:
        # Not "thank you for saying so in time": the next question says it starts within a day.
        key = "activity.left_late"
    else:
        key = "activity.left" if departure.was_joined else "activity.left_waiting"
    await say(update, context, key, title=activity.title or "")
    if not departure.late:
        return END
    skip = inline([[(context.t("activity.reason.skip"), LateReason().pack())]])
    await say(update, context, "activity.reason.ask", skip)
    return LATE_REASON


async def reason_given(update: Update, context: SammenContext) -> str | int:
    message = update.message
    assert message is not None and message.text is not None
    person = context.person
    if person is None:
        return END
    reason = visible_text(message.text)
    if isinstance(reason, Invalid):
        await say(update, context, "common.invisible")
        return LATE_REASON
    await participation.record_late_reason(context.runtime, person, reason.strip()[:REASON_MAX])
    await say(update, context, "activity.reason.thanks")
    return END


async def reason_skipped(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    person = context.person
    if person is not None:
        await participation.record_late_reason(context.runtime, person, None)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
    await say(update, context, "activity.reason.skipped")
    return END


async def reason_not_text(update: Update, context: SammenContext) -> str:
    await say(update, context, "activity.reason.type_it")
    return LATE_REASON


# --- Calendar -------------------------------------------------------------------------------


@requires(Access.VOLUNTEER)
async def calendar_pressed(update: Update, context: SammenContext) -> None:
    """One joined activity, or all of them (`CalendarAll`), as a calendar file."""
    person = context.person
    assert person is not None
    query = update.callback_query
    data = query.data if query else None
    action = None if CalendarAll.matches(data) else ActivityButton.parse(data)
    file = await calendar_file.for_volunteer(
        context.runtime, person, action.activity_id if action else None
    )
    if file is None:
        await acknowledge(update, context, "activity.calendar.nothing", alert=True)
        return
    await acknowledge(update, context)
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=file.content,
        filename=file.name,
        caption=context.t("activity.calendar.caption"),
    )


def _pressing(*verbs: Verb) -> Callable[[object], bool]:
    """The handler pattern for activity buttons of these verbs."""

    def matches(data: object) -> bool:
        action = ActivityButton.parse(data)
        return action is not None and action.verb in verbs

    return matches


_one_in_calendar = _pressing(Verb.CALENDAR)


def _calendar(data: object) -> bool:
    return CalendarAll.matches(data) or _one_in_calendar(data)


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    late_reason = ConversationHandler(
        entry_points=[CallbackQueryHandler(leave_pressed, pattern=_pressing(Verb.LEAVE))],
        states={
            LATE_REASON: [
                MessageHandler(message & filters.TEXT & ~filters.COMMAND, reason_given),
                CallbackQueryHandler(reason_skipped, pattern=LateReason.matches),
                MessageHandler(message & ~filters.COMMAND, reason_not_text),
            ]
        },
        fallbacks=[],
        name="late_leave",
        persistent=True,
        allow_reentry=True,
    )
    handlers: tuple[BaseHandler[Update, SammenContext, Any], ...] = (
        late_reason,
        CommandHandler("activities", show_activities, filters=message),
        CommandHandler("my_activities", show_mine, filters=message),
        CallbackQueryHandler(turn_page, pattern=ActivityPage.matches),
        CallbackQueryHandler(join_pressed, pattern=_pressing(Verb.JOIN, Verb.JOIN_ANYWAY)),
        CallbackQueryHandler(wait_pressed, pattern=_pressing(Verb.WAIT)),
        CallbackQueryHandler(calendar_pressed, pattern=_calendar),
    )
    for handler in handlers:
        app.add_handler(handler, group=groups.JOURNEYS)
