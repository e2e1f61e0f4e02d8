"""Each person's command menu follows their role at once, whoever changed the role.

No service has to remember to publish a menu: the database notes which menu each chat was
last given (storage.menus), and `follow_roles` publishes a new one to whoever's role now
gives another. It runs after every update for the person who wrote (so a volunteer who just
accepted the coordinator role has the coordinator menu with the answer), right after a
coordinator changed someone else's role, and as a frequent scheduled job for everyone else
(roles changed by invitations, approvals, or before a crash).
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from kernel import commands
from kernel.context import Runtime
from kernel.texts import pick_language
from services.unit_of_work import unit_of_work
from storage import menus
from storage.engine import only_reading

log = logging.getLogger(__name__)


async def follow_roles(runtime: Runtime, bot: Bot, *, telegram_id: int | None = None) -> int:
    """Publish the menu each out-of-date person's role gives (only this person's, with
    `telegram_id`); returns how many were published. A menu Telegram did not take stays owed."""
    async with runtime.sessions() as session:
        # Only a read, after every update: no transaction, so nothing waits for SQLite's
        # write lock when, as almost always, no menu is owed.
        await only_reading(session)
        owed = await menus.stale(session, telegram_id=telegram_id)
    if not owed:
        return 0
    published = 0
    for entry in owed:
        person = entry.person
        language = pick_language(person.language, None, runtime.settings.default_language)
        try:
            await commands.publish_personal(bot, runtime.texts, person, language)
        except TelegramError as error:
            log.info("Command menu not published, tried again later: %s", error)
            continue
        async with unit_of_work(runtime) as session:
            # The menu published, not the role now: a role changed meanwhile stays owed.
            await menus.given(session, person.id, entry.menu)
        published += 1
    return published
