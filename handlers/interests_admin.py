"""/interests: coordinators add, rename and retire the interest categories."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.common import acknowledge, close_buttons, say
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.validation import Invalid, clean_line
from services.unit_of_work import unit_of_work
from storage import interests

END = ConversationHandler.END
NAME_DA, NAME_EN = "name_da", "name_en"
NAME_MAX = 60
# Which interest is being renamed (None: a new one) and the Danish name given so far.
EDITING, DANISH = "interests_editing", "interests_danish"


def _is_coordinator(context: SammenContext) -> bool:
    return context.person is not None and context.person.is_coordinator


async def _overview(context: SammenContext) -> tuple[str, object]:
    async with unit_of_work(context.runtime) as session:
        everything = await interests.all_interests(session)
    active = [i for i in everything if not i.retired]
    retired = [i.name(context.language) for i in everything if i.retired]
    buttons: list[Button] = [(f"✏️ {i.name(context.language)}", f"int:pick:{i.id}") for i in active]
    rows = in_rows(buttons, 2)
    rows.append([(context.t("interests.add"), "int:add")])
    text = context.t(
        "interests.overview",
        retired=", ".join(retired) or context.t("common.not_given"),
    )
    return text, inline(rows)


async def show(update: Update, context: SammenContext) -> int:
    if not _is_coordinator(context):
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        if update.callback_query is None:
            await say(update, context, "common.coordinators_only")
        return END
    await acknowledge(update, context)
    text, markup = await _overview(context)
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)  # type: ignore[arg-type]
    else:
        await say(update, context, "interests.intro")
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_message(chat.id, text, reply_markup=markup)  # type: ignore[arg-type]
    return END


async def picked(update: Update, context: SammenContext) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not _is_coordinator(context):
        return await show(update, context)
    async with unit_of_work(context.runtime) as session:
        interest = await interests.find(session, int(query.data.rsplit(":", 1)[1]))
    if interest is None or interest.retired:
        await acknowledge(update, context, "interests.gone", alert=True)
        return await show(update, context)
    await acknowledge(update, context)
    rows = [
        [(context.t("interests.rename"), f"int:rename:{interest.id}")],
        [(context.t("interests.retire"), f"int:retire:{interest.id}")],
        [(context.t("interests.back"), "int:list")],
    ]
    text = context.t("interests.one", da=interest.name_da, en=interest.name_en)
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=inline(rows))
    return END


async def retired(update: Update, context: SammenContext) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    if not _is_coordinator(context):
        return await show(update, context)
    async with unit_of_work(context.runtime) as session:
        interest = await interests.retire(
            session, int(query.data.rsplit(":", 1)[1]), now=context.now()
        )
    if interest is None:
        await acknowledge(update, context, "interests.gone", alert=True)
    else:
        await acknowledge(update, context)
        await say(update, context, "interests.retired", name=interest.name(context.language))
    return await show(update, context)


async def ask_names(update: Update, context: SammenContext) -> str | int:
    """'Add' or 'Rename': ask the Danish name, then the English one."""
    query = update.callback_query
    assert query is not None and query.data is not None
    if not _is_coordinator(context):
        return await show(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    renaming = query.data.startswith("int:rename:")
    context.user_data[EDITING] = int(query.data.rsplit(":", 1)[1]) if renaming else None
    await say(update, context, "interests.ask_da")
    return NAME_DA


def _name(update: Update) -> str | Invalid:
    assert update.message is not None and update.message.text is not None
    return clean_line(update.message.text, longest=NAME_MAX)


async def danish_typed(update: Update, context: SammenContext) -> str | int:
    name = _name(update)
    if isinstance(name, Invalid):
        await say(update, context, "interests.invalid", longest=NAME_MAX)
        return NAME_DA
    context.user_data[DANISH] = name
    await say(update, context, "interests.ask_en")
    return NAME_EN


async def english_typed(update: Update, context: SammenContext) -> str | int:
    if not _is_coordinator(context):
        return END
    name_en = _name(update)
    if isinstance(name_en, Invalid):
        await say(update, context, "interests.invalid", longest=NAME_MAX)
        return NAME_EN
    name_da = context.user_data.pop(DANISH, None)
    if name_da is None or EDITING not in context.user_data:
        # A restart forgot the Danish name typed a moment ago: ask it again.
        await say(update, context, "interests.ask_da")
        return NAME_DA
    editing = context.user_data.pop(EDITING)
    async with unit_of_work(context.runtime) as session:
        if editing is None:
            saved = await interests.add(session, name_da=name_da, name_en=name_en)
        else:
            saved = await interests.rename(session, editing, name_da=name_da, name_en=name_en)
    if saved is None:
        await say(update, context, "interests.gone")
    else:
        await say(update, context, "interests.saved", name=saved.name(context.language))
    await show(update, context)
    return END


async def stopped(update: Update, context: SammenContext) -> int:
    context.user_data.pop(EDITING, None)
    context.user_data.pop(DANISH, None)
    await say(update, context, "interests.stopped")
    return END


async def not_text(update: Update, context: SammenContext) -> str:
    await say(update, context, "interests.type_it")
    return NAME_EN if DANISH in context.user_data else NAME_DA


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    naming = ConversationHandler(
        entry_points=[CallbackQueryHandler(ask_names, pattern=r"^int:(add|rename:\d{1,9})$")],
        states={
            NAME_DA: [MessageHandler(text, danish_typed)],
            NAME_EN: [MessageHandler(text, english_typed)],
        },
        fallbacks=[
            CommandHandler("cancel", stopped, filters=message),
            MessageHandler(message & ~filters.COMMAND, not_text),
        ],
        name="interests",
        persistent=True,
        allow_reentry=True,
    )
    for handler in (
        naming,
        CommandHandler("interests", show, filters=message),
        CallbackQueryHandler(show, pattern=r"^int:list$"),
        CallbackQueryHandler(picked, pattern=r"^int:pick:\d{1,9}$"),
        CallbackQueryHandler(retired, pattern=r"^int:retire:\d{1,9}$"),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
