"""/language: any language Sammen speaks, whatever the Telegram app is set to."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.common import say
from handlers.language_switch import switch_language
from kernel.buttons.language import LanguageButton
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import LANGUAGES


async def choose(update: Update, context: SammenContext) -> None:
    # Each language is named in itself, from its own catalogue: a new language brings its name.
    texts = context.runtime.texts
    buttons = [
        [(texts.plain(code, "language.name"), LanguageButton(code).pack()) for code in LANGUAGES]
    ]
    await say(update, context, "language.ask", inline(buttons))


async def chosen(update: Update, context: SammenContext) -> None:
    await switch_language(update, context)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("language", choose, filters=filters.UpdateType.MESSAGE),
        group=groups.JOURNEYS,
    )
    app.add_handler(
        CallbackQueryHandler(chosen, pattern=LanguageButton.matches), group=groups.JOURNEYS
    )
