"""The coordinators' one-press answer to "this activity is still below its minimum: go ahead
anyway, or cancel?" (services.minimum). The button is never trusted: the service checks the
role, re-reads the activity and lets only the first answer count."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from handlers import groups
from handlers.common import acknowledge, close_buttons, say_text
from kernel.access import Access, requires
from kernel.buttons.minimum import MinimumDecision
from kernel.context import SammenContext
from services import minimum
from services.minimum import Decided, Outcome

ALREADY_KEYS = {
    # (decision, named): the text for a press after the question was answered
    ("go_ahead", True): "activity.minimum.already_go_ahead_by",
    ("cancel", True): "activity.minimum.already_cancel_by",
    ("go_ahead", False): "activity.minimum.already_go_ahead",
    ("cancel", False): "activity.minimum.already_cancel",
}
SIMPLE_KEYS = {
    Outcome.WENT_AHEAD: "activity.minimum.went_ahead",
    Outcome.CANCELLED: "activity.minimum.cancelled",
    Outcome.NOT_NEEDED: "activity.minimum.not_needed",
    Outcome.MOVED: "activity.minimum.moved",
}


def _answer(context: SammenContext, decided: Decided) -> str:
    if decided.outcome is Outcome.ALREADY_DECIDED:
        key = ALREADY_KEYS[(decided.decision or "cancel", decided.by is not None)]
        name = decided.by or context.t("activity.minimum.someone")
        return context.t(key, title=decided.title, name=name)
    if decided.outcome is Outcome.GONE:
        return context.t("activity.gone")
    return context.t(SIMPLE_KEYS[decided.outcome], title=decided.title, told=decided.told)


@requires(Access.COORDINATOR)
async def decided(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    pressed = MinimumDecision.parse(query.data if query else None)
    assert pressed is not None  # the handler's pattern let only this kind through
    outcome = await minimum.decide(context.runtime, context.person, pressed)
    if outcome.outcome is Outcome.REFUSED:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    if outcome.outcome not in (Outcome.NOT_NEEDED, Outcome.MOVED):
        # Settled: the question stays in the chat (it says which activity), its buttons go.
        # Not needed now may be needed again if a volunteer leaves, so those buttons stay.
        await close_buttons(update)
    await say_text(update, context, _answer(context, outcome))


def register(app: Application) -> None:
    app.add_handler(
        CallbackQueryHandler(decided, pattern=MinimumDecision.matches), group=groups.JOURNEYS
    )
