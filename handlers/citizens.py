"""/citizens: a support person adds the people they book for, and removes them again.

A citizen's first name is kept only after the support person confirmed that the citizen, or
their guardian, agreed. Until then the name waits in memory, like a volunteer's before consent.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import consent
from bot.context import SammenContext
from bot.keyboards import inline
from bot.validation import Invalid, clean_name
from handlers import groups
from handlers.common import acknowledge, allowed_or_told, close_buttons, say, say_text
from storage import citizens
from storage.citizens import SameNameTwice, TooManyCitizens
from storage.engine import checkpoint_wal

NAME, AGREEMENT = "citizen_name", "citizen_agreement"
END = ConversationHandler.END
PENDING = "citizen_pending_name"
FIRST_NAME_MAX = 40
INVALID_KEYS = {
    "empty": "citizens.name.invalid",
    "too_long": "citizens.name.too_long",
    "not_a_name": "citizens.name.invalid",
}


async def _is_support_person(update: Update, context: SammenContext) -> bool:
    """Only registered support persons book and keep citizens; anyone else hears how."""
    person = context.person
    allowed = person is not None and person.is_registered_support_person
    return await allowed_or_told(update, context, allowed, "citizens.only_support")


async def show_list(update: Update, context: SammenContext) -> int:
    """/citizens: who this support person books for, with buttons to add or remove."""
    if not await _is_support_person(update, context):
        return END
    await acknowledge(update, context)
    assert context.person is not None
    async with context.transaction() as session:
        everyone = await citizens.citizens_of(session, context.person.id)
    rows = [[(context.t("citizens.button.add"), "cz:add")]]
    rows += [
        [(context.label("citizens.button.remove", name=citizen.first_name), f"cz:rm:{citizen.id}")]
        for citizen in everyone
    ]
    if everyone:
        names = "\n".join(f"• {citizen.first_name}" for citizen in everyone)
        await say(update, context, "citizens.list", inline(rows), names=names)
    else:
        await say(update, context, "citizens.none", inline(rows))
    return END


async def add_asked(update: Update, context: SammenContext) -> int | str:
    if not await _is_support_person(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "citizens.name.ask")
    return NAME


async def name_typed(update: Update, context: SammenContext) -> int | str:
    if not await _is_support_person(update, context):
        return END
    assert update.message is not None and update.message.text is not None
    name = clean_name(update.message.text)
    if isinstance(name, str) and len(name) > FIRST_NAME_MAX:
        name = Invalid("too_long")
    if isinstance(name, Invalid):
        await say(update, context, INVALID_KEYS[name.reason], longest=FIRST_NAME_MAX)
        return NAME
    assert context.person is not None
    async with context.transaction() as session:
        everyone = await citizens.citizens_of(session, context.person.id)
    # Said before the agreement is asked; storage checks both again when the name is kept.
    if citizens.name_taken(everyone, name):
        await say(update, context, "citizens.name.twice", name=name)
        return NAME
    if len(everyone) >= citizens.MOST_CITIZENS_PER_SUPPORT_PERSON:
        await say(
            update, context, "citizens.too_many", most=citizens.MOST_CITIZENS_PER_SUPPORT_PERSON
        )
        return END
    context.user_data[PENDING] = name
    text = consent.CITIZEN.render(context.runtime.texts, context.language, name=name)
    buttons = [
        [(context.t("citizens.consent.agreed"), "cz:agreed")],
        [(context.t("citizens.consent.not_yet"), "cz:notyet")],
    ]
    await say_text(update, context, text, inline(buttons))
    return AGREEMENT


async def agreed(update: Update, context: SammenContext) -> int | str:
    if not await _is_support_person(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    name = context.user_data.pop(PENDING, None)
    if name is None:
        # A restart forgot the name (it is never stored before the agreement): ask again.
        await say(update, context, "citizens.name.ask_again")
        return NAME
    assert context.person is not None
    shown = consent.CITIZEN.shown(context.runtime.texts, context.language, name=name)
    try:
        async with context.transaction() as session:
            await citizens.add(session, context.person.id, name, text=shown, now=context.now())
    except SameNameTwice:
        await say(update, context, "citizens.name.twice", name=name)
        return NAME
    except TooManyCitizens:
        await say(
            update, context, "citizens.too_many", most=citizens.MOST_CITIZENS_PER_SUPPORT_PERSON
        )
        return END
    book = inline([[(context.t("bookings.button.book_now"), "bk:new")]])
    await say(update, context, "citizens.added", book, name=name)
    return END


async def not_agreed(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data.pop(PENDING, None)
    await say(update, context, "citizens.consent.declined")
    return END


async def cancelled(update: Update, context: SammenContext) -> int:
    context.user_data.pop(PENDING, None)
    await say(update, context, "citizens.cancelled")
    return END


async def wrong_kind(update: Update, context: SammenContext) -> str:
    await say(update, context, "citizens.name.type_it")
    return NAME


async def wrong_kind_at_agreement(update: Update, context: SammenContext) -> str:
    await say(update, context, "citizens.consent.use_buttons")
    return AGREEMENT


# --- Removing -------------------------------------------------------------------------------


async def remove_asked(update: Update, context: SammenContext) -> None:
    if not await _is_support_person(update, context):
        return
    query = update.callback_query
    assert query is not None and query.data is not None and context.person is not None
    async with context.transaction() as session:
        citizen = await citizens.find(session, int(query.data.rsplit(":", 1)[1]), context.person.id)
    if citizen is None:
        await acknowledge(update, context, "citizens.gone", alert=True)
        return
    await acknowledge(update, context)
    buttons = [
        [
            (
                context.label("citizens.button.remove_confirm", name=citizen.first_name),
                f"cz:rmy:{citizen.id}",
            )
        ],
        [(context.t("citizens.button.keep"), "cz:keep")],
    ]
    await say(update, context, "citizens.remove.ask", inline(buttons), name=citizen.first_name)


async def remove_confirmed(update: Update, context: SammenContext) -> None:
    if not await _is_support_person(update, context):
        return
    query = update.callback_query
    assert query is not None and query.data is not None and context.person is not None
    citizen_id = int(query.data.rsplit(":", 1)[1])
    async with context.transaction() as session:
        citizen = await citizens.find(session, citizen_id, context.person.id)
        removed = citizen is not None and await citizens.remove(
            session, citizen_id, context.person.id, actor="support_person", now=context.now()
        )
    if citizen is None or not removed:
        await acknowledge(update, context, "citizens.gone", alert=True)
        await close_buttons(update)
        return
    # Removing is erasing: the write-ahead log still holds the name until a checkpoint.
    await checkpoint_wal(context.runtime.engine)
    await acknowledge(update, context)
    await close_buttons(update, context.t("citizens.remove.done", name=citizen.first_name))


async def remove_declined(update: Update, context: SammenContext) -> None:
    await acknowledge(update, context)
    await close_buttons(update, context.t("citizens.remove.kept"))


def build() -> ConversationHandler:
    """Adding a citizen; persisted by name, so a restart keeps the step (not the name)."""
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    listing = CommandHandler("citizens", show_list, filters=message)
    add = CallbackQueryHandler(add_asked, pattern=r"^cz:add$")
    return ConversationHandler(
        entry_points=[listing, add],
        states={
            NAME: [
                MessageHandler(text, name_typed),
                MessageHandler(message & ~filters.COMMAND, wrong_kind),
            ],
            AGREEMENT: [
                CallbackQueryHandler(agreed, pattern=r"^cz:agreed$"),
                CallbackQueryHandler(not_agreed, pattern=r"^cz:notyet$"),
                MessageHandler(message & ~filters.COMMAND, wrong_kind_at_agreement),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancelled, filters=message), listing, add],
        name="citizens",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
    for handler in (
        CallbackQueryHandler(remove_asked, pattern=r"^cz:rm:\d{1,9}$"),
        CallbackQueryHandler(remove_confirmed, pattern=r"^cz:rmy:\d{1,9}$"),
        CallbackQueryHandler(remove_declined, pattern=r"^cz:keep$"),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
