"""Mette and Lars are what the side panel says they are: a volunteer and a support person.

They are registered through the same services the bot's sign-up and registration call, one
answer at a time, with the real consent text of their role in their language, so what is stored
about them is what a real sign-up stores. A playground user can join an activity as Mette or
book one as Lars at once; trying the sign-up itself is what "+ New person" is for.

Registration is idempotent: a persona who is a volunteer (or support person) already is left as
they are, so their data from earlier runs stays; one who erased their data is registered again
at the next start.
"""

from __future__ import annotations

from collections.abc import Iterable

from telegram import Bot

from kernel import commands
from kernel.context import Runtime
from kernel.people import PersonInfo, Role
from playground.personas import FIXED, SUPPORT_PERSONA_ID, VOLUNTEER_PERSONA_ID, Fixed
from services import interests, invitations, signup, visits
from storage.people import find_person

METTE_INTERESTS = ("walks", "cafe")
METTE_DAYS = (0, 2, 5)  # Monday, Wednesday, Saturday
METTE_PARTS = ("morning", "afternoon")
LARS_WORKPLACE = "Bostedet Ådalen"


def _fixed(user_id: int) -> Fixed:
    return next(fixed for fixed in FIXED if fixed.user_id == user_id)


async def register_personas(runtime: Runtime) -> None:
    """Sign Mette up as a volunteer and register Lars as a support person, unless they are."""
    mette = await _visit(runtime, _fixed(VOLUNTEER_PERSONA_ID))
    if mette.role == Role.LEAD:
        await _sign_up_volunteer(runtime, _fixed(VOLUNTEER_PERSONA_ID))
    lars = await _visit(runtime, _fixed(SUPPORT_PERSONA_ID))
    if lars.role == Role.LEAD:
        await _register_support_person(runtime, _fixed(SUPPORT_PERSONA_ID))


async def publish_menus(runtime: Runtime, bot: Bot, telegram_ids: Iterable[int]) -> None:
    """Each stored person's own command menu, in their language, as the bot published it when
    they signed up. Telegram keeps menus across restarts; the local server starts empty, so
    the playground publishes them again at every start (the bot itself does so only for
    coordinators)."""
    for telegram_id in telegram_ids:
        async with runtime.sessions() as session:
            person = await find_person(session, telegram_id)
        if person is None or person.is_coordinator:
            continue  # nobody to show a menu to; coordinators' menus the bot publishes itself
        language = person.language or runtime.settings.default_language
        await commands.publish_personal(bot, runtime.texts, person, language)


async def _visit(runtime: Runtime, fixed: Fixed) -> PersonInfo:
    return await visits.register_visit(runtime, fixed.user_id, telegram_language=fixed.language)


async def _sign_up_volunteer(runtime: Runtime, fixed: Fixed) -> PersonInfo:
    telegram_id = fixed.user_id
    name = f"{fixed.first_name} {fixed.last_name}"
    await signup.record_volunteer_consent(runtime, telegram_id, fixed.language, name)
    await signup.save_phone(runtime, telegram_id, fixed.phone)
    await signup.save_email(runtime, telegram_id, None)
    for interest in await interests.active(runtime):
        if interest.slug in METTE_INTERESTS:
            await signup.toggle_interest(runtime, telegram_id, interest.id)
    await signup.finish_interests(runtime, telegram_id)
    for day in METTE_DAYS:
        await signup.toggle_day(runtime, telegram_id, day)
    for part in METTE_PARTS:
        await signup.toggle_part(runtime, telegram_id, part)
    await signup.finish_availability(runtime, telegram_id)
    return await signup.finish_signup(runtime, telegram_id)


async def _register_support_person(runtime: Runtime, fixed: Fixed) -> PersonInfo:
    telegram_id = fixed.user_id
    name = f"{fixed.first_name} {fixed.last_name}"
    # Invited, as the operator would invite him: approved at once, so he can book.
    token = await invitations.issue_unlisted(runtime, Role.SUPPORT)
    await invitations.open_link(runtime, telegram_id, token)
    await signup.record_support_consent(runtime, telegram_id, fixed.language, name)
    await signup.save_support_phone(runtime, telegram_id, fixed.phone)
    await signup.save_organisation(runtime, telegram_id, LARS_WORKPLACE)
    return await signup.finish_registration(runtime, telegram_id)
