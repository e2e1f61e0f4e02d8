"""Sharing a citizen with a colleague (a shared home, a day centre): a single-use link.

The link is `t.me/<bot>?start=share-<token>`; only the token's hash is stored, and the
`/start share-…` handler here comes before the campaign-crediting /start, so a token is
never recorded as a campaign.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler, filters

from handlers.common import acknowledge, pressed, say
from kernel.access import Access, requires
from kernel.buttons.citizens import ShareCitizen
from kernel.context import SammenContext
from services import citizens
from services.citizens import MOST_CITIZENS_PER_SUPPORT_PERSON, Shared

ACCEPT_KEYS = {
    Shared.SHARED: "citizens.share.accepted",
    Shared.ALREADY: "citizens.share.already",
    Shared.SAME_NAME: "citizens.share.same_name",
    Shared.TOO_MANY: "citizens.share.too_many",
    Shared.INVALID: "citizens.share.invalid",
}


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def share_pressed(update: Update, context: SammenContext) -> None:
    """🔗 Share: a fresh single-use link for this citizen."""
    button = pressed(update, ShareCitizen)
    assert context.person is not None
    sharing = await citizens.share(context.runtime, context.person, button.citizen_id)
    if sharing is None:
        await acknowledge(update, context, "citizens.gone", alert=True)
        return
    await acknowledge(update, context)
    link = f"https://t.me/{context.bot.username}?start={sharing.start_parameter}"
    await say(
        update,
        context,
        "citizens.share.link",
        name=sharing.citizen.first_name,
        link=link,
        days=citizens.SHARE_VALID_DAYS,
    )


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.share.only_support")
async def link_opened(update: Update, context: SammenContext) -> None:
    """/start share-…: the colleague keeps the citizen too (the link is used up)."""
    assert context.person is not None and context.args
    outcome, citizen = await citizens.accept_share(context.runtime, context.person, context.args[0])
    name = citizen.first_name if citizen is not None else ""
    await say(
        update, context, ACCEPT_KEYS[outcome], name=name, most=MOST_CITIZENS_PER_SUPPORT_PERSON
    )


def start_handler() -> CommandHandler:
    only_links = filters.UpdateType.MESSAGE & filters.Regex(
        rf"^/start(@\w+)?\s+{citizens.SHARE_PREFIX}"
    )
    return CommandHandler("start", link_opened, filters=only_links)
