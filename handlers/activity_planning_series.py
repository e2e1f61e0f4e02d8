"""A date of a weekly series: does a change or a cancellation go to it alone, or to the
following dates too? The question, and what is said after a change that went to several dates.

The choice is a button carrying the activity and the answer (SeriesScope), so it survives a
restart; the service stores it as the purpose of the edit, and every answer afterwards goes
where it says.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Update

from handlers.activity_cards import when_text
from handlers.common import say
from kernel.buttons.planning import AdminVerb, SeriesScope
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import Markup
from services.planning import ActivityInfo, Draft, Purpose

# The conversation waits here for the answer to the question.
SCOPE = "series_scope"
PURPOSES = {
    (AdminVerb.EDIT, False): Purpose.EDIT,
    (AdminVerb.EDIT, True): Purpose.EDIT_ALL,
    (AdminVerb.CANCEL, False): Purpose.CANCEL,
    (AdminVerb.CANCEL, True): Purpose.CANCEL_ALL,
}

# Why a date was left as it was (services.planning.refusal's reasons).
WHY_KEYS = {
    "below_booked": "plan.series.why.below_booked",
    "below_minimum": "plan.series.why.below_minimum",
    "above_maximum": "plan.series.why.above_maximum",
    "in_the_past": "plan.series.why.in_the_past",
}


def days(context: SammenContext, dates: Sequence[ActivityInfo]) -> str:
    """The days of some dates of a series, short (`31/12, 7/1`): they share the clock time."""
    zone = context.settings.zone
    return ", ".join(
        f"{start.day}/{start.month}"
        for start in (a.starts_at.astimezone(zone) for a in dates if a.starts_at is not None)
    )


async def ask_scope(
    update: Update,
    context: SammenContext,
    verb: AdminVerb,
    activity: ActivityInfo,
    later: Sequence[ActivityInfo],
) -> str:
    """Only this date, or this and the following?"""
    buttons = [
        [(context.t("plan.series.only_this"), SeriesScope(verb, activity.id, False).pack())],
        [(context.t("plan.series.following"), SeriesScope(verb, activity.id, True).pack())],
    ]
    await say(
        update,
        context,
        "plan.series.ask_edit" if verb is AdminVerb.EDIT else "plan.series.ask_cancel",
        inline(buttons),
        title=activity.title or "",
        when=when_text(context, activity),
        dates=days(context, later),
    )
    return SCOPE


async def report_saved(update: Update, context: SammenContext, saved: Draft) -> None:
    """After a change to this and the following dates: how many took it, and which did not
    and why (each date is checked on its own, as if changed alone)."""
    if saved.also_changed:
        await say(update, context, "plan.series.also_changed", count=len(saved.also_changed) + 1)
    if saved.refused:
        lines = [
            context.t(
                WHY_KEYS[refusal.reason],
                when=when_text(context, refusal.activity),
                booked=refusal.activity.citizens_booked,
                minimum=refusal.activity.min_volunteers or 1,
                maximum=refusal.activity.max_volunteers or 0,
            )
            for refusal in saved.refused
        ]
        await say(update, context, "plan.series.refused", lines=Markup("\n".join(lines)))


async def ask_reason(
    update: Update,
    context: SammenContext,
    activity: ActivityInfo,
    later: Sequence[ActivityInfo],
) -> None:
    """Why is it cancelled (on this date, or on these dates)?"""
    if not later:
        await say(update, context, "plan.cancel.ask_reason", title=activity.title or "")
        return
    await say(
        update,
        context,
        "plan.cancel.ask_reason_series",
        title=activity.title or "",
        count=len(later) + 1,
        dates=days(context, [activity, *later]),
    )
