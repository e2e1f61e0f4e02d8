"""Support persons book the citizens they support into group activities, and cancel again.

Callback data: `bk:list:<page>` (redraw), `bk:new`, `bk:pick:<activity>:<version>`,
`bk:do:<activity>:<version>:<citizen>`, `bk:cx:<activity>:<citizen>`,
`bk:cxy:<activity>:<citizen>`, `bk:keep`. It is parsed in `parse_booking` and never trusted:
every handler re-reads the activity, and the citizen only among the presser's own citizens.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.activity_cards import (
    PAGE_SIZE,
    SEPARATOR,
    accessibility_text,
    page_buttons,
    pages_of,
    place_markup,
    short_title,
    when_text,
)
from handlers.common import acknowledge, allowed_or_told, replace_pressed, say_text
from kernel.context import SammenContext
from kernel.keyboards import Button, inline
from kernel.texts import Markup
from services import bookings, citizens
from services.bookings import BookableActivity, BookingOutcome, State

# The soonest bookings fit one message (Telegram allows 4096 characters); later ones follow
# as these take place.
MOST_BOOKINGS_SHOWN = 15
OUTCOME_KEYS = {
    BookingOutcome.ALREADY_BOOKED: "bookings.already",
    BookingOutcome.FULL: "bookings.full",
    BookingOutcome.GONE: "bookings.gone",
    BookingOutcome.STARTED: "bookings.started",
    BookingOutcome.NO_SUCH_CITIZEN: "citizens.gone",
}


@dataclass(frozen=True)
class BookingButton:
    verb: str
    activity_id: int
    version: int | None = None
    citizen_id: int | None = None


def parse_booking(data: str) -> BookingButton | None:
    """`bk:do:42:3:7` -> BookingButton; None for anything malformed."""
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != "bk" or not all(part.isdigit() for part in parts[2:]):
        return None
    numbers = [int(part) for part in parts[2:]]
    shapes = {"pick": 2, "do": 3, "cx": 2, "cxy": 2}
    verb = parts[1]
    if shapes.get(verb) != len(numbers):
        return None
    if verb == "pick":
        return BookingButton(verb, numbers[0], version=numbers[1])
    if verb == "do":
        return BookingButton(verb, numbers[0], version=numbers[1], citizen_id=numbers[2])
    return BookingButton(verb, numbers[0], citizen_id=numbers[1])


async def _is_support_person(update: Update, context: SammenContext) -> bool:
    """Only registered support persons book and keep citizens; anyone else hears how."""
    person = context.person
    allowed = person is not None and person.is_registered_support_person
    return await allowed_or_told(update, context, allowed, "bookings.only_support")


async def _pressed(update: Update, context: SammenContext) -> BookingButton | None:
    """The button a registered support person pressed, parsed; None (and a kind no) else."""
    if not await _is_support_person(update, context):
        return None
    query = update.callback_query
    assert query is not None and query.data is not None
    button = parse_booking(query.data)
    if button is None or (button.verb != "pick" and button.citizen_id is None):
        await acknowledge(update, context, "common.button_expired", alert=True)
        return None
    return button


# --- The list of activities to book ---------------------------------------------------------


def company_text(context: SammenContext, entry: BookableActivity) -> str:
    """Who goes with them: the volunteers already going, or that enough will come."""
    minimum = entry.activity.min_volunteers or 1
    if entry.volunteers_going:
        return context.t(
            "bookings.company.some",
            names=", ".join(entry.volunteers_going),
            minimum=minimum,
        )
    return context.t("bookings.company.none", minimum=minimum)


def entry_text(context: SammenContext, entry: BookableActivity) -> str:
    activity = entry.activity
    mine = (
        context.t("bookings.card.booked_here", names=", ".join(entry.booked_here)) + "\n"
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
        mine=Markup(mine),
        access=accessibility_text(context, activity),
    )


async def booking_page(
    context: SammenContext, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    person = context.person
    assert person is not None
    found = await bookings.bookable(context.runtime, person)
    if not found:
        return context.t("bookings.none"), None
    pages = pages_of(len(found))
    page = min(max(page, 1), pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    rows: list[list[Button]] = [
        [
            (
                context.label("bookings.button.book", title=short_title(entry.activity)),
                f"bk:pick:{entry.activity.id}:{entry.activity.version}",
            )
        ]
        for entry in shown
        if entry.free_places
    ]
    rows.append(page_buttons(context, "bk:list:", page, pages))
    text = (
        context.t("bookings.list_header")
        + "\n\n"
        + SEPARATOR.join(entry_text(context, entry) for entry in shown)
    )
    rows = [row for row in rows if row]
    return text, inline(rows) if rows else None


async def list_command(update: Update, context: SammenContext) -> None:
    """/book: upcoming activities that take citizens."""
    if not await _is_support_person(update, context):
        return
    text, markup = await booking_page(context, 1)
    await say_text(update, context, text, markup)


async def list_pressed(update: Update, context: SammenContext) -> None:
    """Paging, or back from choosing a citizen: the list is redrawn in the same message."""
    if not await _is_support_person(update, context):
        return
    query = update.callback_query
    assert query is not None and query.data is not None
    await acknowledge(update, context)
    text, markup = await booking_page(context, int(query.data.rsplit(":", 1)[1]))
    await replace_pressed(update, context, text, markup)


async def list_anew(update: Update, context: SammenContext) -> None:
    """'Book an activity' under another message: the list comes as a new message."""
    if not await _is_support_person(update, context):
        return
    await acknowledge(update, context)
    text, markup = await booking_page(context, 1)
    await say_text(update, context, text, markup)


# --- Choosing whom to book ------------------------------------------------------------------


async def _current(
    update: Update, context: SammenContext, button: BookingButton
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
                    context.label("bookings.button.book", title=short_title(activity)),
                    f"bk:pick:{activity.id}:{activity.version}",
                )
            ]
        ]
    )


async def pick(update: Update, context: SammenContext) -> None:
    """Which of the support person's citizens should come?"""
    button = await _pressed(update, context)
    if button is None:
        return
    assert context.person is not None
    entry = await _current(update, context, button)
    if entry is None:
        return
    everyone = await citizens.citizens_of(context.runtime, context.person)
    if not everyone:
        await acknowledge(update, context)
        add = inline([[(context.t("citizens.button.add"), "cz:add")]])
        await say_text(update, context, context.t("bookings.no_citizens"), add)
        return
    activity = entry.activity
    free = [citizen for citizen in everyone if citizen.first_name not in entry.booked_here]
    if not free:
        await acknowledge(update, context, "bookings.everyone_booked", alert=True)
        return
    await acknowledge(update, context)
    rows = [
        [(citizen.first_name, f"bk:do:{activity.id}:{activity.version}:{citizen.id}")]
        for citizen in free
    ]
    rows.append([(context.t("bookings.button.back"), "bk:list:1")])
    text = context.t("bookings.pick", title=activity.title or "", when=when_text(context, activity))
    await replace_pressed(update, context, text, inline(rows))


