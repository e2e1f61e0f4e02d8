"""/bookings: a support person's bookings still ahead, a page at a time, and cancelling one.

The buttons are the kinds in kernel.buttons.bookings. Their data is never trusted: the
booking is looked up among the presser's own citizens, and the list is read anew each time.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.activity_cards import dated_title, page_buttons, place_markup, when_text
from handlers.common import acknowledge, pressed, replace_pressed
from kernel.access import Access, requires
from kernel.buttons.bookings import (
    BookingsAnew,
    CancelBooking,
    CancelBookingConfirmed,
    KeepBooking,
    MyBookingsPage,
)
from kernel.context import SammenContext
from kernel.keyboards import Button, inline
from kernel.paging import Place
from kernel.texts import Markup
from services import bookings
from services.bookings import UpcomingBooking

# Each booking shows its title, time and a place of up to 200 characters: five of them stay
# well inside Telegram's 4096 characters, and five cancel buttons are easy to tell apart.
PAGE_SIZE = 5


def _line(context: SammenContext, booking: UpcomingBooking) -> str:
    activity = booking.activity
    key = "bookings.mine_line" if activity.is_published else "bookings.mine_line_cancelled"
    return context.t(
        key,
        name=booking.citizen_name,
        title=activity.title or "",
        when=when_text(context, activity),
        place=place_markup(context, activity),
    )


def _cancel_button(context: SammenContext, booking: UpcomingBooking, page: int) -> Button:
    # The day leads: two bookings of one citizen may have titles that look alike.
    label = context.label(
        "bookings.button.cancel",
        name=booking.citizen_name,
        title=dated_title(context, booking.activity),
    )
    return label, CancelBooking(booking.activity.id, booking.citizen_id, page).pack()


async def _bookings_view(
    context: SammenContext, page: int = 1, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The bookings still ahead, one page of them; `note` (what just happened) on top.
    After a cancellation the list is drawn again in the same message, so no button in the
    chat points at a booking that is gone."""
    assert context.person is not None
    ahead = await bookings.upcoming(context.runtime, context.person)
    top = f"{note}\n\n" if note else ""
    if not ahead:
        book_now = inline([[(context.t("bookings.button.book_now"), BookingsAnew().pack())]])
        return top + context.t("bookings.mine_none"), book_now
    place = Place.of(page, count=len(ahead), size=PAGE_SIZE)
    page, pages = place.page, place.pages
    shown = ahead[place.offset : place.offset + PAGE_SIZE]
    lines = [_line(context, booking) for booking in shown]
    rows: list[list[Button]] = [
        [_cancel_button(context, booking, page)]
        for booking in shown
        if booking.activity.is_published
    ]
    paging = page_buttons(context, MyBookingsPage, page, pages)
    if paging:
        rows.append(paging)
    text = context.t("bookings.mine", lines=Markup("\n\n".join(lines)))
    return top + text, inline(rows) if rows else None


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def my_bookings(update: Update, context: SammenContext) -> None:
    """/bookings: the first page of the bookings still ahead, a cancel button for each."""
    text, markup = await _bookings_view(context)
    await replace_pressed(update, context, text, markup)


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def page_pressed(update: Update, context: SammenContext) -> None:
    button = pressed(update, MyBookingsPage)
    await acknowledge(update, context)
    text, markup = await _bookings_view(context, button.page)
    await replace_pressed(update, context, text, markup)


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def cancel_asked(update: Update, context: SammenContext) -> None:
    button = pressed(update, CancelBooking)
    assert context.person is not None
    found = await bookings.booking(
        context.runtime, button.activity_id, button.citizen_id, context.person
    )
    if found is None:
        await acknowledge(update, context, "bookings.not_booked", alert=True)
        return
    citizen, entry = found.citizen, found.entry
    await acknowledge(update, context)
    confirm = context.label("bookings.button.cancel_confirm", name=citizen.first_name)
    buttons = [
        [(confirm, CancelBookingConfirmed(button.activity_id, citizen.id, button.page).pack())],
        [(context.t("bookings.button.keep"), KeepBooking(button.page).pack())],
    ]
    text = context.t(
        "bookings.cancel_ask",
        name=citizen.first_name,
        title=entry.activity.title or "",
        when=when_text(context, entry.activity),
    )
    await replace_pressed(update, context, text, inline(buttons))


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def cancel_confirmed(update: Update, context: SammenContext) -> None:
    button = pressed(update, CancelBookingConfirmed)
    assert context.person is not None
    citizen = await bookings.cancel(
        context.runtime, button.activity_id, button.citizen_id, context.person
    )
    if citizen is None:
        await acknowledge(update, context, "bookings.not_booked", alert=True)
        text, markup = await _bookings_view(context, button.page)
        await replace_pressed(update, context, text, markup)
        return
    await acknowledge(update, context)
    note = context.t("bookings.cancelled", name=citizen.first_name)
    text, markup = await _bookings_view(context, button.page, note)
    await replace_pressed(update, context, text, markup)


@requires(Access.SUPPORT_PERSON, refusal_key="bookings.only_support")
async def cancel_declined(update: Update, context: SammenContext) -> None:
    button = pressed(update, KeepBooking)
    await acknowledge(update, context)
    text, markup = await _bookings_view(context, button.page, context.t("bookings.kept"))
    await replace_pressed(update, context, text, markup)


def register(app: Application) -> None:
    for handler in (
        CommandHandler("bookings", my_bookings, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(page_pressed, pattern=MyBookingsPage.matches),
        CallbackQueryHandler(cancel_asked, pattern=CancelBooking.matches),
        CallbackQueryHandler(cancel_confirmed, pattern=CancelBookingConfirmed.matches),
        CallbackQueryHandler(cancel_declined, pattern=KeepBooking.matches),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
