"""Becoming a volunteer, and changing one's details later (/profile): entering, the review
and the conversation. The questions themselves are the step table in handlers/signup_steps.py.
"""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from handlers import groups
from handlers.common import acknowledge, close_buttons, say, telegram_id
from handlers.forms import State
from handlers.signup_steps import (
    AVAILABILITY,
    CONSENT,
    EMAIL,
    FORM,
    INTERESTS,
    NAME,
    PENDING_NAME,
    PHONE,
    REVIEW,
    ask,
    buttons,
    field_buttons,
    must_be_consented,
    next_step,
    on_press,
    pending_name,
    pressed,
    show_review,
)
from kernel import commands
from kernel.buttons.signup import SignupVerb, SupportButton, SupportVerb
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.people import Role
from services import signup as service

__all__ = [
    "AVAILABILITY",
    "CONSENT",
    "EMAIL",
    "INTERESTS",
    "NAME",
    "PHONE",
    "REVIEW",
    "build",
    "next_step",
    "register",
]
END = ConversationHandler.END

# --- Entering -------------------------------------------------------------------------------


async def begin(update: Update, context: SammenContext) -> State:
    """'Become a volunteer' or 'Continue': ask the first unanswered question."""
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if person is None or person.role not in (Role.LEAD, Role.VOLUNTEER):
        await say(update, context, "signup.not_for_role")
        return END
    if person.is_active_volunteer:
        await show_review(update, context)
        return REVIEW
    if not person.has_consented:
        await say(update, context, "signup.intro")
    return await ask(update, context, next_step(person, pending_name(context)))


async def show_profile(update: Update, context: SammenContext) -> State:
    """/profile: a volunteer's details with a button per field to change it."""
    person = context.person
    if person is not None and person.is_support_person:
        # A support person's details belong to their own journey: one press leads there.
        review = SupportButton(SupportVerb.REVIEW).pack()
        details = inline([[(context.t("support.button.details"), review)]])
        await say(update, context, "profile.support_person", details)
        return END
    if person is None or not person.has_consented:
        await say(update, context, "profile.none")
        return END
    if person.is_signing_up:
        await say(update, context, "profile.finish_signup_first")
        return await ask(update, context, next_step(person, None))
    await show_review(update, context)
    return REVIEW


# --- Review and profile ---------------------------------------------------------------------


async def confirmed(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
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
        person = await service.finish_signup(context.runtime, telegram_id(update))
        context.person = person
        await commands.publish_personal(
            context.bot, context.runtime.texts, person, context.language
        )
    await say(update, context, "signup.done", name=person.name or "")
    return END


async def change_requested(update: Update, context: SammenContext) -> State:
    """'Change something' on the sign-up summary: which detail?"""
    if not await must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(
        field_buttons(context, "signup.review.back", SignupVerb.REVIEW)
    )
    return REVIEW


async def review_again(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    return await ask(update, context, REVIEW)


async def edit_field(update: Update, context: SammenContext) -> State:
    if not await must_be_consented(update, context):
        return END
    field = pressed(update).value or ""
    await acknowledge(update, context)
    await close_buttons(update)
    return await ask(update, context, field if FORM.changeable(field) else REVIEW)


async def profile_closed(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    await say(update, context, "profile.closed")
    return END


async def cancelled(update: Update, context: SammenContext) -> int:
    """/cancel at any step: stop asking; what was saved stays, /start continues later."""
    await acknowledge(update, context)
    context.user_data.pop(PENDING_NAME, None)
    person = context.person
    key = "signup.cancelled_saved" if person and person.has_consented else "signup.cancelled"
    await say(update, context, key, ReplyKeyboardRemove())
    return END


def build() -> ConversationHandler:
    """The sign-up and profile conversation, persisted by name so restarts keep the step."""
    states = FORM.states(
        [
            buttons(confirmed, pattern=on_press(SignupVerb.CONFIRM)),
            buttons(change_requested, pattern=on_press(SignupVerb.CHANGE)),
            buttons(review_again, pattern=on_press(SignupVerb.REVIEW)),
            buttons(edit_field, pattern=on_press(SignupVerb.EDIT)),
            buttons(profile_closed, pattern=on_press(SignupVerb.CLOSE)),
        ]
    )
    return ConversationHandler(
        entry_points=[
            buttons(begin, pattern=on_press(SignupVerb.START, SignupVerb.RESUME)),
            CommandHandler("profile", show_profile, filters=filters.UpdateType.MESSAGE),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancelled, filters=filters.UpdateType.MESSAGE),
            CommandHandler("profile", show_profile, filters=filters.UpdateType.MESSAGE),
            buttons(begin, pattern=on_press(SignupVerb.START, SignupVerb.RESUME)),
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
