"""The first hello: who Sammen is, and what the person wants to do."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from bot import commands
from bot.context import SammenContext
from bot.keyboards import inline
from bot.validation import clean_campaign
from handlers import groups
from handlers.common import say, telegram_id
from storage import people


async def start(update: Update, context: SammenContext) -> None:
    """/start, possibly from a campaign link: greet, and offer what fits the person now."""
    campaign = clean_campaign(context.args[0] if context.args else None)
    if campaign:
        async with context.transaction() as session:
            await people.set_campaign_if_unknown(session, telegram_id(update), campaign)
    person = context.person
    if person is not None and (
        person.is_coordinator or person.has_consented or person.is_support_person
    ):
        # Keeps the personal menu true, e.g. for a coordinator whose chat did not exist yet.
        await commands.publish_personal(
            context.bot, context.runtime.texts, person, context.language
        )
    if person is not None and person.is_coordinator:
        await say(update, context, "start.coordinator")
    elif person is not None and person.is_active_volunteer:
        await say(update, context, "start.volunteer_back", name=person.name or "")
    elif person is not None and person.is_registered_support_person:
        await say(update, context, "start.support_back", name=person.name or "")
    elif person is not None and person.is_support_person:
        await say(
            update,
            context,
            "start.signup_unfinished",
            inline([[(context.t("start.button.continue"), "sp:resume")]]),
        )
    elif person is not None and person.has_consented:
        await say(
            update,
            context,
            "start.signup_unfinished",
            inline([[(context.t("start.button.continue"), "su:resume")]]),
        )
    else:
        await say(
            update,
            context,
            "start.welcome",
            inline(
                [
                    [(context.t("start.button.volunteer"), "su:start")],
                    [(context.t("start.button.support"), "start:support")],
                ]
            ),
        )


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("start", start, filters=filters.UpdateType.MESSAGE), group=groups.JOURNEYS
    )
