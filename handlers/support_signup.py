"""Registering as a support person (støtteperson): staff at a home, or a relative.

Like the volunteer sign-up, answers are written as they come, and only after consent; before
it, the name waits in memory. A support person gives a name, a phone number coordinators can
call, and where they work; after that they add the citizens they book for (/citizens).
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from handlers import groups
from handlers.common import Markup, acknowledge, close_buttons, say, say_text, telegram_id
from handlers.contact_answers import (
    Opening,
    Progress,
    opening_steps,
    stored,
    typed_text,
)
from handlers.forms import Form, State, Step
from kernel import commands
from kernel.buttons.citizens import AddCitizen
from kernel.buttons.signup import StartButton, SupportButton, SupportVerb
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.people import PersonInfo, Role
from kernel.validation import Invalid, clean_line, format_phone
from services import consent_texts as consent
from services import signup as service

NAME, CONSENT, PHONE, ORGANISATION, REVIEW = "name", "consent", "phone", "organisation", "review"
END = ConversationHandler.END
PENDING_NAME = "support_pending_name"
ORGANISATION_MAX = 120


def _button(verb: SupportVerb, value: str | None = None) -> str:
    return SupportButton(verb, value).pack()


def _on(*verbs: SupportVerb, value: str | None = None) -> Any:
    return SupportButton.where(*verbs, value=value)


def next_step(person: PersonInfo | None, pending_name: str | None) -> str:
    """The first question this support person has not answered yet; the review when all are."""
    return FORM.next_step(Progress(person, pending_name))


def _pending_name(context: SammenContext) -> str | None:
    return context.user_data.get(PENDING_NAME) if context.user_data is not None else None


def _may_register(person: PersonInfo | None) -> bool:
    return person is not None and person.role in (Role.LEAD, Role.SUPPORT)


# --- Asking ---------------------------------------------------------------------------------


async def ask(update: Update, context: SammenContext, step: str) -> str:
    """Put the question for `step`; returns the state to wait in."""
    return await FORM.ask(update, context, step)


async def _ask_consent(update: Update, context: SammenContext) -> None:
    text = consent.SUPPORT_PERSON.render(
        context.runtime.texts,
        context.language,
        months=context.settings.volunteer_retention_months,
    )
    buttons = [
        [(context.t("support.consent.agree"), _button(SupportVerb.CONSENT, "yes"))],
        [(context.t("support.consent.decline"), _button(SupportVerb.CONSENT, "no"))],
    ]
    await say_text(update, context, text, inline(buttons))


async def _organisation_keyboard(context: SammenContext) -> Markup:
    label = context.t("support.organisation.relative")
    return inline([[(label, _button(SupportVerb.ORGANISATION, "relative"))]])


def _card(context: SammenContext, person: PersonInfo) -> str:
    return context.t(
        "support.card",
        name=person.name or context.t("common.not_given"),
        phone=format_phone(person.phone) if person.phone else context.t("common.not_given"),
        organisation=person.organisation or context.t("common.not_given"),
    )


def _field_buttons(
    context: SammenContext, closing_key: str, closing: SupportVerb
) -> InlineKeyboardMarkup:
    rows = FORM.field_rows(context, lambda step: _button(SupportVerb.EDIT, step))
    rows.append([(context.t(closing_key), _button(closing))])
    return inline(rows)


async def _show_review(update: Update, context: SammenContext) -> None:
    person = context.person
    assert person is not None
    if person.is_registered_support_person:
        markup = _field_buttons(context, "support.button.close", SupportVerb.CLOSE)
        await say(update, context, "support.details", markup, card=_card(context, person))
        return
    buttons = [
        [(context.t("support.review.confirm"), _button(SupportVerb.CONFIRM))],
        [(context.t("support.review.change"), _button(SupportVerb.CHANGE))],
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


async def _save_name(update: Update, context: SammenContext, name: str) -> State:
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


async def consent_declined(update: Update, context: SammenContext) -> State:
    await acknowledge(update, context)
    await close_buttons(update)
    person = context.person
    if person is not None and person.is_support_person:
        # An older consent message, after agreeing on a newer one: nothing to undo here.
        await say(update, context, "signup.consent.already_agreed")
        return await ask(update, context, next_step(person, None))
    context.user_data.pop(PENDING_NAME, None)
    await say(update, context, "support.consent.declined")
    return END


async def _save_phone(update: Update, context: SammenContext, phone: str) -> State:
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


def _organisation_in(update: Update) -> str | Invalid:
    return clean_line(typed_text(update), longest=ORGANISATION_MAX)


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
        person = await service.finish_registration(context.runtime, telegram_id(update))
        context.person = person
        await commands.publish_personal(
            context.bot, context.runtime.texts, person, context.language
        )
    if not person.is_approved_support_person:
        # Not invited: the coordinators were asked; booking waits for their answer.
        await say(update, context, "invitations.request.sent", name=person.name or "")
        return END
    # The citizens journey's own button (its kind lives with that journey).
    add = inline([[(context.t("citizens.button.add"), AddCitizen().pack())]])
    await say(update, context, "support.done", add, name=person.name or "")
    return END


async def change_requested(update: Update, context: SammenContext) -> str | int:
    if not await _must_be_consented(update, context):
        return END
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(
        _field_buttons(context, "support.review.back", SupportVerb.REVIEW)
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
    assert query is not None
    button = SupportButton.parse(query.data)
    field = button.value if button is not None and button.value is not None else ""
    await acknowledge(update, context)
    await close_buttons(update)
    return await ask(update, context, field if FORM.changeable(field) else REVIEW)


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


buttons = CallbackQueryHandler
STEPS: tuple[Step[Progress], ...] = (
    *opening_steps(
        (NAME, CONSENT, PHONE),
        Opening(
            questions=("support.name.ask", "support.phone.ask"),
            review_buttons=("support.button.name", "support.button.phone"),
            consented=stored(lambda person: person.is_support_person),
            guard=_must_be_consented,
            save_name=_save_name,
            ask_consent=_ask_consent,
            consent_answers={"yes": consent_given, "no": consent_declined},
            consent_pattern=lambda value: _on(SupportVerb.CONSENT, value=value),
            save_phone=_save_phone,
        ),
    ),
    Step(
        ORGANISATION,
        question_key="support.organisation.ask",
        keyboard=_organisation_keyboard,
        answered=stored(lambda person: person.organisation),
        parse=_organisation_in,
        save=_take_organisation,
        invalid_keys={
            "too_long": "support.organisation.too_long",
            "empty": "support.organisation.empty",
        },
        invalid_values={"longest": ORGANISATION_MAX},
        guard=_must_be_consented,
        field_key="support.button.organisation",
        type_it_key="support.organisation.type_it",
        handlers=[
            buttons(organisation_relative, pattern=_on(SupportVerb.ORGANISATION, value="relative"))
        ],
    ),
)
FORM: Form[Progress] = Form(
    STEPS,
    review=REVIEW,
    show_review=lambda update, context, _: _show_review(update, context),
    answers=lambda context: Progress(context.person, _pending_name(context)),
    # During registration, text meant for a later question (a hard kill came after that
    # question was sent, before its step was written) goes to the question the person sees.
    follows_order=lambda p: (
        p.person is not None
        and p.person.is_support_person
        and not p.person.is_registered_support_person
    ),
)


def _entry(data: object) -> bool:
    return StartButton.matches(data) or _on(SupportVerb.RESUME, SupportVerb.REVIEW)(data)


def build() -> ConversationHandler:
    """The support person's registration, persisted by name so restarts keep the step."""
    states = FORM.states(
        [
            buttons(confirmed, pattern=_on(SupportVerb.CONFIRM)),
            buttons(change_requested, pattern=_on(SupportVerb.CHANGE)),
            buttons(review_again, pattern=_on(SupportVerb.REVIEW)),
            buttons(edit_field, pattern=_on(SupportVerb.EDIT)),
            buttons(closed, pattern=_on(SupportVerb.CLOSE)),
        ]
    )
    # Used in two lists, so it is a variable: typed as a handler of any result, as the lists
    # want (a handler's result type is invariant and would not widen from str | int).
    entry: BaseHandler[Update, SammenContext, object] = buttons(begin, pattern=_entry)
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
