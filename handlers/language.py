"""/language: any language Sammen speaks, whatever the Telegram app is set to."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.common import acknowledge, close_buttons, say, telegram_id
from kernel import commands
from kernel.buttons.language import LanguageButton
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import LANGUAGES
from services.language import set_language


async def choose(update: Update, context: SammenContext) -> None:
    # Each language is named in itself, from its own catalogue: a new language brings its name.
    texts = context.runtime.texts
    buttons = [
        [(texts.plain(code, "language.name"), LanguageButton(code).pack()) for code in LANGUAGES]
    ]
    await say(update, context, "language.ask", inline(buttons))


async def chosen(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    assert query is not None
    button = LanguageButton.parse(query.data)
    assert button is not None  # the handler's pattern let only this kind through
    language = button.code
    if not await set_language(context.runtime, telegram_id(update), language):
        await acknowledge(update, context, "common.button_expired", alert=True)
        return
    if context.person is not None:
        context.person = replace(context.person, language=language)
        await commands.publish_personal(
            context.bot, context.runtime.texts, context.person, language
        )
    await acknowledge(update, context)
    await close_buttons(update, context.t("language.set"))


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("language", choose, filters=filters.UpdateType.MESSAGE),
        group=groups.JOURNEYS,
    )
    app.add_handler(
        CallbackQueryHandler(chosen, pattern=LanguageButton.matches), group=groups.JOURNEYS
    )
