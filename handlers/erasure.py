"""Erasing a person, shared by /delete and by declining a renewed consent text."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.common import telegram_id
from kernel import commands
from kernel.context import SammenContext
from services import erasure

log = logging.getLogger(__name__)


async def erase_sender(update: Update, context: SammenContext) -> erasure.Erased:
    """Withdraw consent and erase everything about the person: whether anything was stored,
    and whether its bytes are already wiped from the database files."""
    user_id = telegram_id(update)
    erased = await erasure.erase_person(context.runtime, user_id)
    context.application.drop_user_data(user_id)
    await commands.remove_personal(context.bot, user_id)
    context.person = None
    log.info("A person erased their data")
    return erased


def erased_text(context: SammenContext, erased: erasure.Erased, done: str, wiping: str) -> str:
    """The `done` text, or the `wiping` one while the database files still hold traces: a
    person is told their data is erased only once it is."""
    if erased.pending:
        return context.t(wiping, minutes=erasure.WIPED_WITHIN_MINUTES)
    return context.t(done)
