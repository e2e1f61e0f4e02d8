"""Whatever nobody expected: a short, helpful answer that changes nothing."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.common import acknowledge, say
from handlers.welcome import explain, welcome
from kernel.buttons.signup import SignupButton, SignupVerb
from kernel.context import SammenContext
from kernel.intents import Intent, intent_of
from kernel.keyboards import inline
from kernel.people import Role

LONG_TEXT = 1000


async def edited_message(update: Update, context: SammenContext) -> None:
    """An edit never changes an answer: say so, and let nothing else handle it."""
    message = update.edited_message
    if message is not None:
        await message.reply_text(context.t("fallback.edited"))
    raise ApplicationHandlerStop


async def unknown_command(update: Update, context: SammenContext) -> None:
    await say(update, context, "fallback.unknown_command")


async def nothing_to_cancel(update: Update, context: SammenContext) -> None:
    await say(update, context, "fallback.nothing_to_cancel")


async def _answer_intent(update: Update, context: SammenContext, intent: Intent) -> None:
    """A kind answer to "hej", "hjælp", "I want to volunteer": what fits the person now."""
    person = context.person
    newcomer = person is None or person.role == Role.LEAD
    if intent is Intent.THANKS:
        await say(update, context, "fallback.thanks")
    elif intent is Intent.DELETE:
        await say(update, context, "fallback.about_data")
    elif intent is Intent.HELP:
        await explain(update, context)
    elif intent is Intent.VOLUNTEER and person is not None and person.has_consented:
        await say(update, context, "fallback.already_volunteer")
    elif intent is Intent.ACTIVITIES and person is not None and person.is_support_person:
        await say(update, context, "activities.for_support_persons")
    elif intent is Intent.ACTIVITIES and not newcomer:
        await say(update, context, "fallback.about_activities")
    elif intent is Intent.BOOK and not newcomer:
        await explain(update, context)
    else:
        # Greetings, and newcomers asking about volunteering, support or activities: the
        # welcome offers exactly those choices.
        await welcome(update, context)


async def unexpected_text(update: Update, context: SammenContext) -> None:
    message = update.message
    assert message is not None
    person = context.person
    intent = intent_of(message.text or "")
    if intent is not None and not (person is not None and person.is_signing_up):
        await _answer_intent(update, context, intent)
    elif person is not None and person.is_signing_up:
        button = inline(
            [[(context.t("start.button.continue"), SignupButton(SignupVerb.RESUME).pack())]]
        )
        await say(update, context, "fallback.text_signing_up", button)
    elif message.text and len(message.text) > LONG_TEXT:
        await say(update, context, "fallback.long_text")
    else:
        await say(update, context, "fallback.text")


async def unexpected_media(update: Update, context: SammenContext) -> None:
    await say(update, context, "fallback.media")


async def stale_button(update: Update, context: SammenContext) -> None:
    """A button from an old message, or forged data: nothing happens, and we say why."""
    await acknowledge(update, context, "common.button_expired", alert=True)


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED, edited_message), group=groups.EDITED_MESSAGES
    )
    message = filters.UpdateType.MESSAGE
    # Registered last in the journeys' group: python-telegram-bot runs one handler per group,
    # so these answer only what no journey took.
    app.add_handler(
        CommandHandler("cancel", nothing_to_cancel, filters=message), group=groups.JOURNEYS
    )
    for handler in (
        MessageHandler(message & filters.COMMAND, unknown_command),
        MessageHandler(message & filters.TEXT, unexpected_text),
        MessageHandler(message, unexpected_media),
        CallbackQueryHandler(stale_button),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
