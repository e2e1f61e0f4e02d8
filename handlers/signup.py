"""Becoming a volunteer, and changing one's details later (/profile).

Every answer is written to the database as it comes (after consent), so a restart continues
where the person was. Before consent only the name is asked, and it is held in memory until
the person agrees: a lead's row never holds a name.
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
from handlers.profile_card import availability_keyboard, card, interests_keyboard
from kernel import commands
from kernel.context import SammenContext
from kernel.keyboards import inline, share_phone
from kernel.people import PersonInfo, Role
from kernel.texts import Markup
from kernel.validation import Invalid, clean_email, clean_name, format_phone
from services import consent_texts as consent
from services import signup as service

NAME, CONSENT, PHONE, EMAIL, INTERESTS, AVAILABILITY, REVIEW = (
    "name",
    "consent",
    "phone",
    "email",
    "interests",
    "availability",
    "review",
)
END = ConversationHandler.END
PENDING_NAME = "signup_pending_name"
FIELDS = (NAME, PHONE, EMAIL, INTERESTS, AVAILABILITY)
FIELD_BUTTON_KEYS = {
    NAME: "profile.button.name",
    PHONE: "profile.button.phone",
    EMAIL: "profile.button.email",
    INTERESTS: "profile.button.interests",
    AVAILABILITY: "profile.button.availability",
}
# What to say when another kind of message arrives than the step expects.
WRONG_KIND_KEYS = {
    NAME: "signup.name.type_it",
    PHONE: "signup.phone.type_it",
    EMAIL: "signup.email.type_it",
}


def next_step(person: PersonInfo | None, pending_name: str | None) -> str:
    """The first question this person has not answered yet; the review when all are."""
    if person is None or not person.has_consented:
        return CONSENT if pending_name else NAME
    if not person.name:
        return NAME
    if not person.phone:
        return PHONE
    if not person.email_answered:
        return EMAIL
    if not person.interests_answered:
        return INTERESTS
    if not person.availability_answered:
        return AVAILABILITY
    return REVIEW


def _after_answer(person: PersonInfo) -> str:
    """Where an answer leads: on through the sign-up, or back to the review once it was seen."""
    return REVIEW if person.availability_answered else next_step(person, None)


def _pending_name(context: SammenContext) -> str | None:
    return context.user_data.get(PENDING_NAME) if context.user_data is not None else None


def _telegram_name(update: Update) -> str | None:
    user = update.effective_user
    suggestion = clean_name(user.full_name) if user else None
    return suggestion if isinstance(suggestion, str) else None


# --- Asking ---------------------------------------------------------------------------------


async def ask(update: Update, context: SammenContext, step: str) -> str:
    """Put the question for `step` to the person; returns the state to wait in."""
    if step == NAME:
        await _ask_name(update, context)
    elif step == CONSENT:
        await _ask_consent(update, context)
    elif step == PHONE:
        keyboard = share_phone(
            context.t("signup.phone.share_button"), context.t("signup.phone.placeholder")
        )
        await say(update, context, "signup.phone.ask", keyboard)
    elif step == EMAIL:
        skip = inline([[(context.t("signup.email.skip"), "su:email:skip")]])
        await say(update, context, "signup.email.ask", skip)
    elif step == INTERESTS:
        await say(update, context, "signup.interests.ask", await _interests_markup(context))
    elif step == AVAILABILITY:
        await say(update, context, "signup.availability.ask", _availability_markup(context))
    else:
        await _show_review(update, context)
    return step


async def _ask_name(update: Update, context: SammenContext) -> None:
    suggestion = _telegram_name(update)
    if suggestion:
        button = [[(context.label("signup.name.use", name=suggestion), "su:name:tg")]]
        await say(update, context, "signup.name.ask_with_suggestion", inline(button))
    else:
        await say(update, context, "signup.name.ask")


async def _ask_consent(update: Update, context: SammenContext) -> None:
    text = consent.render(
        context.runtime.texts,
        context.language,
        retention_months=context.settings.volunteer_retention_months,
    )
    buttons = [
        [(context.t("signup.consent.agree"), "su:consent:yes")],
        [(context.t("signup.consent.under_15"), "su:consent:young")],
        [(context.t("signup.consent.decline"), "su:consent:no")],
    ]
    await say_text(update, context, text, inline(buttons))


async def _interests_markup(context: SammenContext) -> InlineKeyboardMarkup:
    interests = await service.active_interests(context.runtime)
    selected = context.person.interest_ids if context.person else ()
    return interests_keyboard(context, interests, selected)


def _availability_markup(context: SammenContext) -> InlineKeyboardMarkup:
    person = context.person
    assert person is not None
    return availability_keyboard(context, person.available_days, person.available_parts)


def _field_buttons(
    context: SammenContext, closing_key: str, closing_data: str
) -> InlineKeyboardMarkup:
    rows = [[(context.t(FIELD_BUTTON_KEYS[field]), f"su:edit:{field}")] for field in FIELDS]
    rows.append([(context.t(closing_key), closing_data)])
    return inline(rows)


async def _show_review(update: Update, context: SammenContext) -> None:
    """The summary to confirm during sign-up, or the profile to change afterwards."""
    person = context.person
    assert person is not None
    body = Markup(await card(context, person))
    if person.is_active_volunteer:
        markup = _field_buttons(context, "profile.button.close", "su:close")
        await say(update, context, "profile.show", markup, card=body)
    else:
        buttons = [
            [(context.t("signup.review.confirm"), "su:confirm")],
            [(context.t("signup.review.change"), "su:change")],
        ]
        await say(update, context, "signup.review.ask", inline(buttons), card=body)


# --- Guards ---------------------------------------------------------------------------------


async def _must_be_consented(update: Update, context: SammenContext) -> bool:
    """Steps after consent need a volunteer who consented; anyone else starts over kindly."""
    person = context.person
    if person is not None and person.has_consented:
        return True
    await acknowledge(update, context)
    await say(update, context, "signup.start_over", ReplyKeyboardRemove())
    return False


# --- Entering -------------------------------------------------------------------------------


async def begin(update: Update, context: SammenContext) -> str | int:
    """'Become a volunteer' or 'Continue': ask the first unanswered question."""
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if person is None or person.role not in (Role.LEAD, Role.VOLUNTEER):
        await say(update, context, "signup.not_for_role")
        return END
    if person.is_active_volunteer:
        await _show_review(update, context)
        return REVIEW
    if not person.has_consented:
        await say(update, context, "signup.intro")
    return await ask(update, context, next_step(person, _pending_name(context)))


async def show_profile(update: Update, context: SammenContext) -> str | int:
    """/profile: a volunteer's details with a button per field to change it."""
    person = context.person
    if person is not None and person.is_support_person:
        # A support person's details belong to their own journey: one press leads there.
        details = inline([[(context.t("support.button.details"), "sp:review")]])
        await say(update, context, "profile.support_person", details)
        return END
    if person is None or not person.has_consented:
        await say(update, context, "profile.none")
        return END
    if person.is_signing_up:
        await say(update, context, "profile.finish_signup_first")
        return await ask(update, context, next_step(person, None))
    await _show_review(update, context)
    return REVIEW