async def book(update: Update, context: SammenContext) -> None:
    button = await _pressed(update, context)
    if button is None:
        return
    assert context.person is not None and button.citizen_id is not None
    assert button.version is not None
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
    more = [[(context.t("bookings.button.more"), "bk:new")]]
    await replace_pressed(update, context, text, inline(more))


# --- What is booked, and cancelling ---------------------------------------------------------


async def my_bookings(update: Update, context: SammenContext) -> None:
    """/bookings: every booking still ahead, with a button to cancel each."""
    if not await _is_support_person(update, context):
        return
    assert context.person is not None
    ahead = await bookings.upcoming(context.runtime, context.person)
    if not ahead:
        book_now = inline([[(context.t("bookings.button.book_now"), "bk:new")]])
        await say_text(update, context, context.t("bookings.mine_none"), book_now)
        return
    lines, rows = [], []
    for booking in ahead[:MOST_BOOKINGS_SHOWN]:
        activity = booking.activity
        key = "bookings.mine_line" if activity.is_published else "bookings.mine_line_cancelled"
        lines.append(
            context.t(
                key,
                name=booking.citizen_name,
                title=activity.title or "",
                when=when_text(context, activity),
                place=place_markup(context, activity),
            )
        )
        if activity.is_published:
            rows.append(
                [
                    (
                        context.label(
                            "bookings.button.cancel",
                            name=booking.citizen_name,
                            title=short_title(activity),
                        ),
                        f"bk:cx:{activity.id}:{booking.citizen_id}",
                    )
                ]
            )
    if len(ahead) > MOST_BOOKINGS_SHOWN:
        lines.append(context.t("bookings.mine_more", count=len(ahead) - MOST_BOOKINGS_SHOWN))
    text = context.t("bookings.mine", lines=Markup("\n\n".join(lines)))
    await say_text(update, context, text, inline(rows) if rows else None)


async def cancel_asked(update: Update, context: SammenContext) -> None:
    button = await _pressed(update, context)
    if button is None:
        return
    assert context.person is not None and button.citizen_id is not None
    found = await bookings.booking(
        context.runtime, button.activity_id, button.citizen_id, context.person
    )
    if found is None:
        await acknowledge(update, context, "bookings.not_booked", alert=True)
        return
    citizen, entry = found.citizen, found.entry
    await acknowledge(update, context)
    buttons = [
        [
            (
                context.label("bookings.button.cancel_confirm", name=citizen.first_name),
                f"bk:cxy:{button.activity_id}:{citizen.id}",
            )
        ],
        [(context.t("bookings.button.keep"), "bk:keep")],
    ]
    text = context.t(
        "bookings.cancel_ask",
        name=citizen.first_name,
        title=entry.activity.title or "",
        when=when_text(context, entry.activity),
    )
    await say_text(update, context, text, inline(buttons))


async def cancel_confirmed(update: Update, context: SammenContext) -> None:
    button = await _pressed(update, context)
    if button is None:
        return
    assert context.person is not None and button.citizen_id is not None
    citizen = await bookings.cancel(
        context.runtime, button.activity_id, button.citizen_id, context.person
    )
    if citizen is None:
        await acknowledge(update, context, "bookings.not_booked", alert=True)
        await close_booking_buttons(update)
        return
    await acknowledge(update, context)
    await replace_pressed(
        update, context, context.t("bookings.cancelled", name=citizen.first_name), None
    )


async def close_booking_buttons(update: Update) -> None:
    query = update.callback_query
    if query is not None and isinstance(query.message, Message) and query.message.reply_markup:
        await query.message.edit_reply_markup(reply_markup=None)


async def cancel_declined(update: Update, context: SammenContext) -> None:
    await acknowledge(update, context)
    await replace_pressed(update, context, context.t("bookings.kept"), None)


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    for handler in (
        CommandHandler("book", list_command, filters=message),
        CommandHandler("bookings", my_bookings, filters=message),
        CallbackQueryHandler(list_pressed, pattern=r"^bk:list:\d{1,4}$"),
        CallbackQueryHandler(list_anew, pattern=r"^bk:new$"),
        CallbackQueryHandler(pick, pattern=r"^bk:pick:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(book, pattern=r"^bk:do:\d{1,9}:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(cancel_asked, pattern=r"^bk:cx:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(cancel_confirmed, pattern=r"^bk:cxy:\d{1,9}:\d{1,9}$"),
        CallbackQueryHandler(cancel_declined, pattern=r"^bk:keep$"),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
