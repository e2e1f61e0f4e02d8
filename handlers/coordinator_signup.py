"""A coordinator's registration by invitation (or by the setup link): name, then consent.

Nothing is written before consent: the name waits in memory, as in the other registrations.
The role comes only from the invitation the person opened (services.invitations), never from
the buttons here.
"""

from __future__ import annotations

from collections.abc import Callable

from telegram import Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.common import acknowledge, close_buttons, say, say_text, telegram_id
from kernel import commands
from kernel.buttons.invitations import CoordinatorJoin, JoinVerb
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.validation import Invalid, clean_name
from services import consent_texts
from services import invitations as service
from services.invitations import Registered

NAME, CONSENT = "coordinator_name", "coordinator_consent"
END = ConversationHandler.END
PENDING_NAME = "coordinator_pending_name"
Handler = BaseHandler[Update, SammenContext, object]


def _on(verb: JoinVerb) -> Callable[[object], bool]:
    def matches(data: object) -> bool:
        parsed = CoordinatorJoin.parse(data)
        return parsed is not None and parsed.verb is verb

    return matches


async def begin(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if person is not None and person.is_coordinator:
        await say(update, context, "invitations.open.already_has_role")
        return END
    await say(update, context, "invitations.coordinator.name")
    return NAME


async def name_given(update: Update, context: SammenContext) -> str | int:
    message = update.effective_message
    name = clean_name(message.text or "" if message else "")
    if isinstance(name, Invalid):
        await say(update, context, "invitations.coordinator.name_invalid")
        return NAME
    context.user_data[PENDING_NAME] = name
    text = consent_texts.COORDINATOR.render(context.runtime.texts, context.language)
    buttons = inline(
        [
            [
                (
                    context.label("invitations.coordinator.agree"),
                    CoordinatorJoin(JoinVerb.AGREE).pack(),
                )
            ],
            [
                (
                    context.label("invitations.coordinator.decline"),
                    CoordinatorJoin(JoinVerb.DECLINE).pack(),
                )
            ],
        ]
    )
    await say_text(update, context, text, buttons)
    return CONSENT


async def agreed(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    name = context.user_data.pop(PENDING_NAME, None)
    if name is None:
        # A restart forgot the name (it is never stored before consent): ask it again.
        await say(update, context, "invitations.coordinator.name")
        return NAME
    registered, person = await service.record_coordinator_consent(
        context.runtime, telegram_id(update), context.language, name
    )
    if registered is Registered.REVOKED:
        await say(update, context, "invitations.open.revoked")
        return END
    if registered is not Registered.DONE or person is None:
        await say(update, context, "invitations.open.used")
        return END
    context.person = person
    await commands.publish_personal(context.bot, context.runtime.texts, person, context.language)
    await say(update, context, "invitations.coordinator.done", name=name)
    return END


async def declined(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "invitations.coordinator.declined")
    return END


async def cancelled(update: Update, context: SammenContext) -> str | int:
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "signup.cancelled")
    return END


def build() -> ConversationHandler:
    # Typed as handlers of any result, as the conversation's lists want (see support_signup).
    start: Handler = CallbackQueryHandler(begin, pattern=_on(JoinVerb.START))
    agree: Handler = CallbackQueryHandler(agreed, pattern=_on(JoinVerb.AGREE))
    decline: Handler = CallbackQueryHandler(declined, pattern=_on(JoinVerb.DECLINE))
    name: Handler = MessageHandler(filters.TEXT & ~filters.COMMAND, name_given)
    cancel: Handler = CommandHandler("cancel", cancelled, filters=filters.UpdateType.MESSAGE)
    return ConversationHandler(
        entry_points=[start],
        states={
            NAME: [name],
            CONSENT: [agree, decline],
        },
        fallbacks=[
            cancel,
            start,
            # A hard kill after the consent text was sent: the decision still counts.
            agree,
            decline,
        ],
        name="coordinator_signup",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
