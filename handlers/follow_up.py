"""The one-press answer to "how did it go?" after an activity.

The button (`FollowUpAnswer`) is never trusted: the answer is kept only from someone who went
as a volunteer or whose citizens were booked (the service checks), and a second press changes
the answer instead of adding one.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.common import acknowledge, close_buttons, say
from kernel.buttons.activities import Answer, FollowUpAnswer
from kernel.context import SammenContext
from services import follow_up

THANKS_KEYS = {
    Answer.GOOD: "followup.thanks_good",
    Answer.OKAY: "followup.thanks_okay",
    Answer.BAD: "followup.thanks_bad",
}


async def answered(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    pressed = FollowUpAnswer.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    person = context.person
    if person is None:
        await acknowledge(update, context, "followup.not_there", alert=True)
        return
    kept = await follow_up.record_answer(
        context.runtime, pressed.activity_id, person, pressed.answer
    )
    if not kept:
        await acknowledge(update, context, "followup.not_there", alert=True)
        return
    await acknowledge(update, context)
    # The question stays in the chat, so it still says which activity the answer was about.
    await close_buttons(update)
    await say(update, context, THANKS_KEYS[pressed.answer])


def register(app: Application) -> None:
    app.add_handler(
        CallbackQueryHandler(answered, pattern=FollowUpAnswer.matches), group=groups.JOURNEYS
    )
