"""Coordinators' tools. The role is read from the database on every action."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, filters

from handlers import groups
from handlers.common import say
from kernel.access import Access, requires
from kernel.context import SammenContext
from kernel.texts import Markup
from kernel.when import format_date
from services import stats
from services.stats import ActivityFeedback, FeedbackAnswer


@requires(Access.COORDINATOR)
async def show_stats(update: Update, context: SammenContext) -> None:
    """/stats: leads, sign-ups under way and volunteers, per campaign link."""
    found = await stats.figures(context.runtime, context.person)
    figures, booking, lately = found.campaigns, found.booking, found.lately
    support = context.t(
        "stats.support",
        support_persons=booking.support_persons,
        citizens=booking.citizens,
        bookings=booking.upcoming_bookings,
    ) + _how_it_went(context, lately)
    if not figures:
        await say(update, context, "stats.empty", support=Markup(support))
        return
    rows = "\n".join(
        context.t(
            "stats.row",
            campaign=row.campaign or context.t("stats.no_campaign"),
            leads=row.leads,
            signing_up=row.signing_up,
            volunteers=row.volunteers,
        )
        for row in figures
    )
    totals = context.t(
        "stats.totals",
        leads=sum(row.leads for row in figures),
        signing_up=sum(row.signing_up for row in figures),
        volunteers=sum(row.volunteers for row in figures),
    )
    await say(
        update,
        context,
        "stats.body",
        rows=Markup(rows),
        totals=Markup(totals),
        support=Markup(support),
    )


def _how_it_went(context: SammenContext, lately: list[ActivityFeedback]) -> str:
    """The latest activities that took place, with who came and what they answered after."""
    if not lately:
        return ""
    zone = context.settings.zone
    lines = [
        context.t(
            "stats.recent_row",
            title=entry.activity.title or "",
            date=format_date(entry.activity.starts_at, context.language, zone)
            if entry.activity.starts_at
            else "",
            volunteers=entry.activity.volunteers_joined,
            citizens=entry.activity.citizens_booked,
            good=entry.answers[FeedbackAnswer.GOOD],
            okay=entry.answers[FeedbackAnswer.OKAY],
            bad=entry.answers[FeedbackAnswer.BAD],
        )
        for entry in lately
    ]
    return "\n\n" + context.t("stats.recent", rows=Markup("\n".join(lines)))


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("stats", show_stats, filters=filters.UpdateType.MESSAGE),
        group=groups.JOURNEYS,
    )
