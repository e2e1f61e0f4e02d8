"""The one-tap answers under a reminder ("I'm coming" / "I can't come after all"), and the
reason someone could not come. The buttons are never trusted: the service checks that the
reminder was the presser's, that they (or their citizen) still have the place, and that the
activity still has the start reminded of. Also the coordinators' "call for volunteers" button
on an activity's card (services.calls)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.common import acknowledge, close_buttons, say
from kernel.access import Access, requires
from kernel.context import SammenContext
from kernel.keyboards import in_rows, inline
from services import calls, confirmations
from services.calls import CallVolunteers, MeetingPhoto
from services.confirmations import (
    MYSELF,
    REASON_KEYS,
    Answered,
    CantComeReason,
    Outcome,
    ReminderAnswer,
)

SIMPLE_KEYS = {
    Outcome.NOT_GOING: "reminder.not_going",
    Outcome.MOVED: "reminder.moved",
}


def _reasons(context: SammenContext, activity_id: int) -> list[list[tuple[str, str]]]:
    buttons = [
        (context.t(key), CantComeReason(reason, activity_id).pack())
        for reason, key in REASON_KEYS.items()
    ]
    return in_rows(buttons, 2)


async def _reply(
    update: Update,
    context: SammenContext,
    done: Answered,
    activity_id: int,
    *,
    citizen_answer: bool = False,
) -> None:
    if done.outcome is Outcome.GONE:
        await say(update, context, "activity.gone")
        return
    if done.outcome is Outcome.NOT_GOING and citizen_answer:
        # The booking went (cancelled, or the support person no longer books for them): not
        # "you are no longer going", which is about the presser.
        await say(update, context, "reminder.citizen_not_going", title=done.title)
        return
    if done.outcome in SIMPLE_KEYS:
        await say(update, context, SIMPLE_KEYS[done.outcome], title=done.title)
        return
    if done.outcome is Outcome.COMING:
        key = "reminder.citizen_coming" if done.citizen else "reminder.coming"
        await say(update, context, key, title=done.title, name=done.citizen or "")
        return
    key = "reminder.citizen_cant" if done.citizen else "reminder.cant"
    await say(update, context, key, title=done.title, name=done.citizen or "")
    if done.ask_why:
        await say(update, context, "reminder.why", inline(_reasons(context, activity_id)))


async def answered(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    pressed = ReminderAnswer.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    person = context.person
    if person is None:
        await acknowledge(update, context, "reminder.nobody", alert=True)
        return
    done = await confirmations.answer(context.runtime, person, pressed)
    await acknowledge(update, context)
    if done.outcome in (Outcome.COMING, Outcome.CANT) and done.citizen is None:
        # A volunteer's answer is given: the reminder stays in the chat, its buttons go. A
        # support person's stay, for their other citizens.
        await close_buttons(update)
    await _reply(
        update, context, done, pressed.activity_id, citizen_answer=pressed.citizen_id != MYSELF
    )


async def reason_given(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    pressed = CantComeReason.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    person = context.person
    if person is None or not await confirmations.give_reason(context.runtime, person, pressed):
        await acknowledge(update, context, "reminder.nobody", alert=True)
        return
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "reminder.thanks_reason")


CALL_KEYS = {
    calls.Outcome.SENT: "call.sent",
    calls.Outcome.NOBODY: "call.none",
    calls.Outcome.NOT_SHORT: "call.not_short",
}


@requires(Access.COORDINATOR)
async def call_pressed(update: Update, context: SammenContext) -> None:
    """A coordinator sends the call for volunteers from the activity's card."""
    query = update.callback_query
    pressed = CallVolunteers.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    sent = await calls.call_now(context.runtime, context.person, pressed.activity_id)
    if sent.outcome is calls.Outcome.REFUSED:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    if sent.outcome is calls.Outcome.GONE:
        await acknowledge(update, context, "activity.gone", alert=True)
        return
    await acknowledge(update, context)
    await say(update, context, CALL_KEYS[sent.outcome], title=sent.title, count=sent.count)


@requires(Access.COORDINATOR)
async def photo_pressed(update: Update, context: SammenContext) -> None:
    """The photo of the meeting point, from the activity's card."""
    query = update.callback_query
    pressed = MeetingPhoto.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    found = await calls.meeting_photo(context.runtime, pressed.activity_id)
    chat = update.effective_chat
    if found is None or chat is None:
        await acknowledge(update, context, "activity.gone", alert=True)
        return
    await acknowledge(update, context)
    title, photo = found
    await context.bot.send_photo(
        chat.id, photo, caption=context.t("activity.admin.photo_of", title=title)
    )


def register(app: Application) -> None:
    app.add_handler(
        CallbackQueryHandler(answered, pattern=ReminderAnswer.matches), group=groups.JOURNEYS
    )
    app.add_handler(
        CallbackQueryHandler(reason_given, pattern=CantComeReason.matches), group=groups.JOURNEYS
    )
    app.add_handler(
        CallbackQueryHandler(call_pressed, pattern=CallVolunteers.matches), group=groups.JOURNEYS
    )
    app.add_handler(
        CallbackQueryHandler(photo_pressed, pattern=MeetingPhoto.matches), group=groups.JOURNEYS
    )
