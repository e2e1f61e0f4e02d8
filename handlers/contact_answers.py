"""What the volunteer sign-up and the support person's registration share: their progress
(the stored person and a name given before consent), and the answers both ask for, a name and
a phone number, typed or shared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, filters

from handlers.common import telegram_id
from handlers.forms import Guard, State, Step
from kernel.context import SammenContext
from kernel.keyboards import share_phone
from kernel.people import PersonInfo
from kernel.validation import INVISIBLE, Invalid, clean_email, clean_name, clean_phone

INVALID_KEYS = {
    "empty": "signup.name.invalid_empty",
    "too_long": "signup.name.invalid_too_long",
    "not_a_name": "signup.name.invalid",
    "not_a_phone": "signup.phone.invalid",
    "not_an_email": "signup.email.invalid",
    "not_own": "signup.phone.not_own",
    INVISIBLE: "common.invisible",
}


@dataclass(frozen=True)
class Progress:
    """What a sign-up has so far: the stored person, and a name given before consent (held
    in memory only, until the person agrees)."""

    person: PersonInfo | None
    pending_name: str | None = None


def typed_text(update: Update) -> str:
    assert update.message is not None and update.message.text is not None
    return update.message.text


def name_in(update: Update) -> str | Invalid:
    """The name a person typed."""
    return clean_name(typed_text(update))


def email_in(update: Update) -> str | Invalid:
    """The e-mail address a person typed."""
    return clean_email(typed_text(update))


def phone_in(update: Update) -> str | Invalid:
    """The phone number a person typed, or shared with the button (their own only)."""
    message = update.message
    assert message is not None
    contact = message.contact
    if contact is not None:
        if contact.user_id != telegram_id(update):
            return Invalid("not_own")
        return clean_phone(contact.phone_number, from_contact=True)
    return clean_phone(message.text or "")


def telegram_name(update: Update) -> str | None:
    """The person's name as Telegram knows it, when it passes as a name."""
    user = update.effective_user
    suggestion = clean_name(user.full_name) if user else None
    return suggestion if isinstance(suggestion, str) else None


def stored(check: Callable[[PersonInfo], object]) -> Callable[[Progress], bool]:
    """An `answered` test on the stored person (only asked once consent was given)."""
    return lambda progress: progress.person is not None and bool(check(progress.person))


async def phone_keyboard(context: SammenContext) -> ReplyKeyboardMarkup:
    """The one button that shares the person's own number."""
    return share_phone(
        context.t("signup.phone.share_button"), context.t("signup.phone.placeholder")
    )


def phone_step(
    name: str,
    *,
    question_key: str,
    field_key: str,
    save: Callable[[Update, SammenContext, Any], Awaitable[State]],
    guard: Guard,
) -> Step[Progress]:
    """The phone number question both registrations ask: typed, or shared with the button."""
    return Step(
        name,
        question_key=question_key,
        keyboard=phone_keyboard,
        answered=stored(lambda person: person.phone),
        parse=phone_in,
        save=save,
        invalid_keys=INVALID_KEYS,
        guard=guard,
        field_key=field_key,
        type_it_key="signup.phone.type_it",
        accepts=filters.UpdateType.MESSAGE & filters.CONTACT,
    )


@dataclass(frozen=True)
class Opening:
    """How one registration asks its first three questions: a name (held in memory until
    consent), the consent itself, and a phone number. Both registrations ask them in this
    order, so that nothing but a name is held before the person agrees."""

    # The catalogue keys of the questions of a name (None: `ask_name` asks it) and a phone
    # number, and of the review's buttons that change them.
    questions: tuple[str | None, str]
    review_buttons: tuple[str, str]
    consented: Callable[[Progress], bool]
    guard: Guard
    save_name: Callable[[Update, SammenContext, Any], Awaitable[State]]
    ask_consent: Callable[[Update, SammenContext], Awaitable[None]]
    # The consent buttons: the handler of each answer, and the pattern of an answer.
    consent_answers: Mapping[str, Callable[[Update, SammenContext], Coroutine[Any, Any, State]]]
    consent_pattern: Callable[[str], Any]
    save_phone: Callable[[Update, SammenContext, Any], Awaitable[State]]
    # A name question that asks itself.
    ask_name: Callable[[Update, SammenContext], Awaitable[None]] | None = None
    name_handlers: Sequence[BaseHandler[Any, Any, Any]] = ()

    def name_answered(self, progress: Progress) -> bool:
        """Before consent a name given is held in memory; after, it is stored."""
        if not self.consented(progress):
            return progress.pending_name is not None
        return bool(progress.person and progress.person.name)


def opening_steps(states: tuple[str, str, str], opening: Opening) -> tuple[Step[Progress], ...]:
    """The name, consent and phone steps of a registration, in the states given."""
    name, consent, phone = states
    return (
        Step(
            name,
            question_key=opening.questions[0],
            ask=opening.ask_name,
            answered=opening.name_answered,
            parse=name_in,
            save=opening.save_name,
            invalid_keys=INVALID_KEYS,
            field_key=opening.review_buttons[0],
            type_it_key="signup.name.type_it",
            handlers=opening.name_handlers,
        ),
        Step(
            consent,
            ask=opening.ask_consent,
            answered=opening.consented,
            handlers=[
                CallbackQueryHandler(answer, pattern=opening.consent_pattern(value))
                for value, answer in opening.consent_answers.items()
            ],
        ),
        phone_step(
            phone,
            question_key=opening.questions[1],
            field_key=opening.review_buttons[1],
            save=opening.save_phone,
            guard=opening.guard,
        ),
    )
