"""The command menu per role and language, published with setMyCommands."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden

from kernel.people import PersonInfo
from kernel.texts import LANGUAGES, Texts

log = logging.getLogger(__name__)

# (command, key of its description). Order is the order people see.
EVERYONE = (
    ("start", "commands.start"),
    ("help", "commands.help"),
    ("language", "commands.language"),
    ("mydata", "commands.mydata"),
    ("delete", "commands.delete"),
    ("cancel", "commands.cancel"),
)
VOLUNTEER = (
    ("activities", "commands.activities"),
    ("my_activities", "commands.my_activities"),
    ("profile", "commands.profile"),
)
SUPPORT_PERSON = (
    ("book", "commands.book"),
    ("bookings", "commands.bookings"),
    ("citizens", "commands.citizens"),
    ("profile", "commands.support_profile"),
)
# A support person whose request waits for a coordinator (or was declined): no booking yet.
SUPPORT_WAITING = (("profile", "commands.support_profile"),)
COORDINATOR = (
    ("activities", "commands.activities_admin"),
    ("new_activity", "commands.new_activity"),
    ("broadcast", "commands.broadcast"),
    ("broadcasts", "commands.broadcasts"),
    ("interests", "commands.interests"),
    ("needs", "commands.needs"),
    ("stats", "commands.stats"),
    ("team", "commands.team"),
    ("audit", "commands.audit"),
    ("invite", "commands.invite"),
)


def commands_for(person: PersonInfo | None) -> tuple[tuple[str, str], ...]:
    """What this person can do now, in menu order."""
    if person is None:
        return EVERYONE
    if person.is_coordinator:
        return EVERYONE[:2] + COORDINATOR + EVERYONE[2:]
    if person.has_consented:
        return EVERYONE[:2] + VOLUNTEER + EVERYONE[2:]
    if person.is_approved_support_person:
        return EVERYONE[:2] + SUPPORT_PERSON + EVERYONE[2:]
    if person.is_support_person:
        return EVERYONE[:2] + SUPPORT_WAITING + EVERYONE[2:]
    return EVERYONE


def _menu(texts: Texts, language: str, entries: tuple[tuple[str, str], ...]) -> list[BotCommand]:
    return [BotCommand(command, texts.get(language, key)) for command, key in entries]


async def publish_default(bot: Bot, texts: Texts, default_language: str) -> None:
    """Everyone's menu: one per language, and the default language for the rest."""
    await bot.set_my_commands(_menu(texts, default_language, EVERYONE), BotCommandScopeDefault())
    for language in LANGUAGES:
        await bot.set_my_commands(
            _menu(texts, language, EVERYONE), BotCommandScopeDefault(), language_code=language
        )


async def publish_personal(bot: Bot, texts: Texts, person: PersonInfo, language: str) -> None:
    """A volunteer's, support person's or coordinator's own menu, in their chat and language."""
    if not (person.is_coordinator or person.has_consented or person.is_support_person):
        await remove_personal(bot, person.telegram_id)
        return
    try:
        await bot.set_my_commands(
            _menu(texts, language, commands_for(person)), BotCommandScopeChat(person.telegram_id)
        )
    except (BadRequest, Forbidden) as error:
        # A coordinator from the settings who never opened the bot has no chat yet.
        log.info("Personal command menu not published: %s", error.message)


async def remove_personal(bot: Bot, telegram_id: int) -> None:
    """Back to everyone's menu, e.g. after a person erased their data."""
    try:
        await bot.delete_my_commands(BotCommandScopeChat(telegram_id))
    except (BadRequest, Forbidden) as error:
        log.info("Personal command menu not removed: %s", error.message)
