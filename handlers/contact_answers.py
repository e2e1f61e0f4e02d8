"""What the volunteer sign-up and the support person's registration share: their progress
(the stored person and a name given before consent), and the answers both ask for, a name and
a phone number, typed or shared."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update

from handlers.common import telegram_id
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
