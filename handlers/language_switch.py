"""Switching language, shared by /language and by the forms a person may be half-way through
(who then hear their pending question again, in the language they chose)."""

from __future__ import annotations

from dataclasses import replace

from telegram import Update

from handlers.common import acknowledge, close_buttons, telegram_id
from kernel import commands
from kernel.buttons.language import LanguageButton
from kernel.context import SammenContext
from services.language import set_language


async def switch_language(update: Update, context: SammenContext) -> bool:
    """Take the pressed language button: store the choice, answer in the new language. False
    (and a kind alert) when the button names no language Sammen speaks."""
    query = update.callback_query
    button = LanguageButton.parse(query.data if query else None)
    if button is None or not await set_language(context.runtime, telegram_id(update), button.code):
        await acknowledge(update, context, "common.button_expired", alert=True)
        return False
    if context.person is not None:
        context.person = replace(context.person, language=button.code)
        await commands.publish_personal(
            context.bot, context.runtime.texts, context.person, button.code
        )
    else:
        # Not stored yet (a lead's first visit): the reply still speaks the chosen language.
        context.telegram_language = button.code
    await acknowledge(update, context)
    await close_buttons(update, context.t("language.set"))
    return True
