"""The volunteer's sign-up as a step table (STEPS) for the form engine (handlers/forms.py):
how each question is asked, what answers it, and the handlers of its answers.

Every answer is written to the database as it comes (after consent), so a restart continues
where the person was. Before consent only the name is asked, and it is held in memory until
the person agrees: a lead's row never holds a name.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    CallbackQueryHandler,
    ConversationHandler,
)

from handlers.common import Markup, acknowledge, close_buttons, say, say_text, telegram_id
from handlers.contact_answers import (
    INVALID_KEYS,
    Opening,
    Progress,
    email_in,
    opening_steps,
    stored,
    telegram_name,
)
from handlers.forms import Form, State, Step
from handlers.profile_card import availability_keyboard, card, interests_keyboard
from kernel import commands
from kernel.buttons.signup import DONE, SignupButton, SignupVerb
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.people import PersonInfo, Role
from kernel.texts import Markup as Safe
from kernel.validation import format_phone
from services import consent_texts as consent
from services import interests as interest_reads
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


def _button(verb: SignupVerb, value: str | None = None) -> str:
    return SignupButton(verb, value).pack()


def on_press(*verbs: SignupVerb, value: str | None = None) -> Any:
    """The handler pattern of these sign-up buttons."""
    return SignupButton.where(*verbs, value=value)


def next_step(person: PersonInfo | None, pending_name: str | None) -> str:
    """The first question this person has not answered yet; the review when all are."""
    return FORM.next_step(Progress(person, pending_name))


def _after_answer(person: PersonInfo) -> str:
    """Where an answer leads: on through the sign-up, or back to the review once it was seen."""
    return REVIEW if person.availability_answered else next_step(person, None)


def pending_name(context: SammenContext) -> str | None:
    return context.user_data.get(PENDING_NAME) if context.user_data is not None else None


def _progress(context: SammenContext) -> Progress:
    return Progress(context.person, pending_name(context))


async def ask(update: Update, context: SammenContext, step: str) -> str:
    """Put the question for `step` to the person; returns the state to wait in."""
    return await FORM.ask(update, context, step)


# --- Asking ---------------------------------------------------------------------------------


async def _ask_name(update: Update, context: SammenContext) -> None:
    suggestion = telegram_name(update)
    if suggestion:
        button = [
            [(context.label("signup.name.use", name=suggestion), _button(SignupVerb.NAME, "tg"))]
        ]
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
        [(context.t("signup.consent.agree"), _button(SignupVerb.CONSENT, "yes"))],
        [(context.t("signup.consent.under_15"), _button(SignupVerb.CONSENT, "young"))],
        [(context.t("signup.consent.decline"), _button(SignupVerb.CONSENT, "no"))],
    ]
    await say_text(update, context, text, inline(buttons))


async def _email_keyboard(context: SammenContext) -> Markup:
    return inline([[(context.t("signup.email.skip"), _button(SignupVerb.EMAIL, "skip"))]])


async def _interests_markup(context: SammenContext) -> InlineKeyboardMarkup:
    interests = await interest_reads.active(context.runtime)
    selected = context.person.interest_ids if context.person else ()
    return interests_keyboard(context, interests, selected)


async def _availability_markup(context: SammenContext) -> InlineKeyboardMarkup:
    person = context.person
    assert person is not None
    return availability_keyboard(context, person.available_days, person.available_parts)


def field_buttons(
    context: SammenContext, closing_key: str, closing: SignupVerb
) -> InlineKeyboardMarkup:
    rows = FORM.field_rows(context, lambda step: _button(SignupVerb.EDIT, step))
    rows.append([(context.t(closing_key), _button(closing))])
    return inline(rows)


async def show_review(update: Update, context: SammenContext) -> None:
    """The summary to confirm during sign-up, or the profile to change afterwards."""
    person = context.person
    assert person is not None
    body = Safe(await card(context, person))
    if person.is_active_volunteer:
        markup = field_buttons(context, "profile.button.close", SignupVerb.CLOSE)
        await say(update, context, "profile.show", markup, card=body)
    else:
        buttons = [
            [(context.t("signup.review.confirm"), _button(SignupVerb.CONFIRM))],
            [(context.t("signup.review.change"), _button(SignupVerb.CHANGE))],
        ]
        await say(update, context, "signup.review.ask", inline(buttons), card=body)


# --- Guards ---------------------------------------------------------------------------------


async def must_be_consented(update: Update, context: SammenContext) -> bool:
    """Steps after consent need a volunteer who consented; anyone else starts over kindly."""
    person = context.person
    if person is not None and person.has_consented:
        return True
    await acknowledge(update, context)
    await say(update, context, "signup.start_over", ReplyKeyboardRemove())
    return False


# --- Name and consent -----------------------------------------------------------------------


async def _take_name(update: Update, context: SammenContext, name: str) -> State:
    person = context.person
    if person is not None and person.has_consented:
        context.person = await service.save_name(context.runtime, telegram_id(update), name)
        await say(update, context, "signup.name.saved", name=name)
        return await ask(update, context, _after_answer(context.person))
    # Not consented yet: the name stays in memory only, until the person agrees.
    context.user_data[PENDING_NAME] = name
    await say(update, context, "signup.name.thanks", name=name)
    return await ask(update, context, CONSENT)


async def name_from_profile(update: Update, context: SammenContext) -> State:
    """The 'Use <Telegram name>' button: the name is read from Telegram, not from the button."""
    await acknowledge(update, context)
    await close_buttons(update)
    name = telegram_name(update)
    if name is None:
        await say(update, context, "signup.name.ask")
        return NAME
    return await _take_name(update, context, name)


async def consent_given(update: Update, context: SammenContext) -> State:
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


async def consent_declined(update: Update, context: SammenContext) -> State:
    await acknowledge(update, context)
    await close_buttons(update)
    if context.person is not None and context.person.has_consented:
        return await _decided_already(update, context, context.person)
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "signup.consent.declined")
    return END


async def _decided_already(update: Update, context: SammenContext, person: PersonInfo) -> State:
    """A press on an older consent message after agreeing on a newer one: it must not
    contradict what is stored. Say so, and go on with the question the person is at."""
    await say(update, context, "signup.consent.already_agreed")
    return await ask(update, context, next_step(person, None))


async def under_age(update: Update, context: SammenContext) -> State:
    """Younger than the Danish age of digital consent: point to a coordinator, keep nothing."""
    await acknowledge(update, context)
    await close_buttons(update)
    if context.person is not None and context.person.has_consented:
        return await _decided_already(update, context, context.person)
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


async def _save_phone(update: Update, context: SammenContext, phone: str) -> State:
    context.person = await service.save_phone(context.runtime, telegram_id(update), phone)
    await say(
        update, context, "signup.phone.saved", ReplyKeyboardRemove(), phone=format_phone(phone)
    )
    return await ask(update, context, _after_answer(context.person))


async def _save_email(update: Update, context: SammenContext, email: str) -> State:
    context.person = await service.save_email(context.runtime, telegram_id(update), email)
    await say(update, context, "signup.email.saved", email=email)
    return await ask(update, context, _after_answer(context.person))


async def email_skipped(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    context.person = await service.save_email(context.runtime, telegram_id(update), None)
    await say(update, context, "signup.email.skipped")
    return await ask(update, context, _after_answer(context.person))


# --- Interests and availability -------------------------------------------------------------


def pressed(update: Update) -> SignupButton:
    query = update.callback_query
    assert query is not None
    button = SignupButton.parse(query.data)
    assert button is not None  # the handler's pattern let only this kind through
    return button


async def interest_toggled(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
        return END
    interest_id = pressed(update).number
    known, context.person = await service.toggle_interest(
        context.runtime, telegram_id(update), interest_id
    )
    await acknowledge(update, context, None if known else "signup.interests.gone", alert=not known)
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(await _interests_markup(context))
    return INTERESTS


async def interests_done(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
        return END
    assert context.person is not None
    if not context.person.interest_ids:
        await acknowledge(update, context, "signup.interests.pick_one", alert=True)
        return INTERESTS
    await acknowledge(update, context)
    await close_buttons(update)
    context.person = await service.finish_interests(context.runtime, telegram_id(update))
    return await ask(update, context, _after_answer(context.person))


async def availability_toggled(update: Update, context: SammenContext) -> State:
    """A weekday (`su:day:0`, Monday) or a part of the day (`su:part:evening`) on or off."""
    if not await must_be_consented(update, context):
        return END
    button = pressed(update)
    if button.verb is SignupVerb.DAY:
        context.person = await service.toggle_day(
            context.runtime, telegram_id(update), button.number
        )
    else:
        assert button.value is not None
        context.person = await service.toggle_part(
            context.runtime, telegram_id(update), button.value
        )
    await acknowledge(update, context)
    assert update.callback_query is not None
    await update.callback_query.edit_message_reply_markup(await _availability_markup(context))
    return AVAILABILITY


async def availability_done(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
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


# --- The form -------------------------------------------------------------------------------


buttons = CallbackQueryHandler
STEPS: tuple[Step[Progress], ...] = (
    *opening_steps(
        (NAME, CONSENT, PHONE),
        Opening(
            questions=(None, "signup.phone.ask"),
            review_buttons=("profile.button.name", "profile.button.phone"),
            consented=stored(lambda person: person.has_consented),
            guard=must_be_consented,
            ask_name=_ask_name,
            save_name=lambda update, context, name: _take_name(update, context, name),
            name_handlers=[
                buttons(name_from_profile, pattern=on_press(SignupVerb.NAME, value="tg"))
            ],
            ask_consent=_ask_consent,
            consent_answers={"yes": consent_given, "no": consent_declined, "young": under_age},
            consent_pattern=lambda value: on_press(SignupVerb.CONSENT, value=value),
            save_phone=_save_phone,
        ),
    ),
    Step(
        EMAIL,
        question_key="signup.email.ask",
        keyboard=_email_keyboard,
        answered=stored(lambda person: person.email_answered),
        parse=email_in,
        save=_save_email,
        invalid_keys=INVALID_KEYS,
        guard=must_be_consented,
        field_key="profile.button.email",
        type_it_key="signup.email.type_it",
        handlers=[buttons(email_skipped, pattern=on_press(SignupVerb.EMAIL, value="skip"))],
    ),
    Step(
        INTERESTS,
        question_key="signup.interests.ask",
        keyboard=_interests_markup,
        answered=stored(lambda person: person.interests_answered),
        field_key="profile.button.interests",
        handlers=[
            buttons(interests_done, pattern=on_press(SignupVerb.INTEREST, value=DONE)),
            # Listed after "done", which takes `su:int:done` first.
            buttons(interest_toggled, pattern=on_press(SignupVerb.INTEREST)),
        ],
    ),
    Step(
        AVAILABILITY,
        question_key="signup.availability.ask",
        keyboard=_availability_markup,
        answered=stored(lambda person: person.availability_answered),
        field_key="profile.button.availability",
        handlers=[
            buttons(availability_toggled, pattern=on_press(SignupVerb.DAY, SignupVerb.PART)),
            buttons(availability_done, pattern=on_press(SignupVerb.AVAILABILITY, value=DONE)),
        ],
    ),
)


FORM: Form[Progress] = Form(
    STEPS,
    review=REVIEW,
    show_review=lambda update, context, _: show_review(update, context),
    answers=_progress,
    # During a first sign-up, text meant for a later question (a hard kill came after that
    # question was sent, before its step was written) goes to the question the person sees.
    follows_order=lambda p: p.person is not None and p.person.is_signing_up,
)
