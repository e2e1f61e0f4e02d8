"""Telling people other than the one who wrote: coordinators, a volunteer moved up.

Sent directly for now; the messaging issue's outbox will take these over, so a restart
cannot lose them.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden

from bot.context import SammenContext
from storage import people

log = logging.getLogger(__name__)


def language_of(context: SammenContext, language: str | None) -> str:
    return language if language in ("da", "en") else context.settings.default_language


async def tell(
    context: SammenContext,
    telegram_id: int,
    language: str | None,
    key: str,
    markup: InlineKeyboardMarkup | None = None,
    **values: object,
) -> bool:
    """Send text `key` to someone in their own language; False if Telegram refused."""
    text = context.runtime.texts.get(language_of(context, language), key, **values)
    try:
        await context.bot.send_message(telegram_id, text, reply_markup=markup)
    except (Forbidden, BadRequest) as error:
        log.info("A notification was refused by Telegram: %s", error.message)
        return False
    return True


async def tell_coordinators(context: SammenContext, key: str, **values: object) -> None:
    """Every coordinator hears it: the work must not hang on one person."""
    async with context.transaction() as session:
        everyone = await people.coordinators(session)
    for coordinator in everyone:
        await tell(context, coordinator.telegram_id, coordinator.language, key, **values)
