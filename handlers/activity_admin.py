"""Coordinators look after activities: the list, one activity's card, who is coming.

Editing and cancelling are conversations (activity_planning); this module shows things.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.activity_cards import coordinator_entry, coordinator_page, interest_label, keyboard
from handlers.common import acknowledge, replace_pressed
from kernel.access import Access, requires
from kernel.buttons.broadcasts import BroadcastGoing
from kernel.buttons.planning import AdminAction, AdminPage, AdminVerb, admin
from kernel.context import SammenContext
from kernel.texts import Markup
from kernel.validation import format_phone
from services import activities, calls, needs
from services.activities import ActivityInfo, BookedCitizen
from services.calls import CallVolunteers, MeetingPhoto


@requires(Access.COORDINATOR)
async def list_page(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    assert query is not None
    pressed = AdminPage.parse(query.data)
    assert pressed is not None
    await acknowledge(update, context)
    text, markup = await coordinator_page(context, pressed.page)
    await replace_pressed(update, context, text, markup)


async def _pressed_activity(update: Update, context: SammenContext) -> ActivityInfo | None:
    """The published activity an `adm:<verb>:<id>` button names; else a kind no."""
    query = update.callback_query
    assert query is not None
    pressed = AdminAction.parse(query.data)
    assert pressed is not None
    activity = await activities.find(context.runtime, pressed.activity_id)
    if activity is None or not activity.is_published:
        await acknowledge(update, context, "activity.gone", alert=True)
        return None
    await acknowledge(update, context)
    return activity


@requires(Access.COORDINATOR)
async def card(update: Update, context: SammenContext) -> None:
    """One activity with what a coordinator can do to it."""
    activity = await _pressed_activity(update, context)
    if activity is None:
        return
    interest = await interest_label(context, activity)
    text = coordinator_entry(context, activity, interest)
    if activity.description:
        text += "\n\n" + context.t("activity.admin.description", description=activity.description)
    notes = await calls.card_notes(context.runtime, activity)
    text += card_notes_text(context, notes)
    call = (
        [[(context.t("call.send"), CallVolunteers(activity.id).pack())]]
        if activity.is_short
        else []
    )
    if activity.meeting_photo:
        call.append([(context.t("activity.admin.photo"), MeetingPhoto(activity.id).pack())])
    markup = keyboard(
        [
            [(context.t(key), AdminAction(verb, activity.id).pack())]
            for key, verb in (
                ("activity.admin.people", AdminVerb.PEOPLE),
                ("activity.admin.edit", AdminVerb.EDIT),
                ("activity.admin.cancel", AdminVerb.CANCEL),
            )
        ]
        + [[(context.t("broadcast.card_button"), BroadcastGoing(activity.id).pack())]]
        + call
        + [[(context.t("activity.admin.back"), AdminPage(1).pack())]]
    )
    await replace_pressed(update, context, text, markup)


@requires(Access.COORDINATOR)
async def people(update: Update, context: SammenContext) -> None:
    """Who joined, who waits and which citizens come, with phone numbers to call."""
    activity = await _pressed_activity(update, context)
    if activity is None:
        return
    attendance = await activities.attendance(context.runtime, activity.id)
    everyone, booked = attendance.volunteers, attendance.citizens
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
    catalogue = await needs.catalogue(context.runtime, context.language)
    text = context.t(
        "activity.admin.people_list",
        title=activity.title or "",
        joined=Markup("\n".join(joined) or context.t("activity.admin.nobody")),
        waiting=Markup("\n".join(waiting) or context.t("activity.admin.nobody")),
        booked=activity.citizens_booked,
        seats=activity.citizen_seats or 0,
        citizens=Markup(
            "\n".join(_citizen_line(context, citizen, catalogue) for citizen in booked)
            or context.t("activity.admin.nobody")
        ),
    )
    back = AdminAction(AdminVerb.CARD, activity.id).pack()
    markup = keyboard([[(context.t("activity.admin.back_to_card"), back)]])
    await replace_pressed(update, context, text, markup)


def card_notes_text(context: SammenContext, notes: calls.CardNotes) -> str:
    """Who confirmed from a reminder and who did not answer (once reminded), and how many
    were called and joined (once called): lines for the coordinator's card."""
    lines = []
    if notes.answers is not None:
        nobody = context.t("activity.admin.nobody")
        lines.append(
            context.t("reminder.confirmed", names=", ".join(notes.answers.confirmed) or nobody)
        )
        lines.append(
            context.t("reminder.unanswered", names=", ".join(notes.answers.unanswered) or nobody)
        )
    if notes.called.called:
        lines.append(context.t("call.card", called=notes.called.called, joined=notes.called.joined))
    return "\n\n" + "\n".join(lines) if lines else ""


def _citizen_line(
    context: SammenContext, citizen: BookedCitizen, catalogue: needs.Catalogue
) -> str:
    """A citizen by first name, with the support person to call: coordinators never need more."""
    phone = citizen.support_person_phone
    line = context.t(
        "activity.admin.citizen",
        name=citizen.first_name,
        support=citizen.support_person_name,
        organisation=f" ({citizen.organisation})" if citizen.organisation else "",
        phone=format_phone(phone) if phone else context.t("common.not_given"),
    )
    # Coordinators plan with every booked citizen's needs in mind (issue 14).
    shown = catalogue.names(citizen.needs)
    if shown:
        line += "\n" + context.t("activity.admin.citizen_needs", needs=", ".join(shown))
    if citizen.note:
        line += "\n" + context.t("needs.who.note", note=citizen.note)
    return line


def register(app: Application) -> None:
    for handler in (
        CallbackQueryHandler(list_page, pattern=AdminPage.matches),
        CallbackQueryHandler(card, pattern=admin(AdminVerb.CARD)),
        CallbackQueryHandler(people, pattern=admin(AdminVerb.PEOPLE)),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
