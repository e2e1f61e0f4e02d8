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
from kernel.access import Access, requires
from kernel.buttons.interests import (
    InterestAction,
    InterestsButton,
    InterestsChoice,
    InterestVerb,
    interest,
)
from kernel.buttons.interests import interests as overview_button
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.texts import LANGUAGES
from kernel.validation import Invalid, clean_line
from services import interests

END = ConversationHandler.END
NAMING = "naming"
NAME_MAX = 60
# Which interest is being renamed (None: a new one) and its names given so far, by language.
EDITING, NAMES = "interests_editing", "interests_names"


def _pressed(update: Update) -> InterestAction:
    """The interest button pressed (its pattern made sure it is one)."""
    assert update.callback_query is not None
    pressed = InterestAction.parse(update.callback_query.data)
    assert pressed is not None
    return pressed


async def _overview(context: SammenContext) -> tuple[str, object]:
    everything = await interests.everything(context.runtime)
    active = [i for i in everything if not i.retired]
    retired = [i.name(context.language) for i in everything if i.retired]
    buttons: list[Button] = [
        (f"✏️ {i.name(context.language)}", InterestAction(InterestVerb.PICK, i.id).pack())
        for i in active
    ]
    rows = in_rows(buttons, 2)
    rows.append([(context.t("interests.add"), InterestsButton(InterestsChoice.ADD).pack())])
    text = context.t(
        "interests.overview",
        retired=", ".join(retired) or context.t("common.not_given"),
    )
    return text, inline(rows)


@requires(Access.COORDINATOR)
async def show(update: Update, context: SammenContext) -> int:
    """/interests, or 'back' from one interest: the overview with a button per interest."""
    return await _show(update, context)


async def _show(update: Update, context: SammenContext) -> int:
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


@requires(Access.COORDINATOR)
async def picked(update: Update, context: SammenContext) -> int:
    query = update.callback_query
    assert query is not None
    interest = await interests.find(context.runtime, _pressed(update).interest_id)
    if interest is None or interest.retired:
        await acknowledge(update, context, "interests.gone", alert=True)
        return await _show(update, context)
    await acknowledge(update, context)
    rows = [
        [(context.t("interests.rename"), InterestAction(InterestVerb.RENAME, interest.id).pack())],
        [(context.t("interests.retire"), InterestAction(InterestVerb.RETIRE, interest.id).pack())],
        [(context.t("interests.back"), InterestsButton(InterestsChoice.LIST).pack())],
    ]
    text = " / ".join(
        context.t("interests.one", name=interest.names[language])
        for language in LANGUAGES
        if interest.names.get(language)
    )
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=inline(rows))
    return END


@requires(Access.COORDINATOR)
async def retired(update: Update, context: SammenContext) -> int:
    interest = await interests.retire(context.runtime, _pressed(update).interest_id, context.person)
    if interest is None:
        await acknowledge(update, context, "interests.gone", alert=True)
    else:
        await acknowledge(update, context)
        await say(update, context, "interests.retired", name=interest.name(context.language))
    return await _show(update, context)


@requires(Access.COORDINATOR)
async def ask_names(update: Update, context: SammenContext) -> str | int:
    """'Add' or 'Rename': ask the name in each language, in the order of LANGUAGES."""
    query = update.callback_query
    assert query is not None
    await acknowledge(update, context)
    await close_buttons(update)
    renaming = InterestAction.parse(query.data)
    context.user_data[EDITING] = renaming.interest_id if renaming is not None else None
    context.user_data[NAMES] = {}
    await _ask_next(update, context, {})
    return NAMING


def _next_language(names: dict[str, str]) -> str | None:
    return next((language for language in LANGUAGES if language not in names), None)


async def _ask_next(update: Update, context: SammenContext, names: dict[str, str]) -> None:
    language = _next_language(names)
    assert language is not None
    # Each language is named as it names itself, so a new language needs only its catalogue.
    own_name = context.runtime.texts.plain(language, "language.name")
    key = "interests.ask_next" if names else "interests.ask_first"
    await say(update, context, key, language=own_name)


def _name(update: Update) -> str | Invalid:
    assert update.message is not None and update.message.text is not None
    return clean_line(update.message.text, longest=NAME_MAX)


@requires(Access.COORDINATOR)
async def name_typed(update: Update, context: SammenContext) -> str | int:
    """A name in the language asked; the last one saves the interest."""
    names = context.user_data.get(NAMES)
    if names is None or EDITING not in context.user_data:
        # A restart forgot which interest this was and the names so far: start again.
        return await stopped(update, context)
    name = _name(update)
    if isinstance(name, Invalid):
        await say(update, context, "interests.invalid", longest=NAME_MAX)
        return NAMING
    language = _next_language(names)
    assert language is not None
    names[language] = name
    if _next_language(names) is not None:
        await _ask_next(update, context, names)
        return NAMING
    editing = context.user_data.pop(EDITING)
    context.user_data.pop(NAMES)
    saved = await interests.save(context.runtime, editing, names, context.person)
    if saved is None:
        await say(update, context, "interests.gone")
    else:
        await say(update, context, "interests.saved", name=saved.name(context.language))
    await _show(update, context)
    return END


async def stopped(update: Update, context: SammenContext) -> int:
    context.user_data.pop(EDITING, None)
    context.user_data.pop(NAMES, None)
    await say(update, context, "interests.stopped")
    return END


async def not_text(update: Update, context: SammenContext) -> str:
    await say(update, context, "interests.type_it")
    return NAMING


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    naming = ConversationHandler(
        entry_points=[
            CallbackQueryHandler(ask_names, pattern=overview_button(InterestsChoice.ADD)),
            CallbackQueryHandler(ask_names, pattern=interest(InterestVerb.RENAME)),
        ],
        states={
            NAMING: [MessageHandler(text, name_typed)],
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
        CallbackQueryHandler(show, pattern=overview_button(InterestsChoice.LIST)),
        CallbackQueryHandler(picked, pattern=interest(InterestVerb.PICK)),
        CallbackQueryHandler(retired, pattern=interest(InterestVerb.RETIRE)),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
