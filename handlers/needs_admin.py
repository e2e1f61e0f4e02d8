"""/needs: coordinators extend the list of needs on the day, as they do interests.

The standard list lives in the catalogues; a need added here is named in each language and
can be retired again (citizens who have it keep it).
"""

from __future__ import annotations

from typing import Any

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
from handlers.common import acknowledge, close_buttons, pressed, say
from kernel.access import Access, requires
from kernel.buttons.needs import NeedAdd, NeedRetire
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import LANGUAGES
from kernel.validation import Invalid, clean_line
from services import needs

END = ConversationHandler.END
NAMING = "need_naming"
NAME_MAX = 60
NAMES = "needs_admin_names"
Handler = BaseHandler[Update, SammenContext, Any]
ASK_KEYS = {"da": "needs.admin.ask_da", "en": "needs.admin.ask_en"}


def _memory(context: SammenContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


@requires(Access.COORDINATOR)
async def show(update: Update, context: SammenContext) -> int:
    """/needs: the list, what coordinators added (to retire), and »Add«."""
    await acknowledge(update, context)
    catalogue = await needs.catalogue(context.runtime, context.language)
    added = {need.slug: need for need in await needs.added_needs(context.runtime)}
    rows = [[(context.t("needs.admin.add"), NeedAdd().pack())]]
    for slug in catalogue.offered:
        if slug in added:
            label = context.label("needs.admin.retire", name=catalogue.named[slug])
            rows.append([(label, NeedRetire(added[slug].id).pack())])
    listed = "\n".join(f"• {catalogue.named[slug]}" for slug in catalogue.offered)
    await say(update, context, "needs.admin.overview", inline(rows), needs=listed)
    return END


@requires(Access.COORDINATOR)
async def add_asked(update: Update, context: SammenContext) -> int | str:
    await acknowledge(update, context)
    await close_buttons(update)
    _memory(context)[NAMES] = {}
    await say(update, context, ASK_KEYS[LANGUAGES[0]])
    return NAMING


@requires(Access.COORDINATOR)
async def name_typed(update: Update, context: SammenContext) -> int | str:
    assert update.message is not None and update.message.text is not None
    name = clean_line(update.message.text, longest=NAME_MAX)
    if isinstance(name, Invalid):
        await say(update, context, "needs.admin.invalid", longest=NAME_MAX)
        return NAMING
    names: dict[str, str] = _memory(context).setdefault(NAMES, {})
    names[next(language for language in LANGUAGES if language not in names)] = name
    missing = [language for language in LANGUAGES if language not in names]
    if missing:
        await say(update, context, ASK_KEYS[missing[0]])
        return NAMING
    _memory(context).pop(NAMES, None)
    assert context.person is not None
    added = await needs.add_need(context.runtime, context.person, names)
    if added is None:
        return END
    await say(update, context, "needs.admin.added", name=names[context.language])
    return END


@requires(Access.COORDINATOR)
async def retire_pressed(update: Update, context: SammenContext) -> None:
    button = pressed(update, NeedRetire)
    assert context.person is not None
    retired = await needs.retire_need(context.runtime, context.person, button.need_id)
    await acknowledge(update, context, "needs.admin.retired" if retired else "needs.admin.gone")
    await close_buttons(update)


async def stopped(update: Update, context: SammenContext) -> int:
    _memory(context).pop(NAMES, None)
    await say(update, context, "needs.admin.stopped")
    return END


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    listing: Handler = CommandHandler("needs", show, filters=message)
    adding: Handler = CallbackQueryHandler(add_asked, pattern=NeedAdd.matches)
    app.add_handler(
        ConversationHandler(
            entry_points=[listing, adding],
            states={NAMING: [MessageHandler(text, name_typed)]},
            fallbacks=[CommandHandler("cancel", stopped, filters=message), listing, adding],
            name="needs_admin",
            persistent=True,
            allow_reentry=True,
        ),
        group=groups.JOURNEYS,
    )
    app.add_handler(
        CallbackQueryHandler(retire_pressed, pattern=NeedRetire.matches), group=groups.JOURNEYS
    )
