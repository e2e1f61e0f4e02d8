"""»Who's coming«: a volunteer joined to an activity sees the booked citizens' first names and
needs on the day, from 48 hours before the start until it ends.

Drawn fresh at every press; the service refuses anyone not joined at that moment. The view
says it is for that one activity, and nothing of it goes into reminders or notices.
"""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.activity_cards import when_text
from handlers.common import acknowledge, pressed, say_text, split_long
from kernel.buttons.needs import WhosComing
from kernel.context import SammenContext
from kernel.keyboards import Button
from kernel.needs import WINDOW_HOURS
from kernel.when import format_date, format_when
from services import needs
from services.needs import Refusal, Refused, WhoIsComing


def button(context: SammenContext, activity_id: int) -> Button:
    """The »Who's coming« button for an activity the volunteer joined."""
    return context.t("needs.who.button"), WhosComing(activity_id).pack()


def _view(context: SammenContext, seen: WhoIsComing, catalogue: needs.Catalogue) -> str:
    activity = seen.activity
    assert activity.starts_at is not None
    title = activity.title or ""
    day = format_date(activity.starts_at, context.language, context.settings.zone)
    lines = [context.t("needs.who.header", title=title, when=when_text(context, activity), day=day)]
    for citizen in seen.citizens:
        shown = catalogue.names(citizen.needs)
        if shown:
            lines.append(
                context.t("needs.who.citizen", name=citizen.first_name, needs=", ".join(shown))
            )
        else:
            lines.append(context.t("needs.who.citizen_plain", name=citizen.first_name))
        if citizen.note:
            lines.append(context.t("needs.who.note", note=citizen.note))
    if not seen.citizens:
        lines.append(context.t("needs.who.nobody"))
    return "\n".join(lines)


async def show(update: Update, context: SammenContext) -> None:
    """Who is coming to this activity, for a volunteer joined to it, in the window."""
    data = pressed(update, WhosComing)
    person = context.person
    if person is None:
        await acknowledge(update, context, "needs.who.not_joined", alert=True)
        return
    seen = await needs.whos_coming(context.runtime, person, data.activity_id)
    if isinstance(seen, Refusal):
        if seen.reason is Refused.TOO_EARLY and seen.activity and seen.activity.starts_at:
            opens = seen.activity.starts_at - timedelta(hours=WINDOW_HOURS)
            when = format_when(opens, context.language, context.settings.zone)
            await acknowledge(update, context)
            await say_text(update, context, context.t("needs.who.too_early", opens=when))
            return
        key = "needs.who.ended" if seen.reason is Refused.ENDED else "needs.who.not_joined"
        await acknowledge(update, context, key, alert=True)
        return
    await acknowledge(update, context)
    catalogue = await needs.catalogue(context.runtime, context.language)
    # Many citizens with long notes can go past what one message holds.
    for part in split_long(_view(context, seen, catalogue)):
        await say_text(update, context, part)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(show, pattern=WhosComing.matches), group=groups.JOURNEYS)
