"""Roles checked in one place: `@requires(Access.COORDINATOR)` on every guarded handler.

The check reads the person from the database-backed context (never from callback data). A
refused command gets a message, a refused button an alert; nothing else happens, and a
conversation callback returns `refused` (END by default) so no step is entered.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import ConversationHandler

from kernel.context import SammenContext
from kernel.people import PersonInfo

Result = TypeVar("Result")
# Coroutine, not Awaitable: python-telegram-bot's handler types ask for coroutine functions.
Handler = Callable[[Update, SammenContext], Coroutine[Any, Any, Result]]


class Access(enum.Enum):
    """Who may do a thing, and the catalogue text that tells anyone else."""

    COORDINATOR = "common.coordinators_only"
    SUPPORT_PERSON = "bookings.only_support"
    VOLUNTEER = "activities.volunteers_only"

    def allows(self, person: PersonInfo | None) -> bool:
        if person is None:
            return False
        if self is Access.COORDINATOR:
            return person.is_coordinator
        if self is Access.SUPPORT_PERSON:
            return person.is_approved_support_person
        return person.is_active_volunteer

    def refusal(self, person: PersonInfo | None, specific: str | None = None) -> str:
        """The text for someone refused: a support person still waiting for a coordinator's
        answer (or declined) hears that, not that the command is for support persons."""
        if self is Access.SUPPORT_PERSON and person is not None:
            if person.is_waiting_for_approval:
                return "invitations.request.waiting"
            if person.is_registered_support_person and person.support_status == "declined":
                return "invitations.request.declined_note"
        return specific or self.value


async def tell_refused(update: Update, context: SammenContext, key: str) -> None:
    """An alert on a button press, a message on anything typed."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.label(key), show_alert=True)
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_message(chat.id, context.t(key))


def requires(
    access: Access, *, refused: Any = ConversationHandler.END, refusal_key: str | None = None
) -> Callable[[Handler[Result]], Handler[Result]]:
    """Run the handler only for people with `access`; others are told, kindly, and nothing
    changes. `refusal_key` names a more specific text than the role's own."""

    def decorate(handler: Handler[Result]) -> Handler[Result]:
        @functools.wraps(handler)
        async def checked(update: Update, context: SammenContext) -> Result:
            if access.allows(context.person):
                return await handler(update, context)
            await tell_refused(update, context, access.refusal(context.person, refusal_key))
            result: Result = refused
            return result

        return checked

    return decorate
