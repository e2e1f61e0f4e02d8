"""Registering as a support person (støtteperson): staff at a home, or a relative.

Like the volunteer sign-up, answers are written as they come, and only after consent; before
it, the name waits in memory. A support person gives a name, a phone number coordinators can
call, and where they work; after that they add the citizens they book for (/citizens).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update
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
from handlers.contact_answers import INVALID_KEYS, phone_in, reask_on_wrong_kind
from kernel import commands
from kernel.context import SammenContext
from kernel.keyboards import inline, share_phone
from kernel.people import PersonInfo, Role
from kernel.validation import Invalid, clean_line, clean_name, format_phone
from services import consent_texts as consent
from services import signup as service

NAME, CONSENT, PHONE, ORGANISATION, REVIEW = "name", "consent", "phone", "organisation", "review"
END = ConversationHandler.END
PENDING_NAME = "support_pending_name"
ORGANISATION_MAX = 120
FIELDS = {
    NAME: "support.button.name",
    PHONE: "support.button.phone",
    ORGANISATION: "support.button.organisation",
}
WRONG_KIND_KEYS = {
    NAME: "signup.name.type_it",
    PHONE: "signup.phone.type_it",
    ORGANISATION: "support.organisation.type_it",
}


def next_step(person: PersonInfo | None, pending_name: str | None) -> str:
    """The first question this support person has not answered yet; the review when all are."""
    if person is None or not person.is_support_person:
        return CONSENT if pending_name else NAME
    if not person.name:
        return NAME
    if not person.phone:
        return PHONE
    if not person.organisation:
        return ORGANISATION
    return REVIEW


def _pending_name(context: SammenContext) -> str | None:
    return context.user_data.get(PENDING_NAME) if context.user_data is not None else None


def _may_register(person: PersonInfo | None) -> bool:
    return person is not None and person.role in (Role.LEAD, Role.SUPPORT)


# --- Asking ---------------------------------------------------------------------------------


async def ask(update: Update, context: SammenContext, step: str) -> str:
    """Put the question for `step`; returns the state to wait in."""
    if step == NAME:
        await say(update, context, "support.name.ask")
    elif step == CONSENT:
        text = consent.SUPPORT_PERSON.render(
            context.runtime.texts,
            context.language,
            months=context.settings.volunteer_retention_months,
        )
        buttons = [
            [(context.t("support.consent.agree"), "sp:consent:yes")],
            [(context.t("support.consent.decline"), "sp:consent:no")],
        ]
        await say_text(update, context, text, inline(buttons))
    elif step == PHONE:
        keyboard = share_phone(
            context.t("signup.phone.share_button"), context.t("signup.phone.placeholder")
        )
        await say(update, context, "support.phone.ask", keyboard)
    elif step == ORGANISATION:
        relative = inline([[(context.t("support.organisation.relative"), "sp:org:relative")]])
        await say(update, context, "support.organisation.ask", relative)
    else:
        await _show_review(update, context)
    return step


def _card(context: SammenContext, person: PersonInfo) -> str:
    return context.t(
        "support.card",
        name=person.name or context.t("common.not_given"),
        phone=format_phone(person.phone) if person.phone else context.t("common.not_given"),
        organisation=person.organisation or context.t("common.not_given"),
    )


def _field_buttons(context: SammenContext, closing: tuple[str, str]) -> InlineKeyboardMarkup:
    rows = [[(context.t(key), f"sp:edit:{field}")] for field, key in FIELDS.items()]
    rows.append([closing])
    return inline(rows)


async def _show_review(update: Update, context: SammenContext) -> None:
    person = context.person
    assert person is not None
    if person.is_registered_support_person:
        markup = _field_buttons(context, (context.t("support.button.close"), "sp:close"))
        await say(update, context, "support.details", markup, card=_card(context, person))
        return
    buttons = [
        [(context.t("support.review.confirm"), "sp:confirm")],
        [(context.t("support.review.change"), "sp:change")],
    ]
    await say(update, context, "support.review.ask", inline(buttons), card=_card(context, person))


async def _must_be_consented(update: Update, context: SammenContext) -> bool:
    person = context.person
    if person is not None and person.is_support_person:
        return True
    await acknowledge(update, context)
    await say(update, context, "signup.start_over", ReplyKeyboardRemove())
    return False


# --- Entering -------------------------------------------------------------------------------


async def begin(update: Update, context: SammenContext) -> str | int:
    """'I am a support person', 'Continue' or 'My details': ask what is missing."""
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if not _may_register(person):
        await say(update, context, "support.not_for_role")
        return END
    assert person is not None
    if not person.is_support_person:
        await say(update, context, "support.intro")
    return await ask(update, context, next_step(person, _pending_name(context)))


# --- Answers --------------------------------------------------------------------------------


async def _after_answer(update: Update, context: SammenContext) -> str:
    assert context.person is not None
    return await ask(update, context, next_step(context.person, None))


async def name_typed(update: Update, context: SammenContext) -> str | int:
    assert update.message is not None and update.message.text is not None
    name = clean_name(update.message.text)
    if isinstance(name, Invalid):
        await say(update, context, INVALID_KEYS[name.reason])
        return NAME
    person = context.person
    if person is not None and person.is_support_person:
        context.person = await service.save_support_name(context.runtime, telegram_id(update), name)
        await say(update, context, "signup.name.saved", name=name)
        return await _after_answer(update, context)
    if not _may_register(person):
        await say(update, context, "support.not_for_role")
        return END
    # Not consented yet: the name stays in memory only, until the person agrees.
    context.user_data[PENDING_NAME] = name
    await say(update, context, "signup.name.thanks", name=name)
    return await ask(update, context, CONSENT)


async def consent_given(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if not _may_register(person):
        await say(update, context, "support.not_for_role")
        return END
    assert person is not None
    if person.is_support_person:
        return await ask(update, context, next_step(person, None))
    name = context.user_data.pop(PENDING_NAME, None)
    if name is None:
        # A restart forgot the name (it is never stored before consent): ask it again.
        return await ask(update, context, NAME)
    context.person = await service.record_support_consent(
        context.runtime, telegram_id(update), context.language, name
    )
    await say(update, context, "support.consent.thanks")
    return await _after_answer(update, context)


async def consent_declined(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "support.consent.declined")
    return END


async def phone_answered(update: Update, context: SammenContext) -> str | int:
    """A phone number typed, or shared with the button."""
    if not await _must_be_consented(update, context):
        return END
    phone = phone_in(update)
    if isinstance(phone, Invalid):
        await say(update, context, INVALID_KEYS[phone.reason])
        return PHONE
    context.person = await service.save_support_phone(context.runtime, telegram_id(update), phone)
    await say(
        update, context, "signup.phone.saved", ReplyKeyboardRemove(), phone=format_phone(phone)
    )
    return await _after_answer(update, context)


async def _take_organisation(update: Update, context: SammenContext, organisation: str) -> str:
    context.person = await service.save_organisation(
        context.runtime, telegram_id(update), organisation
    )
    await say(update, context, "support.organisation.saved", organisation=organisation)
    return await _after_answer(update, context)


async def organisation_typed(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    assert update.message is not None and update.message.text is not None
    organisation = clean_line(update.message.text, longest=ORGANISATION_MAX)
    if isinstance(organisation, Invalid):
        too_long = organisation.reason == "too_long"
        key = "support.organisation.too_long" if too_long else "support.organisation.empty"
        await say(update, context, key, longest=ORGANISATION_MAX)
        return ORGANISATION
    return await _take_organisation(update, context, organisation)


async def organisation_relative(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    relative = context.label("support.organisation.relative_value")
    return await _take_organisation(update, context, relative)


# --- Review ---------------------------------------------------------------------------------


async def confirmed(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    assert person is not None
    if next_step(person, None) != REVIEW:
        return await ask(update, context, next_step(person, None))
    if not person.is_registered_support_person:
        context.person = await service.finish_registration(context.runtime, telegram_id(update))
        await commands.publish_personal(
            context.bot, context.runtime.texts, context.person, context.language
        )
    add = inline([[(context.t("citizens.button.add"), "cz:add")]])
    await say(update, context, "support.done", add, name=context.person.name or "")
    return END


async def change_requested(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(
        _field_buttons(context, (context.t("support.review.back"), "sp:review"))
    )
    return REVIEW


async def review_again(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    return await ask(update, context, REVIEW)


async def edit_field(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    query = update.callback_query
    assert query is not None and query.data is not None
    field = query.data.rsplit(":", 1)[1]
    await acknowledge(update, context)
    await close_buttons(update)
    return await ask(update, context, field if field in FIELDS else REVIEW)


async def closed(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "support.closed")
    return END


async def cancelled(update: Update, context: SammenContext) -> int:
    """/cancel at any step: stop asking; what was saved stays, /start continues later."""
    context.user_data.pop(PENDING_NAME, None)
    person = context.person
    key = "signup.cancelled_saved" if person and person.is_support_person else "signup.cancelled"
    await say(update, context, key, ReplyKeyboardRemove())
    return END


def _typed(step: str) -> Callable[[Update, SammenContext], Awaitable[str | int]]:
    """Text at `step`. During registration, text meant for a later question (a hard kill came
    after that question was sent, before its step was written) goes to the question the
    person actually sees."""

    async def answer(update: Update, context: SammenContext) -> str | int:
        person = context.person
        shown = step
        if person is not None and person.is_support_person:
            if not person.is_registered_support_person:
                expected = next_step(person, None)
                shown = expected if expected in TYPED_ANSWERS else step
        return await TYPED_ANSWERS[shown](update, context)

    return answer


TYPED_ANSWERS: dict[str, Callable[[Update, SammenContext], Awaitable[str | int]]] = {
    NAME: name_typed,
    PHONE: phone_answered,
    ORGANISATION: organisation_typed,
}


def build() -> ConversationHandler:
    """The support person's registration, persisted by name so restarts keep the step."""
    text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    anything_else = filters.UpdateType.MESSAGE & ~filters.COMMAND
    buttons = CallbackQueryHandler
    states: dict[object, list[BaseHandler]] = {
        NAME: [MessageHandler(text, _typed(NAME))],
        CONSENT: [
            buttons(consent_given, pattern=r"^sp:consent:yes$"),
            buttons(consent_declined, pattern=r"^sp:consent:no$"),
        ],
        PHONE: [
            MessageHandler(filters.UpdateType.MESSAGE & filters.CONTACT, phone_answered),
            MessageHandler(text, _typed(PHONE)),
        ],
        ORGANISATION: [
            MessageHandler(text, _typed(ORGANISATION)),
            buttons(organisation_relative, pattern=r"^sp:org:relative$"),
        ],
        REVIEW: [
            buttons(confirmed, pattern=r"^sp:confirm$"),
            buttons(change_requested, pattern=r"^sp:change$"),
            buttons(review_again, pattern=r"^sp:review$"),
            buttons(edit_field, pattern=r"^sp:edit:\w+$"),
            buttons(closed, pattern=r"^sp:close$"),
        ],
    }
    for step, handlers in states.items():
        if step != REVIEW:
            handlers.append(
                MessageHandler(anything_else, reask_on_wrong_kind(str(step), ask, WRONG_KIND_KEYS))
            )
    entry = buttons(begin, pattern=r"^(start:support|sp:(resume|review))$")
    return ConversationHandler(
        entry_points=[entry],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancelled, filters=filters.UpdateType.MESSAGE),
            entry,
            # A hard kill after the consent text was sent, before the step was written: the
            # decision still counts (a name lost with the process is asked again).
            *states[CONSENT][:2],
        ],
        name="support",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
