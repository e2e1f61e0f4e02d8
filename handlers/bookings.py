"""Support persons book the citizens they support into group activities, and cancel again.

The buttons are the kinds in kernel.buttons.bookings. Their data is never trusted: every
handler re-reads the activity, and the citizen only among the presser's own citizens.
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.activity_cards import (
    ACCESSIBILITY_KEYS,
    PAGE_SIZE,
    SEPARATOR,
    accessibility_text,
    button_title,
    page_buttons,
    place_markup,
    when_text,
)
from handlers.common import acknowledge, pressed, replace_pressed, say_text
from kernel.access import Access, requires
from kernel.buttons.bookings import (
    BookCitizen,
    BookingsAnew,
    BookingsPage,
    PickCitizen,
)
from kernel.buttons.citizens import AddCitizen
from kernel.context import SammenContext
from kernel.keyboards import Button, inline
from kernel.needs import missing_offers, wanted_offers
from kernel.texts import Markup
from services import bookings, citizens
from services.bookings import BookableActivity, BookingOutcome, State
from services.citizens import CitizenInfo

OUTCOME_KEYS = {
    BookingOutcome.ALREADY_BOOKED: "bookings.already",
    BookingOutcome.FULL: "bookings.full",
    BookingOutcome.GONE: "bookings.gone",
    BookingOutcome.STARTED: "bookings.started",
    BookingOutcome.NO_SUCH_CITIZEN: "citizens.gone",
}


# --- The list of activities to book ---------------------------------------------------------


def company_text(context: SammenContext, entry: BookableActivity) -> str:
    """Who goes with them: the volunteers already going, or that enough will come."""
    minimum = entry.activity.min_volunteers or 1
    if entry.company:
        names = context.runtime.texts.names(
            context.language, entry.volunteers_going, total=entry.company
        )
        return context.t(
            "bookings.company.some_going_ahead"
            if entry.going_ahead_short
            else "bookings.company.some",
            names=names,
            minimum=minimum,
        )
    if entry.going_ahead_short:
        return context.t("bookings.company.none_going_ahead", minimum=minimum)
    return context.t("bookings.company.none", minimum=minimum)


def unfit(entry: BookableActivity, everyone: list[CitizenInfo]) -> list[CitizenInfo]:
    """This support person's citizens whose needs the activity does not say it meets."""
    offers = entry.activity.accessibility
    return [citizen for citizen in everyone if missing_offers(citizen.needs, offers)]


def fit_text(context: SammenContext, entry: BookableActivity, everyone: list[CitizenInfo]) -> str:
    """Whether the activity fits each citizen's needs, as far as its notes say (issue 14)."""
    lines: list[str] = []
    offers = entry.activity.accessibility
    fitting = [c.first_name for c in everyone if wanted_offers(c.needs)]
    for citizen in unfit(entry, everyone):
        fitting.remove(citizen.first_name)
        missing = [context.t(ACCESSIBILITY_KEYS[o]) for o in missing_offers(citizen.needs, offers)]
        lines.append(
            context.t("bookings.fit.misses", name=citizen.first_name, offers=", ".join(missing))
        )
    if fitting:
        lines.insert(0, context.t("bookings.fit.fits", names=context.names(fitting)))
    return "".join(line + "\n" for line in lines)


def entry_text(
    context: SammenContext, entry: BookableActivity, everyone: list[CitizenInfo] | None = None
) -> str:
    activity = entry.activity
    mine = (
        context.t("bookings.card.booked_here", names=context.names(entry.booked_here)) + "\n"
        if entry.booked_here
        else ""
    )
    places = (
        context.t("bookings.card.places", free=entry.free_places, seats=activity.citizen_seats)
        if entry.free_places
        else context.t("bookings.card.full", seats=activity.citizen_seats or 0)
    )
    return context.t(
        "bookings.card.body",
        title=activity.title or "",
        when=when_text(context, activity),
        place=place_markup(context, activity),
        description=Markup(html.escape(activity.description, quote=False) + "\n")
        if activity.description
        else "",
        company=Markup(company_text(context, entry)),
        places=Markup(places),
        mine=Markup(mine + fit_text(context, entry, everyone or [])),
        access=accessibility_text(context, activity),
    )


