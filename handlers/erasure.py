"""Erasing a person, shared by /delete and by declining a renewed consent text."""

from __future__ import annotations

import logging

from telegram import Update

from handlers.common import telegram_id
from kernel import commands
from kernel.context import SammenContext
from services import notices
from services.unit_of_work import unit_of_work
from storage import data_rights
from storage.engine import checkpoint_wal

log = logging.getLogger(__name__)


async def erase_sender(update: Update, context: SammenContext) -> bool:
    """Withdraw consent and erase everything about the person; False if nothing was stored."""
    user_id = telegram_id(update)
    async with unit_of_work(context.runtime) as session:
        erasure = await data_rights.erase_person(
            session, user_id, subject=context.subject(user_id), actor="self", now=context.now()
        )
        for attendee, activity in erasure.moved_up:
            await notices.moved_up(session, context.runtime, attendee, activity)
    # The write-ahead log still holds the old pages until a checkpoint folds it in.
    await checkpoint_wal(context.runtime.engine)
    context.application.drop_user_data(user_id)
    await commands.remove_personal(context.bot, user_id)
    context.person = None
    log.info("A person erased their data")
    return erasure.erased
