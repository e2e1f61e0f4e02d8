"""Volunteers who agreed to an older consent text are asked again before anything else."""

from __future__ import annotations

import re
from collections.abc import Callable

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    TypeHandler,
)

from handlers import groups
from handlers.common import acknowledge, close_buttons, say, say_text
from handlers.erasure import erase_sender, erased_text
from kernel.buttons.data_rights import DeleteButton
from kernel.buttons.language import LanguageButton
from kernel.buttons.signup import RenewalAnswer, RenewalButton
from kernel.callback_data import SEPARATOR
from kernel.context import SammenContext
from kernel.keyboards import inline
from services import consent as consent_service
from services import consent_texts as consent

# What a person may still do before deciding: decide, see or erase their data, or leave.
_ALLOWED_COMMANDS = re.compile(r"^/(delete|mydata|cancel|language|help)(@\w+)?(\s|$)")
# Buttons by prefix: this question's own, and those of /delete and /language.
_ALLOWED_BUTTONS = frozenset({RenewalButton.prefix, DeleteButton.prefix, LanguageButton.prefix})


def _is_allowed(update: Update) -> bool:
    if update.callback_query is not None:
        prefix = (update.callback_query.data or "").partition(SEPARATOR)[0]
        return prefix in _ALLOWED_BUTTONS
    message = update.message
    return bool(message and message.text and _ALLOWED_COMMANDS.match(message.text))


async def ask_again_if_outdated(update: Update, context: SammenContext) -> None:
    """Stop any other journey until a volunteer agreed to the current consent text."""
    person = context.person
    if person is None or not person.has_consented:
        return
    if (person.consent_version or 0) >= consent.CURRENT_VERSION or _is_allowed(update):
        return
    await acknowledge(update, context)
    text = consent.render(
        context.runtime.texts,
        context.language,
        retention_months=context.settings.volunteer_retention_months,
    )
    buttons = [
        [(context.t("consent.renewal.agree"), RenewalButton(RenewalAnswer.YES).pack())],
        [(context.t("consent.renewal.decline"), RenewalButton(RenewalAnswer.NO).pack())],
    ]
    await say(update, context, "consent.renewal.intro")
    await say_text(update, context, text, inline(buttons))
    raise ApplicationHandlerStop


async def renewal_agreed(update: Update, context: SammenContext) -> None:
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if person is None or not person.has_consented:
        await say(update, context, "consent.renewal.nothing_to_renew")
        return
    context.person = await consent_service.renew(context.runtime, person, context.language)
    await say(update, context, "consent.renewal.thanks")


async def renewal_declined(update: Update, context: SammenContext) -> None:
    """Declining the new text withdraws consent: the data it covered is erased."""
    await acknowledge(update, context)
    await close_buttons(update)
    erased = await erase_sender(update, context)
    text = erased_text(context, erased, "consent.renewal.erased", "consent.renewal.erased_wiping")
    await say_text(update, context, text)


def _answered(answer: RenewalAnswer) -> Callable[[object], bool]:
    def matches(data: object) -> bool:
        button = RenewalButton.parse(data)
        return button is not None and button.answer is answer

    return matches


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, ask_again_if_outdated), group=groups.CONSENT_RENEWAL)
    app.add_handler(
        CallbackQueryHandler(renewal_agreed, pattern=_answered(RenewalAnswer.YES)),
        group=groups.JOURNEYS,
    )
    app.add_handler(
        CallbackQueryHandler(renewal_declined, pattern=_answered(RenewalAnswer.NO)),
        group=groups.JOURNEYS,
    )