async def booking_page(
    context: SammenContext, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    person = context.person
    assert person is not None
    found = await bookings.bookable_page(context.runtime, person, page, PAGE_SIZE)
    if not found.count:
        return context.t("bookings.none"), None
    page, pages = found.page, found.pages
    everyone = await citizens.citizens_of(context.runtime, person)
    # In the service's order: those that fit the citizens' needs first, across all pages.
    shown = found.items
    rows: list[list[Button]] = [
        [
            (
                context.label("bookings.button.book", title=button_title(context, entry.activity)),
                PickCitizen(entry.activity.id, entry.activity.version).pack(),
            )
        ]
        for entry in shown
        if entry.free_places
    ]
    rows.append(page_buttons(context, BookingsPage, page, pages))
    text = (
        context.t("bookings.list_header")
        + "\n\n"
        + SEPARATOR.join(entry_text(context, entry, everyone) for entry in shown)
    )
    rows = [row for row in rows if row]
    return text, inline(rows) if rows else None


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def list_command(update: Update, context: SammenContext) -> None:
    """/book: upcoming activities that take citizens."""
    text, markup = await booking_page(context, 1)
    await say_text(update, context, text, markup)


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def list_pressed(update: Update, context: SammenContext) -> None:
    """Paging, or back from choosing a citizen: the list is redrawn in the same message."""
    button = pressed(update, BookingsPage)
    await acknowledge(update, context)
    text, markup = await booking_page(context, button.page)
    await replace_pressed(update, context, text, markup)


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def list_anew(update: Update, context: SammenContext) -> None:
    """'Book an activity' under another message: the list comes as a new message."""
    await acknowledge(update, context)
    text, markup = await booking_page(context, 1)
    await say_text(update, context, text, markup)


# --- Choosing whom to book ------------------------------------------------------------------


async def _current(
    update: Update, context: SammenContext, button: PickCitizen
) -> BookableActivity | None:
    """The activity a button names, if it can still be booked as it was shown; else a kind no."""
    person = context.person
    assert person is not None
    shown = await bookings.as_shown(context.runtime, button.activity_id, button.version, person)
    if await _not_as_shown(update, context, shown):
        return None
    return shown.entry


async def _not_as_shown(update: Update, context: SammenContext, shown: bookings.AsShown) -> bool:
    """Say kindly why the activity cannot be booked as the button showed it; False if it can.
    A changed activity is shown anew, so the support person books what it is now."""
    if shown.state is State.OPEN:
        return False
    if shown.state is State.GONE or shown.entry is None:
        await acknowledge(update, context, "bookings.gone", alert=True)
    elif shown.state is State.STARTED:
        await acknowledge(update, context, "bookings.started", alert=True)
    else:
        await acknowledge(update, context, "bookings.changed", alert=True)
        text = context.t("bookings.changed_card") + "\n\n" + entry_text(context, shown.entry)
        await say_text(update, context, text, _pick_markup(context, shown.entry))
    return True


def _pick_markup(context: SammenContext, entry: BookableActivity) -> InlineKeyboardMarkup | None:
    activity = entry.activity
    if not entry.free_places:
        return None
    return inline(
        [
            [
                (
                    context.label("bookings.button.book", title=button_title(context, activity)),
                    PickCitizen(activity.id, activity.version).pack(),
                )
            ]
        ]
    )


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def pick(update: Update, context: SammenContext) -> None:
    """Which of the support person's citizens should come?"""
    button = pressed(update, PickCitizen)
    assert context.person is not None
    entry = await _current(update, context, button)
    if entry is None:
        return
    everyone = await citizens.citizens_of(context.runtime, context.person)
    if not everyone:
        await acknowledge(update, context)
        add = inline([[(context.t("citizens.button.add"), AddCitizen().pack())]])
        await say_text(update, context, context.t("bookings.no_citizens"), add)
        return
    activity = entry.activity
    free = [citizen for citizen in everyone if citizen.first_name not in entry.booked_here]
    if not free:
        await acknowledge(update, context, "bookings.everyone_booked", alert=True)
        return
    await acknowledge(update, context)
    rows = [
        [(citizen.first_name, BookCitizen.of(activity.id, activity.version, citizen.id).pack())]
        for citizen in free
    ]
    rows.append([(context.t("bookings.button.back"), BookingsPage(1).pack())])
    text = context.t("bookings.pick", title=activity.title or "", when=when_text(context, activity))
    await replace_pressed(update, context, text, inline(rows))


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def book(update: Update, context: SammenContext) -> None:
    """Book the chosen citizen, if the activity is still as shown and a place is free."""
    button = pressed(update, BookCitizen)
    assert context.person is not None
    booked = await bookings.book(
        context.runtime, button.activity_id, button.version, button.citizen_id, context.person
    )
    if await _not_as_shown(update, context, booked.shown):
        return
    if booked.outcome is not BookingOutcome.BOOKED:
        assert booked.outcome is not None
        await acknowledge(update, context, OUTCOME_KEYS[booked.outcome], alert=True)
        return
    await acknowledge(update, context)
    citizen, after = booked.citizen, booked.after
    assert citizen is not None and after is not None
    text = context.t(
        "bookings.booked",
        name=citizen.first_name,
        title=after.activity.title or "",
        when=when_text(context, after.activity),
        company=Markup(company_text(context, after)),
    )
    more = [[(context.t("bookings.button.more"), BookingsAnew().pack())]]
    await replace_pressed(update, context, text, inline(more))


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    for handler in (
        CommandHandler("book", list_command, filters=message),
        CallbackQueryHandler(list_pressed, pattern=BookingsPage.matches),
        CallbackQueryHandler(list_anew, pattern=BookingsAnew.matches),
        CallbackQueryHandler(pick, pattern=PickCitizen.matches),
        CallbackQueryHandler(book, pattern=BookCitizen.matches),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
