"""/mydata and /delete: every person can see and erase what Sammen keeps about them."""

from __future__ import annotations

import json

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.common import acknowledge, close_buttons, say, telegram_id
from handlers.erasure import erase_sender, erased_text
from kernel.buttons.data_rights import DeleteAnswer, DeleteButton
from kernel.context import SammenContext
from kernel.keyboards import inline
from services import data_rights


async def my_data(update: Update, context: SammenContext) -> None:
    """Send the person a JSON file with everything stored about them."""
    export = await data_rights.export_person(
        context.runtime, telegram_id(update), language=context.language
    )
    content = json.dumps(export, ensure_ascii=False, indent=2).encode("utf-8")
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_document(
        chat.id,
        document=content,
        filename=context.t("data.export.filename"),
        caption=context.t("data.export.caption"),
    )


async def delete_asked(update: Update, context: SammenContext) -> None:
    """/delete: say what will go, and ask once."""
    person = context.person
    if person is not None and person.is_support_person:
        key = "data.delete.ask_support_person"
    elif person is not None and person.has_consented:
        key = "data.delete.ask_volunteer"
    else:
        key = "data.delete.ask"
    buttons = [
        [(context.t("data.delete.confirm"), DeleteButton(DeleteAnswer.YES).pack())],
        [(context.t("data.delete.keep"), DeleteButton(DeleteAnswer.NO).pack())],
    ]
    await say(update, context, key, inline(buttons))


async def delete_answered(update: Update, context: SammenContext) -> None:
    """Erase on yes; on no, say that everything stays."""
    query = update.callback_query
    assert query is not None
    button = DeleteButton.parse(query.data)
    assert button is not None  # the handler's pattern let only this kind through
    await acknowledge(update, context)
    if button.answer is DeleteAnswer.YES:
        erased = await erase_sender(update, context)
        done = erased_text(context, erased, "data.delete.done", "data.delete.done_wiping")
        await close_buttons(update, done)
    else:
        await close_buttons(update, context.t("data.delete.kept"))


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("mydata", my_data, filters=message), group=groups.JOURNEYS)
    app.add_handler(CommandHandler("delete", delete_asked, filters=message), group=groups.JOURNEYS)
    app.add_handler(
        CallbackQueryHandler(delete_answered, pattern=DeleteButton.matches), group=groups.JOURNEYS
    )
