"""/citizens: a support person adds the people they book for, and removes them again.

A citizen's first name is kept only after the support person confirmed who agreed: the
citizen, a guardian, the holder of a power of attorney, or a parent. Until then the name waits
in memory, like a volunteer's before consent. Their needs on the day follow
(handlers.citizen_needs); sharing with a colleague is in handlers.citizen_sharing.
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

from handlers import citizen_needs, citizen_sharing, groups
from handlers.common import acknowledge, close_buttons, pressed, say, say_text
from kernel.access import Access, requires
from kernel.buttons.citizens import (
    AddCitizen,
    AuthorityGiven,
    CitizenAgreed,
    CitizenNotYet,
    EditNeeds,
    KeepCitizen,
    NeedsDone,
    NeedToggle,
    NoteSkip,
    RemoveCitizen,
    RemoveCitizenConfirmed,
    ShareCitizen,
)
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.validation import INVISIBLE, Invalid, clean_first_name
from services import citizens
from services import consent_texts as consent
from services.citizens import MOST_CITIZENS_PER_SUPPORT_PERSON, Addition, Authority

NAME, AGREEMENT = "citizen_name", "citizen_agreement"
END = ConversationHandler.END
PENDING = "citizen_pending_name"
FIRST_NAME_MAX = 40
Handler = BaseHandler[Update, SammenContext, Any]
INVALID_KEYS = {
    "empty": "citizens.name.invalid",
    "too_long": "citizens.name.too_long",
    "not_a_name": "citizens.name.invalid",
    "not_only_a_first_name": "citizens.name.first_only",
    INVISIBLE: "common.invisible",
}


def _memory(context: SammenContext) -> dict[Any, Any]:
    """What the bot keeps in memory for this person (there is some for every update from a
    person, which is all this conversation handles)."""
    assert context.user_data is not None
    return context.user_data


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def show_list(update: Update, context: SammenContext) -> int:
    """/citizens: who this support person books for, with buttons to add or remove."""
    await acknowledge(update, context)
    assert context.person is not None
    everyone = await citizens.citizens_of(context.runtime, context.person)
    rows = [[(context.t("citizens.button.add"), AddCitizen().pack())]]
    for citizen in everyone:
        name = citizen.first_name
        rows.append(
            [(context.label("citizens.needs.edit", name=name), EditNeeds(citizen.id).pack())]
        )
        rows.append(
            [(context.label("citizens.share.button", name=name), ShareCitizen(citizen.id).pack())]
        )
        rows.append(
            [(context.label("citizens.button.remove", name=name), RemoveCitizen(citizen.id).pack())]
        )
    catalogue = await citizen_needs.needs.catalogue(context.runtime, context.language)
    if everyone:
        names = "\n".join(
            context.t(
                "citizens.entry",
                name=citizen.first_name,
                needs=citizen_needs.needs_list(context, catalogue, citizen.needs),
            )
            for citizen in everyone
        )
        await say(update, context, "citizens.list", inline(rows), names=names)
    else:
        await say(update, context, "citizens.none", inline(rows))
    return END


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def add_asked(update: Update, context: SammenContext) -> int | str:
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "citizens.name.ask")
    return NAME


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def name_typed(update: Update, context: SammenContext) -> int | str:
    assert update.message is not None and update.message.text is not None
    name = clean_first_name(update.message.text)
    if isinstance(name, str) and len(name) > FIRST_NAME_MAX:
        name = Invalid("too_long")
    if isinstance(name, Invalid):
        words = update.message.text.split()
        await say(
            update,
            context,
            INVALID_KEYS[name.reason],
            longest=FIRST_NAME_MAX,
            first=words[0] if words else "",
            initial=words[-1][:1] if words else "",
        )
        return NAME
    assert context.person is not None
    # Said before the agreement is asked; both are checked again when the name is kept.
    check = await citizens.check_name(context.runtime, context.person, name)
    if check is Addition.SAME_NAME:
        await say(update, context, "citizens.name.twice", name=name)
        return NAME
    if check is Addition.TOO_MANY:
        await say(update, context, "citizens.too_many", most=MOST_CITIZENS_PER_SUPPORT_PERSON)
        return END
    _memory(context)[PENDING] = name
    text = consent.CITIZEN.render(context.runtime.texts, context.language, name=name)
    buttons = [
        [
            (
                context.label("citizens.consent.agreed", name=name),
                AuthorityGiven(Authority.SELF).pack(),
            )
        ],
        [(context.t("citizens.authority.guardian"), AuthorityGiven(Authority.GUARDIAN).pack())],
        [
            (
                context.t("citizens.authority.attorney"),
                AuthorityGiven(Authority.POWER_OF_ATTORNEY).pack(),
            )
        ],
        [(context.t("citizens.authority.parent"), AuthorityGiven(Authority.PARENT).pack())],
        [(context.t("citizens.consent.not_yet"), CitizenNotYet().pack())],
    ]
    await say_text(update, context, text, inline(buttons))
    return AGREEMENT


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def agreed(update: Update, context: SammenContext) -> int | str:
    """They agreed, on the authority pressed (an older »agreed« button: the citizen)."""
    query = update.callback_query
    assert query is not None
    given = AuthorityGiven.parse(query.data)
    authority = given.authority if given is not None else Authority.SELF
    await acknowledge(update, context)
    await close_buttons(update)
    name = _memory(context).pop(PENDING, None)
    if name is None:
        # A restart forgot the name (it is never stored before the agreement): ask again.
        await say(update, context, "citizens.name.ask_again")
        return NAME
    assert context.person is not None
    added, citizen = await citizens.add_on(
        context.runtime, context.person, name, context.language, authority
    )
    if added is Addition.SAME_NAME:
        await say(update, context, "citizens.name.twice", name=name)
        return NAME
    if added is Addition.TOO_MANY:
        await say(update, context, "citizens.too_many", most=MOST_CITIZENS_PER_SUPPORT_PERSON)
        return END
    assert citizen is not None
    catalogue = await citizen_needs.needs.catalogue(context.runtime, context.language)
    rows = citizen_needs.needs_rows(context, catalogue, citizen.id, 0, book=True)
    text = (
        context.t("citizens.added", name=name)
        + "\n"
        + citizen_needs.needs_question(context, citizen)
    )
    await say_text(update, context, text, inline(rows))
    return END


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def not_agreed(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    _memory(context).pop(PENDING, None)
    await say(update, context, "citizens.consent.declined")
    return END


async def cancelled(update: Update, context: SammenContext) -> int:
    _memory(context).pop(PENDING, None)
    _memory(context).pop(citizen_needs.PENDING_NEEDS, None)
    await say(update, context, "citizens.cancelled")
    return END


async def wrong_kind(update: Update, context: SammenContext) -> str:
    await say(update, context, "citizens.name.type_it")
    return NAME


async def wrong_kind_at_agreement(update: Update, context: SammenContext) -> str:
    await say(update, context, "citizens.consent.use_buttons")
    return AGREEMENT


# --- Removing -------------------------------------------------------------------------------


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def remove_asked(update: Update, context: SammenContext) -> None:
    button = pressed(update, RemoveCitizen)
    assert context.person is not None
    citizen = await citizens.find(context.runtime, button.citizen_id, context.person)
    if citizen is None:
        await acknowledge(update, context, "citizens.gone", alert=True)
        return
    await acknowledge(update, context)
    buttons = [
        [
            (
                context.label("citizens.button.remove_confirm", name=citizen.first_name),
                RemoveCitizenConfirmed(citizen.id).pack(),
            )
        ],
        [(context.t("citizens.button.keep"), KeepCitizen().pack())],
    ]
    key = "citizens.remove.ask_shared" if citizen.keepers > 1 else "citizens.remove.ask"
    await say(update, context, key, inline(buttons), name=citizen.first_name)


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def remove_confirmed(update: Update, context: SammenContext) -> None:
    button = pressed(update, RemoveCitizenConfirmed)
    assert context.person is not None
    removal = await citizens.remove(context.runtime, button.citizen_id, context.person)
    if removal is None:
        await acknowledge(update, context, "citizens.gone", alert=True)
        await close_buttons(update)
        return
    await acknowledge(update, context)
    name = removal.citizen.first_name
    if removal.kept_by_others:
        done = context.t("citizens.share.removed_shared", name=name)
    elif removal.erased.pending:
        minutes = citizens.WIPED_WITHIN_MINUTES
        done = context.t("citizens.remove.done_wiping", name=name, minutes=minutes)
    else:
        done = context.t("citizens.remove.done", name=name)
    await close_buttons(update, done)


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def remove_declined(update: Update, context: SammenContext) -> None:
    await acknowledge(update, context)
    await close_buttons(update, context.t("citizens.remove.kept"))


def build() -> ConversationHandler:
    """Adding a citizen; persisted by name, so a restart keeps the step (not the name)."""
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    listing: Handler = CommandHandler("citizens", show_list, filters=message)
    add: Handler = CallbackQueryHandler(add_asked, pattern=AddCitizen.matches)
    needs_done: Handler = CallbackQueryHandler(citizen_needs.done, pattern=NeedsDone.matches)
    return ConversationHandler(
        entry_points=[listing, add, needs_done],
        states={
            NAME: [
                MessageHandler(text, name_typed),
                MessageHandler(message & ~filters.COMMAND, wrong_kind),
            ],
            AGREEMENT: [
                CallbackQueryHandler(agreed, pattern=AuthorityGiven.matches),
                CallbackQueryHandler(agreed, pattern=CitizenAgreed.matches),
                CallbackQueryHandler(not_agreed, pattern=CitizenNotYet.matches),
                MessageHandler(message & ~filters.COMMAND, wrong_kind_at_agreement),
            ],
            citizen_needs.NOTE: [
                MessageHandler(text, citizen_needs.note_typed),
                CallbackQueryHandler(citizen_needs.note_skipped, pattern=NoteSkip.matches),
                MessageHandler(message & ~filters.COMMAND, citizen_needs.note_wrong_kind),
            ],
        },
        fallbacks=[CommandHandler("cancel", cancelled, filters=message), listing, add, needs_done],
        name="citizens",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    # Before the campaign-crediting /start: a sharing token is never recorded as a campaign.
    app.add_handler(citizen_sharing.start_handler(), group=groups.JOURNEYS)
    app.add_handler(build(), group=groups.JOURNEYS)
    handlers: tuple[Handler, ...] = (
        CallbackQueryHandler(citizen_needs.toggled, pattern=NeedToggle.matches),
        CallbackQueryHandler(citizen_needs.edit_asked, pattern=EditNeeds.matches),
        CallbackQueryHandler(citizen_sharing.share_pressed, pattern=ShareCitizen.matches),
        CallbackQueryHandler(remove_asked, pattern=RemoveCitizen.matches),
        CallbackQueryHandler(remove_confirmed, pattern=RemoveCitizenConfirmed.matches),
        CallbackQueryHandler(remove_declined, pattern=KeepCitizen.matches),
    )
    for handler in handlers:
        app.add_handler(handler, group=groups.JOURNEYS)
