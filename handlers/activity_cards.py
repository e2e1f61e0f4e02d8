"""How activities look in the chat, for volunteers and for coordinators.

Activity buttons are `kernel.buttons.activities.ActivityButton` values, whose view says which
message to redraw afterwards (the list at a page, my activities, or one card). They are never
trusted: handlers re-read the activity and the person.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from telegram import InlineKeyboardMarkup

from kernel.buttons.activities import ActivityButton, Verb, View
from kernel.buttons.planning import AdminAction, AdminPage, AdminVerb, NewActivity
from kernel.callback_data import CallbackData
from kernel.context import SammenContext
from kernel.keyboards import BUTTON_TITLE_MAX, Button, inline, shortened
from kernel.texts import Markup
from kernel.when import format_time_range, format_when
from services import activities, interests
from services.participation import ActivityInfo, Listing

PAGE_SIZE = 3
# A description in a list is cut here; the activity's own card shows it whole.
LIST_DESCRIPTION_MAX = 300
SEPARATOR = "\n\n— — —\n\n"
ACCESSIBILITY_KEYS = {
    "step_free": "activity.access.step_free",
    "toilet": "activity.access.toilet",
    "quiet_room": "activity.access.quiet_room",
    "hearing_loop": "activity.access.hearing_loop",
    "parking": "activity.access.parking",
    "seating": "activity.access.seating",
    "companion": "activity.access.companion",
}


def activity_button(
    verb: Verb, activity: ActivityInfo, view: View, *, versioned: bool = True
) -> str:
    """The packed button; versioned ones are refused once the activity was edited."""
    version = activity.version if versioned else None
    return ActivityButton(verb, activity.id, version, view).pack()


def short_title(activity: ActivityInfo) -> str:
    return shortened(activity.title or "")


def button_title(context: SammenContext, activity: ActivityInfo) -> str:
    """The title on a button; the dates of a weekly series look alike, so theirs lead with
    the day (`24/12 Kaffe på …`)."""
    if activity.series_id is None:
        return short_title(activity)
    return dated_title(context, activity)


def dated_title(context: SammenContext, activity: ActivityInfo) -> str:
    """The title on a button, led by the day (`24/12 Kaffe på …`), where titles alone may
    look alike."""
    if activity.starts_at is None:
        return short_title(activity)
    day = activity.starts_at.astimezone(context.settings.zone).strftime("%d/%m")
    return f"{day} {shortened(activity.title or '', BUTTON_TITLE_MAX - len(day) - 1)}"


def when_text(context: SammenContext, activity: ActivityInfo) -> str:
    if activity.starts_at is None:
        return context.t("common.not_given")
    zone = context.settings.zone
    if activity.duration_minutes:
        return format_time_range(
            activity.starts_at, activity.duration_minutes, context.language, zone
        )
    return format_when(activity.starts_at, context.language, zone)


def accessibility_text(context: SammenContext, activity: ActivityInfo) -> str:
    notes = [context.t(ACCESSIBILITY_KEYS[key]) for key in activity.accessibility]
    return " · ".join(notes) if notes else context.t("activity.access.none")


def place_markup(context: SammenContext, activity: ActivityInfo) -> Markup:
    place = html.escape(activity.place or context.t("common.not_given"), quote=False)
    if activity.latitude is None or activity.longitude is None:
        return Markup(place)
    url = f"https://maps.google.com/?q={activity.latitude:.6f},{activity.longitude:.6f}"
    return Markup(f'{place} (<a href="{url}">{html.escape(context.t("activity.card.map"))}</a>)')


async def interest_label(context: SammenContext, activity: ActivityInfo) -> str:
    if activity.interest_id is None:
        return context.t("common.not_given")
    names = await interests.names(context.runtime, (activity.interest_id,), context.language)
    return names[0] if names else context.t("common.not_given")


def _company(context: SammenContext, listing: Listing) -> str:
    """Volunteers come for company: always say who else is going, or that more will come."""
    activity = listing.activity
    others, count = listing.others_going, listing.company
    if count:
        key = "activity.company.one" if count == 1 else "activity.company.many"
        names = context.runtime.texts.names(context.language, others, total=count)
        return context.t(key, count=count, names=names)
    minimum = activity.min_volunteers or 1
    if listing.going_ahead_short:
        # The coordinators hold it below its minimum: no promise of company any more.
        if listing.my_status == "joined":
            return context.t("activity.company.only_you_going_ahead", minimum=minimum)
        return context.t("activity.company.none_going_ahead", minimum=minimum)
    if listing.my_status == "joined":
        return context.t("activity.company.only_you", minimum=minimum)
    return context.t("activity.company.none", minimum=minimum)


def first_company(context: SammenContext, listing: Listing) -> str:
    """The join answer of the first volunteer: the promise of company, unless the
    coordinators decided to hold it below its minimum (then it is not made)."""
    key = (
        "activity.joined.first_going_ahead"
        if listing.going_ahead_short
        else ("activity.joined.first")
    )
    return context.t(key, minimum=listing.activity.min_volunteers or 1)


def _my_status(context: SammenContext, listing: Listing) -> str:
    if listing.my_status == "joined":
        return context.t("activity.status.joined") + "\n"
    if listing.my_status == "waiting":
        return context.t("activity.status.waiting") + "\n"
    return ""


def volunteer_entry(
    context: SammenContext, listing: Listing, interest: str, *, brief: bool = False
) -> str:
    """One activity as a volunteer reads it in a list or on its own. In a list (`brief`) the
    description is cut, so three cards always fit in one message; the card shows it all."""
    activity = listing.activity
    description = activity.description or ""
    if brief:
        description = shortened(description, LIST_DESCRIPTION_MAX)
    return context.t(
        "activity.card.volunteer",
        title=activity.title or "",
        match=Markup(context.t("activity.card.match") + "\n") if listing.matches else "",
        status=Markup(_my_status(context, listing)),
        when=when_text(context, activity),
        place=place_markup(context, activity),
        interest=interest,
        description=Markup(html.escape(description, quote=False) + "\n") if description else "",
        company=Markup(_company(context, listing)),
        joined=activity.volunteers_joined,
        maximum=activity.max_volunteers or 0,
        seats=activity.seats_left,
        access=accessibility_text(context, activity),
    )


def volunteer_buttons(context: SammenContext, listing: Listing, view: View) -> list[Button]:
    activity = listing.activity
    title = button_title(context, activity)
    if listing.my_status is not None:
        key = "activity.button.leave" if listing.my_status == "joined" else "activity.button.unwait"
        leave = activity_button(Verb.LEAVE, activity, view, versioned=False)
        return [(context.label(key, title=title), leave)]
    if activity.is_full:
        key, verb = "activity.button.wait", Verb.WAIT
    else:
        key, verb = "activity.button.join", Verb.JOIN
    return [(context.label(key, title=title), activity_button(verb, activity, view))]


def page_buttons(
    context: SammenContext, to_page: Callable[[int], CallbackData], page: int, pages: int
) -> list[Button]:
    """◀ / ▶ paging; `to_page(n)` is the button that shows page n."""
    row: list[Button] = []
    if page > 1:
        row.append((context.t("common.page.previous"), to_page(page - 1).pack()))
    if pages > 1:
        position = context.label("common.page.position", page=page, pages=pages)
        row.append((position, to_page(page).pack()))
    if page < pages:
        row.append((context.t("common.page.next"), to_page(page + 1).pack()))
    return row


def coordinator_entry(context: SammenContext, activity: ActivityInfo, interest: str) -> str:
    """One activity as a coordinator reads it: numbers first, shortfalls flagged."""
    if activity.is_short:
        staffing = Markup(
            context.t(
                "activity.admin.short",
                joined=activity.volunteers_joined,
                minimum=activity.min_volunteers or 0,
                maximum=activity.max_volunteers or 0,
            )
        )
    else:
        staffing = Markup(
            context.t(
                "activity.admin.staffed",
                joined=activity.volunteers_joined,
                minimum=activity.min_volunteers or 0,
                maximum=activity.max_volunteers or 0,
            )
        )
    return context.t(
        "activity.admin.entry",
        title=activity.title or "",
        when=when_text(context, activity),
        place=place_markup(context, activity),
        interest=interest,
        staffing=staffing,
        booked=activity.citizens_booked,
        seats=activity.citizen_seats or 0,
    )


def keyboard(rows: list[list[Button]]) -> InlineKeyboardMarkup:
    return inline([row for row in rows if row])


async def coordinator_page(
    context: SammenContext, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The planning list: every upcoming activity, whoever created it, a page at a time."""
    found = await activities.upcoming_page(context.runtime, page, PAGE_SIZE)
    shown, page, pages = found.items, found.page, found.pages
    entries = [
        coordinator_entry(context, activity, await interest_label(context, activity))
        for activity in shown
    ]
    rows: list[list[Button]] = [
        [
            (
                context.label("activity.admin.manage", title=button_title(context, activity)),
                AdminAction(AdminVerb.CARD, activity.id).pack(),
            )
        ]
        for activity in shown
    ]
    rows.append(page_buttons(context, lambda to: AdminPage(to), page, pages))
    rows.append([(context.t("activity.admin.new"), NewActivity().pack())])
    if not found.count:
        return context.t("activity.admin.none"), keyboard(rows)
    header = context.t("activity.admin.header", page=page, pages=pages, count=found.count)
    return header + "\n\n" + SEPARATOR.join(entries), keyboard(rows)
