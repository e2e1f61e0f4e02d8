"""/help: what this person can do now."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot.commands import commands_for
from bot.context import SammenContext
from bot.texts import Markup
from handlers import groups
from handlers.common import say


async def show_help(update: Update, context: SammenContext) -> None:
    person = context.person
    lines = "\n".join(f"/{command} – {context.t(key)}" for command, key in commands_for(person))
    if person is not None and person.is_coordinator:
        intro = "help.coordinator"
    elif person is not None and person.is_signing_up:
        intro = "help.signing_up"
    elif person is not None and person.is_active_volunteer:
        intro = "help.volunteer"
    elif person is not None and person.is_registered_support_person:
        intro = "help.support_person"
    elif person is not None and person.is_support_person:
        intro = "help.support_registering"
    else:
        intro = "help.newcomer"
    await say(update, context, "help.body", intro=Markup(context.t(intro)), commands=lines)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("help", show_help, filters=filters.UpdateType.MESSAGE),
        group=groups.JOURNEYS,
    )
