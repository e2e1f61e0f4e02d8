"""Coordinators look after activities: the list, one activity's card, who is coming.

Editing and cancelling are conversations (activity_planning); this module shows things.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.activity_cards import coordinator_entry, coordinator_page, interest_label, keyboard
from handlers.common import acknowledge, replace_pressed
from kernel.context import SammenContext
from kernel.texts import Markup
from kernel.validation import format_phone
from services.unit_of_work import unit_of_work
from storage import activities, bookings, participation
from storage.activities import ActivityInfo
from storage.bookings import BookedCitizen


def _is_coordinator(context: SammenContext) -> bool:
    return context.person is not None and context.person.is_coordinator


async def list_page(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not _is_coordinator(context):
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    text, markup = await coordinator_page(context, int(query.data.split(":")[1]))
    await replace_pressed(update, context, text, markup)


async def _pressed_activity(update: Update, context: SammenContext) -> ActivityInfo | None:
    """The activity an `adm:<what>:<id>` button names, for a coordinator; else a kind no."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not _is_coordinator(context):
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return None
    async with unit_of_work(context.runtime) as session:
        activity = await activities.find(session, int(query.data.rsplit(":", 1)[1]))
    if activity is None or not activity.is_published:
        await acknowledge(update, context, "activity.gone", alert=True)
        return None
    await acknowledge(update, context)
    return activity


async def card(update: Update, context: SammenContext) -> None:
    """One activity with what a coordinator can do to it."""
    activity = await _pressed_activity(update, context)
    if activity is None:
        return
    interest = await interest_label(context, activity)
    text = coordinator_entry(context, activity, interest)
    if activity.description:
        text += "\n\n" + context.t("activity.admin.description", description=activity.description)
    markup = keyboard(
        [
            [(context.t("activity.admin.people"), f"adm:people:{activity.id}")],
            [(context.t("activity.admin.edit"), f"adm:edit:{activity.id}")],
            [(context.t("activity.admin.cancel"), f"adm:cancel:{activity.id}")],
            [(context.t("activity.admin.back"), "admp:1")],
        ]
    )
    await replace_pressed(update, context, text, markup)


async def people(update: Update, context: SammenContext) -> None:
    """Who joined, who waits and which citizens come, with phone numbers to call."""
    activity = await _pressed_activity(update, context)
    if activity is None:
        return
    async with unit_of_work(context.runtime) as session:
        everyone = await participation.participants(session, activity.id)
        booked = await bookings.booked_citizens(session, activity.id)
    lines = [
        context.t(
            "activity.admin.person",
            name=person.name,
            phone=format_phone(person.phone) if person.phone else context.t("common.not_given"),
        )
        for person in everyone
    ]
    joined = [
        line for line, person in zip(lines, everyone, strict=True) if person.status == "joined"
    ]
    waiting = [
        line for line, person in zip(lines, everyone, strict=True) if person.status == "waiting"
    ]
    text = context.t(
        "activity.admin.people_list",
        title=activity.title or "",
        joined=Markup("\n".join(joined) or context.t("activity.admin.nobody")),
        waiting=Markup("\n".join(waiting) or context.t("activity.admin.nobody")),
        booked=activity.citizens_booked,
        seats=activity.citizen_seats or 0,
        citizens=Markup(
            "\n".join(_citizen_line(context, citizen) for citizen in booked)
            or context.t("activity.admin.nobody")
        ),
    )
    markup = keyboard([[(context.t("activity.admin.back_to_card"), f"adm:card:{activity.id}")]])
    await replace_pressed(update, context, text, markup)


def _citizen_line(context: SammenContext, citizen: BookedCitizen) -> str:
    """A citizen by first name, with the support person to call: coordinators never need more."""
    phone = citizen.support_person_phone
    return context.t(
        "activity.admin.citizen",
        name=citizen.first_name,
        support=citizen.support_person_name,
        organisation=f" ({citizen.organisation})" if citizen.organisation else "",
        phone=format_phone(phone) if phone else context.t("common.not_given"),
    )


def register(app: Application) -> None:
    for handler in (
        CallbackQueryHandler(list_page, pattern=r"^admp:\d{1,4}$"),
        CallbackQueryHandler(card, pattern=r"^adm:card:\d{1,9}$"),
        CallbackQueryHandler(people, pattern=r"^adm:people:\d{1,9}$"),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
