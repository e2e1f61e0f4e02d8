"""The greeting and the help that fit a person now: shared by /start and /help, and by the
fallback when someone simply writes "hej" or "help"."""

from __future__ import annotations

from telegram import Update

from handlers.common import say
from kernel import commands
from kernel.buttons.signup import (
    SignupButton,
    SignupVerb,
    StartButton,
    StartChoice,
    SupportButton,
    SupportVerb,
)
from kernel.commands import commands_for
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import Markup


async def welcome(update: Update, context: SammenContext) -> None:
    """Greet, and offer what fits the person now."""
    person = context.person
    if person is not None and person.is_coordinator and person.first_contact:
        await say(update, context, "start.coordinator_first")
    elif person is not None and person.is_coordinator:
        await say(update, context, "start.coordinator")
    elif person is not None and person.is_active_volunteer:
        await say(update, context, "start.volunteer_back", name=person.name or "")
    elif person is not None and person.is_waiting_for_approval:
        await say(update, context, "invitations.request.waiting")
    elif person is not None and person.is_registered_support_person:
        await say(update, context, "start.support_back", name=person.name or "")
    elif person is not None and person.is_support_person:
        await say(
            update,
            context,
            "start.signup_unfinished",
            inline(
                [[(context.t("start.button.continue"), SupportButton(SupportVerb.RESUME).pack())]]
            ),
        )
    elif person is not None and person.has_consented:
        await say(
            update,
            context,
            "start.signup_unfinished",
            inline(
                [[(context.t("start.button.continue"), SignupButton(SignupVerb.RESUME).pack())]]
            ),
        )
    else:
        await say(
            update,
            context,
            "start.welcome",
            inline(
                [
                    [(context.t("start.button.volunteer"), SignupButton(SignupVerb.START).pack())],
                    [(context.t("start.button.support"), StartButton(StartChoice.SUPPORT).pack())],
                ]
            ),
        )
    if person is not None and (
        person.is_coordinator or person.has_consented or person.is_support_person
    ):
        # Keeps the personal menu true, e.g. for a coordinator whose chat did not exist yet;
        # after the greeting, which then waits for no call to Telegram.
        await commands.publish_personal(
            context.bot, context.runtime.texts, person, context.language
        )


async def explain(update: Update, context: SammenContext) -> None:
    """What this person can do now: who they are to Sammen, and their commands."""
    person = context.person
    lines = "\n".join(f"/{command} – {context.t(key)}" for command, key in commands_for(person))
    if person is not None and person.is_coordinator:
        intro = "help.coordinator"
    elif person is not None and person.is_signing_up:
        intro = "help.signing_up"
    elif person is not None and person.is_active_volunteer:
        intro = "help.volunteer"
    elif person is not None and person.is_approved_support_person:
        intro = "help.support_person"
    elif person is not None and person.is_waiting_for_approval:
        intro = "help.support_waiting"
    elif person is not None and person.is_registered_support_person:
        intro = "help.support_declined"
    elif person is not None and person.is_support_person:
        intro = "help.support_registering"
    else:
        intro = "help.newcomer"
    await say(update, context, "help.body", intro=Markup(context.t(intro)), commands=lines)
