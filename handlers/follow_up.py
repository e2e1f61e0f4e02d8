"""The one-press answer to "how did it go?" after an activity.

Callback data `fb:<activity>:<answer>` is never trusted: the answer is kept only from someone
who went as a volunteer or whose citizens were booked (storage checks), and a second press
changes the answer instead of adding one.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.common import acknowledge, close_buttons
from kernel.context import SammenContext
from services.unit_of_work import unit_of_work
from storage import feedback
from storage.models import FeedbackAnswer

THANKS_KEYS = {
    FeedbackAnswer.GOOD: "followup.thanks_good",
    FeedbackAnswer.OKAY: "followup.thanks_okay",
    FeedbackAnswer.BAD: "followup.thanks_bad",
}


async def answered(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    _, activity_id, answer = query.data.split(":")
    person = context.person
    if person is None:
        await acknowledge(update, context, "followup.not_there", alert=True)
        return
    async with unit_of_work(context.runtime) as session:
        kept = await feedback.record(
            session, int(activity_id), person.id, answer, now=context.now()
        )
    if not kept:
        await acknowledge(update, context, "followup.not_there", alert=True)
        return
    await acknowledge(update, context)
    await close_buttons(update, context.t(THANKS_KEYS[answer]))


def register(app: Application) -> None:
    app.add_handler(
        CallbackQueryHandler(answered, pattern=r"^fb:\d{1,9}:(good|okay|bad)$"),
        group=groups.JOURNEYS,
    )
