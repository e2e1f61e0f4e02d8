"""The first hello: who Sammen is, and what the person wants to do."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from handlers import groups
from handlers.common import telegram_id
from handlers.invitations import opened
from handlers.welcome import welcome
from kernel.context import SammenContext
from kernel.validation import clean_campaign
from services import invitations
from services.visits import credit_campaign


async def start(update: Update, context: SammenContext) -> None:
    """/start, possibly from an invitation or a campaign link: an invitation starts its
    role's registration; a campaign is credited, then the person greeted."""
    payload = context.args[0] if context.args else None
    if payload is not None and invitations.is_token(payload):
        await opened(update, context, payload)
        return
    campaign = clean_campaign(payload)
    if campaign:
        await credit_campaign(context.runtime, telegram_id(update), campaign)
    await welcome(update, context)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("start", start, filters=filters.UpdateType.MESSAGE), group=groups.JOURNEYS
    )