# --- Name and consent -----------------------------------------------------------------------


async def _take_name(update: Update, context: SammenContext, name: str) -> str:
    person = context.person
    if person is not None and person.has_consented:
        context.person = await service.save_name(context.runtime, telegram_id(update), name)
        await say(update, context, "signup.name.saved", name=name)
        return await ask(update, context, _after_answer(context.person))
    # Not consented yet: the name stays in memory only, until the person agrees.
    context.user_data[PENDING_NAME] = name
    await say(update, context, "signup.name.thanks", name=name)
    return await ask(update, context, CONSENT)


async def name_typed(update: Update, context: SammenContext) -> str:
    assert update.message is not None and update.message.text is not None
    name = clean_name(update.message.text)
    if isinstance(name, Invalid):
        await say(update, context, INVALID_KEYS[name.reason])
        return NAME
    return await _take_name(update, context, name)


async def name_from_profile(update: Update, context: SammenContext) -> str:
    """The 'Use <Telegram name>' button: the name is read from Telegram, not from the button."""
    await acknowledge(update, context)
    await close_buttons(update)
    name = _telegram_name(update)
    if name is None:
        await say(update, context, "signup.name.ask")
        return NAME
    return await _take_name(update, context, name)


async def consent_given(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    person = context.person
    if person is None or person.role not in (Role.LEAD, Role.VOLUNTEER):
        await close_buttons(update)
        await say(update, context, "signup.not_for_role")
        return END
    if person.has_consented:
        # A second press on an old consent message: the decision is already recorded.
        await close_buttons(update)
        return await ask(update, context, next_step(person, None))
    name = context.user_data.pop(PENDING_NAME, None)
    context.person = await service.record_volunteer_consent(
        context.runtime, telegram_id(update), context.language, name
    )
    await close_buttons(update)
    await say(update, context, "signup.consent.thanks")
    await commands.publish_personal(
        context.bot, context.runtime.texts, context.person, context.language
    )
    return await ask(update, context, next_step(context.person, None))


async def consent_declined(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "signup.consent.declined")
    return END


async def under_age(update: Update, context: SammenContext) -> int:
    """Younger than the Danish age of digital consent: point to a coordinator, keep nothing."""
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data.pop(PENDING_NAME, None)
    person = context.person
    if person is not None and person.role == Role.LEAD:
        await service.forget_lead(context.runtime, telegram_id(update))
    contact = context.settings.coordinator_contact
    if contact:
        await say(update, context, "signup.consent.too_young_contact", contact=contact)
    else:
        await say(update, context, "signup.consent.too_young")
    return END


# --- Phone and e-mail -----------------------------------------------------------------------


async def phone_answered(update: Update, context: SammenContext) -> str | int:
    """A phone number typed, or shared with the button."""
    if not await _must_be_consented(update, context):
        return END
    phone = phone_in(update)
    if isinstance(phone, Invalid):
        await say(update, context, INVALID_KEYS[phone.reason])
        return PHONE
    context.person = await service.save_phone(context.runtime, telegram_id(update), phone)
    await say(
        update, context, "signup.phone.saved", ReplyKeyboardRemove(), phone=format_phone(phone)
    )
    return await ask(update, context, _after_answer(context.person))


async def email_typed(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    assert update.message is not None and update.message.text is not None
    email = clean_email(update.message.text)
    if isinstance(email, Invalid):
        await say(update, context, INVALID_KEYS[email.reason])
        return EMAIL
    context.person = await service.save_email(context.runtime, telegram_id(update), email)
    await say(update, context, "signup.email.saved", email=email)
    return await ask(update, context, _after_answer(context.person))


async def email_skipped(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    context.person = await service.save_email(context.runtime, telegram_id(update), None)
    await say(update, context, "signup.email.skipped")
    return await ask(update, context, _after_answer(context.person))


# --- Interests and availability -------------------------------------------------------------


async def interest_toggled(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    query = update.callback_query
    assert query is not None and query.data is not None
    interest_id = int(query.data.rsplit(":", 1)[1])
    known, context.person = await service.toggle_interest(
        context.runtime, telegram_id(update), interest_id
    )
    await acknowledge(update, context, None if known else "signup.interests.gone", alert=not known)
    await query.edit_message_reply_markup(await _interests_markup(context))
    return INTERESTS


async def interests_done(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    assert context.person is not None
    if not context.person.interest_ids:
        await acknowledge(update, context, "signup.interests.pick_one", alert=True)
        return INTERESTS
    await acknowledge(update, context)
    await close_buttons(update)
    context.person = await service.finish_interests(context.runtime, telegram_id(update))
    return await ask(update, context, _after_answer(context.person))


async def availability_toggled(update: Update, context: SammenContext) -> str | int:
    """A weekday (`su:day:0`, Monday) or a part of the day (`su:part:evening`) on or off."""
    if not await _must_be_consented(update, context):
        return END
    query = update.callback_query
    assert query is not None and query.data is not None
    _, kind, value = query.data.split(":")
    if kind == "day":
        context.person = await service.toggle_day(context.runtime, telegram_id(update), int(value))
    else:
        context.person = await service.toggle_part(context.runtime, telegram_id(update), value)
    await acknowledge(update, context)
    await query.edit_message_reply_markup(_availability_markup(context))
    return AVAILABILITY


async def availability_done(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    person = context.person
    assert person is not None
    if not person.available_days or not person.available_parts:
        await acknowledge(update, context, "signup.availability.pick_both", alert=True)
        return AVAILABILITY
    await acknowledge(update, context)
    await close_buttons(update)
    context.person = await service.finish_availability(context.runtime, telegram_id(update))
    return await ask(update, context, REVIEW)


# --- Review and profile ---------------------------------------------------------------------


async def confirmed(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    person = context.person
    assert person is not None
    if next_step(person, None) != REVIEW:
        # An answer went missing (e.g. an interest was retired meanwhile): ask it first.
        await close_buttons(update)
        return await ask(update, context, next_step(person, None))
    await close_buttons(update)
    if not person.is_active_volunteer:
        context.person = await service.finish_signup(context.runtime, telegram_id(update))
        await commands.publish_personal(
            context.bot, context.runtime.texts, context.person, context.language
        )
    await say(update, context, "signup.done", name=context.person.name or "")
    return END


async def change_requested(update: Update, context: SammenContext) -> str | int:
    """'Change something' on the sign-up summary: which detail?"""
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(
        _field_buttons(context, "signup.review.back", "su:review")
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
    if field not in FIELDS:
        return await ask(update, context, REVIEW)
    return await ask(update, context, field)


async def profile_closed(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "profile.closed")
    return END


# --- Leaving and the unexpected -------------------------------------------------------------


async def cancelled(update: Update, context: SammenContext) -> int:
    """/cancel at any step: stop asking; what was saved stays, /start continues later."""
    await acknowledge(update, context)
    context.user_data.pop(PENDING_NAME, None)
    person = context.person
    key = "signup.cancelled_saved" if person and person.has_consented else "signup.cancelled"
    await say(update, context, key, ReplyKeyboardRemove())
    return END


def _typed(step: str) -> Callable[[Update, SammenContext], Awaitable[str | int]]:
    """Text at `step`. During a first sign-up, text meant for a later question (a hard kill
    came after that question was sent, before its step was written) goes to the question the
    person actually sees."""

    async def answer(update: Update, context: SammenContext) -> str | int:
        person = context.person
        shown = step
        if person is not None and person.is_signing_up:
            expected = next_step(person, None)
            shown = expected if expected in TYPED_ANSWERS else step
        return await TYPED_ANSWERS[shown](update, context)

    return answer


def _text() -> filters.BaseFilter:
    return filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND


def _anything_else() -> filters.BaseFilter:
    return filters.UpdateType.MESSAGE & ~filters.COMMAND


TYPED_ANSWERS: dict[str, Callable[[Update, SammenContext], Awaitable[str | int]]] = {
    NAME: name_typed,
    PHONE: phone_answered,
    EMAIL: email_typed,
}


def build() -> ConversationHandler:
    """The sign-up and profile conversation, persisted by name so restarts keep the step."""
    buttons = CallbackQueryHandler
    states: dict[object, list[BaseHandler]] = {
        NAME: [
            MessageHandler(_text(), _typed(NAME)),
            buttons(name_from_profile, pattern=r"^su:name:tg$"),
        ],
        CONSENT: [
            buttons(consent_given, pattern=r"^su:consent:yes$"),
            buttons(consent_declined, pattern=r"^su:consent:no$"),
            buttons(under_age, pattern=r"^su:consent:young$"),
        ],
        PHONE: [
            MessageHandler(filters.UpdateType.MESSAGE & filters.CONTACT, phone_answered),
            MessageHandler(_text(), _typed(PHONE)),
        ],
        EMAIL: [
            MessageHandler(_text(), _typed(EMAIL)),
            buttons(email_skipped, pattern=r"^su:email:skip$"),
        ],
        INTERESTS: [
            buttons(interest_toggled, pattern=r"^su:int:\d{1,9}$"),
            buttons(interests_done, pattern=r"^su:int:done$"),
        ],
        AVAILABILITY: [
            buttons(
                availability_toggled, pattern=r"^su:(day:[0-6]|part:(morning|afternoon|evening))$"
            ),
            buttons(availability_done, pattern=r"^su:avail:done$"),
        ],
        REVIEW: [
            buttons(confirmed, pattern=r"^su:confirm$"),
            buttons(change_requested, pattern=r"^su:change$"),
            buttons(review_again, pattern=r"^su:review$"),
            buttons(edit_field, pattern=r"^su:edit:\w+$"),
            buttons(profile_closed, pattern=r"^su:close$"),
        ],
    }
    # The review (also the /profile card) catches nothing else: text typed there belongs to
    # whatever the person does next.
    for step, handlers in states.items():
        if step != REVIEW:
            handlers.append(
                MessageHandler(
                    _anything_else(), reask_on_wrong_kind(str(step), ask, WRONG_KIND_KEYS)
                )
            )
    return ConversationHandler(
        entry_points=[
            buttons(begin, pattern=r"^su:(start|resume)$"),
            CommandHandler("profile", show_profile, filters=filters.UpdateType.MESSAGE),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancelled, filters=filters.UpdateType.MESSAGE),
            CommandHandler("profile", show_profile, filters=filters.UpdateType.MESSAGE),
            buttons(begin, pattern=r"^su:(start|resume)$"),
            # A hard kill after a question was sent, before its step was written, leaves the
            # person one step behind. Their button presses still count: each handler checks
            # what is stored (and asks again for a name lost with the process).
            *(
                handler
                for step in (CONSENT, EMAIL, INTERESTS, AVAILABILITY)
                for handler in states[step]
                if isinstance(handler, CallbackQueryHandler)
            ),
        ],
        name="volunteer",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
