"""Answers the volunteer sign-up and the support person's registration both ask for: a name
and a phone number, typed or shared, and what to say when a step gets the wrong kind of
message."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from telegram import Update

from handlers.common import say, telegram_id
from kernel.context import SammenContext
from kernel.validation import Invalid, clean_phone

INVALID_KEYS = {
    "empty": "signup.name.invalid_empty",
    "too_long": "signup.name.invalid_too_long",
    "not_a_name": "signup.name.invalid",
    "not_a_phone": "signup.phone.invalid",
    "not_an_email": "signup.email.invalid",
    "not_own": "signup.phone.not_own",
}

Ask = Callable[[Update, SammenContext, str], Awaitable[str]]


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


def reask_on_wrong_kind(
    step: str, ask: Ask, type_it_keys: Mapping[str, str]
) -> Callable[[Update, SammenContext], Awaitable[str]]:
    """A handler for a message of the wrong kind at `step` (a sticker where a name is
    asked, text where a button is): say what is expected, and stay at the step."""

    async def reask(update: Update, context: SammenContext) -> str:
        if step in type_it_keys:
            await say(update, context, type_it_keys[step])
            return step
        await say(update, context, "common.use_buttons")
        return await ask(update, context, step)

    return reask
