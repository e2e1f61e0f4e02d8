"""What the volunteer sign-up and the support person's registration share: their progress
(the stored person and a name given before consent), and the answers both ask for, a name and
a phone number, typed or shared."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import ReplyKeyboardMarkup, Update
from telegram.ext import MessageHandler, filters

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
    shared: Callable[[Update, SammenContext], Coroutine[Any, Any, State]],
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
        handlers=[MessageHandler(filters.UpdateType.MESSAGE & filters.CONTACT, shared)],
    )
