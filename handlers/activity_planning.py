"""Coordinators plan activities (/new_activity), change them, and cancel them.

Every answer goes into the activity's row as it comes (a draft until published), and which
activity a coordinator works on is stored too, so a restart continues at the same question.
Any coordinator may change or cancel any activity; the row records who did. The questions
and their answers are a step table for the form engine, in activity_planning_answers; what
they are made of is in activity_planning_steps.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.activity_cards import when_text
from handlers.activity_planning_answers import (
    FORM,
    field_rows,
    on,
    reask,
    typed,
)
from handlers.activity_planning_series import (
    PURPOSES,
    SCOPE,
    ask_reason,
    ask_scope,
    days,
)
from handlers.activity_planning_steps import (
    CANCEL_CONFIRM,
    CANCEL_REASON,
    END,
    INVALID_KEYS,
    PREVIEW,
    REASON_MAX,
    WHEN,
    coordinator,
    current,
    field_buttons,
    lost,
    plan_button,
)
from handlers.common import acknowledge, close_buttons, say
from kernel.access import Access, requires
from kernel.buttons.planning import (
    AdminAction,
    AdminVerb,
    NewActivity,
    PlanButton,
    PlanChoice,
    PlanField,
    SeriesScope,
    admin,
    scoping,
)
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.texts import Markup
from kernel.validation import Invalid, clean_paragraph
from services import planning

# The reason typed for a cancellation, kept until it is confirmed.
CANCEL_REASON_KEY = "cancel_reason"

# --- Entering -------------------------------------------------------------------------------


@requires(Access.COORDINATOR)
async def new_activity(update: Update, context: SammenContext) -> str | int:
    """/new_activity (or the list's button): continue an unfinished draft, or start one."""
    await acknowledge(update, context)
    found = await current(context)
    if found is not None and found.is_unpublished_draft:
        buttons = [
            plan_button(context, "plan.resume.continue", PlanChoice.RESUME),
            plan_button(context, "plan.resume.fresh", PlanChoice.FRESH),
        ]
        await say(
            update, context, "plan.resume.ask", inline(buttons), title=found.activity.title or "…"
        )
        return PREVIEW
    return await _fresh_draft(update, context)


async def _fresh_draft(update: Update, context: SammenContext) -> str:
    draft = await planning.start_fresh(context.runtime, coordinator(context))
    await say(update, context, "plan.intro")
    return await FORM.ask(update, context, FORM.next_step(draft), draft)


@requires(Access.COORDINATOR)
async def resume_draft(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    found = await current(context)
    if found is None:
        return await lost(update, context)
    return await FORM.ask(update, context, FORM.next_step(found.activity), found.activity)


@requires(Access.COORDINATOR)
async def fresh_draft(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _fresh_draft(update, context)


async def _entered(update: Update, context: SammenContext, verb: AdminVerb) -> str | int:
    """'Edit' or 'Cancel' on an activity's card: a date of a weekly series with later dates
    asks first whether it is for this date only; any other activity is taken up at once."""
    assert update.callback_query is not None
    pressed = AdminAction.parse(update.callback_query.data)
    assert pressed is not None
    later = await planning.later_dates(context.runtime, coordinator(context), pressed.activity_id)
    if later is None:
        await acknowledge(update, context, "activity.gone", alert=True)
        return END
    if not later:
        return await _take_up(update, context, verb, pressed.activity_id, following=False)
    activity = await planning.take_up(
        context.runtime, coordinator(context), pressed.activity_id, PURPOSES[verb, False]
    )
    if activity is None:
        await acknowledge(update, context, "activity.gone", alert=True)
        return END
    await acknowledge(update, context)
    return await ask_scope(update, context, verb, activity, later)


@requires(Access.COORDINATOR)
async def scope_chosen(update: Update, context: SammenContext) -> str | int:
    """Only this date, or this and the following: the press names the activity, so it is
    checked again (a stale or forged press of a gone activity changes nothing)."""
    assert update.callback_query is not None
    pressed = SeriesScope.parse(update.callback_query.data)
    assert pressed is not None
    return await _take_up(
        update, context, pressed.verb, pressed.activity_id, following=pressed.following
    )


async def _take_up(
    update: Update, context: SammenContext, verb: AdminVerb, activity_id: int, *, following: bool
) -> str | int:
    """Start editing or cancelling a published activity, and put the first question."""
    purpose = PURPOSES[verb, following]
    activity = await planning.take_up(context.runtime, coordinator(context), activity_id, purpose)
    if activity is None:
        await acknowledge(update, context, "activity.gone", alert=True)
        return END
    await acknowledge(update, context)
    await close_buttons(update)
    later = []
    if following:
        later = await planning.later_dates(context.runtime, coordinator(context), activity.id) or []
    if verb is AdminVerb.CANCEL:
        await ask_reason(update, context, activity, later)
        return CANCEL_REASON
    if later:
        await say(update, context, "plan.series.editing_all")
    return await FORM.ask(update, context, PREVIEW, activity)


@requires(Access.COORDINATOR)
async def scope_reask(update: Update, context: SammenContext) -> str | int:
    """Something typed while the series question waits: put the question again."""
    found = await current(context)
    if found is None:
        return await lost(update, context)
    verb = AdminVerb.CANCEL if found.purpose.cancels else AdminVerb.EDIT
    later = await planning.later_dates(context.runtime, coordinator(context), found.activity.id)
    if not later:
        return await _take_up(update, context, verb, found.activity.id, following=False)
    await say(update, context, "common.use_buttons")
    return await ask_scope(update, context, verb, found.activity, later)


@requires(Access.COORDINATOR)
async def edit_published(update: Update, context: SammenContext) -> str | int:
    """'Edit' on an activity's card: any coordinator may change any activity."""
    return await _entered(update, context, AdminVerb.EDIT)


@requires(Access.COORDINATOR)
async def cancel_asked(update: Update, context: SammenContext) -> str | int:
    return await _entered(update, context, AdminVerb.CANCEL)


# --- Preview, publishing, editing -------------------------------------------------------------


@requires(Access.COORDINATOR)
async def publish(update: Update, context: SammenContext) -> str | int:
    found = await current(context)
    if found is None or found.activity.status != "draft":
        return await lost(update, context)
    draft = found.activity
    missing = FORM.next_step(draft)
    if missing != PREVIEW:
        await acknowledge(update, context)
        return await FORM.ask(update, context, missing, draft)
    if draft.starts_at is not None and draft.starts_at <= context.now():
        await acknowledge(update, context)
        await close_buttons(update)
        await say(
            update, context, "plan.when.in_the_past", example=Markup(context.t("plan.when.example"))
        )
        return WHEN
    published = await planning.publish(context.runtime, coordinator(context), draft.id)
    await acknowledge(update, context)
    await close_buttons(update)
    dates = "\n".join(f"• {when_text(context, activity)}" for activity in published.activities)
    await say(
        update,
        context,
        "plan.published",
        title=draft.title or "",
        count=len(published.activities),
        dates=dates,
        told=published.told,
    )
    # Only now, with the coordinator answered: the notices may be thousands of rows.
    await planning.announce_published(context.runtime, published)
    return END


@requires(Access.COORDINATOR)
async def change_requested(update: Update, context: SammenContext) -> str | int:
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    await query.edit_message_reply_markup(
        field_buttons(context, field_rows(context), "plan.edit.back", PlanChoice.PREVIEW)
    )
    return PREVIEW


@requires(Access.COORDINATOR)
async def field_chosen(update: Update, context: SammenContext) -> str | int:
    assert update.callback_query is not None
    pressed = PlanField.parse(update.callback_query.data)
    assert pressed is not None
    found = await current(context)
    if found is None:
        return await lost(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    step = pressed.step if FORM.changeable(pressed.step) else PREVIEW
    return await FORM.ask(update, context, step, found.activity)


@requires(Access.COORDINATOR)
async def preview_again(update: Update, context: SammenContext) -> str | int:
    found = await current(context)
    if found is None:
        return await lost(update, context)
    await acknowledge(update, context)
    await close_buttons(update)
    return await FORM.ask(update, context, PREVIEW, found.activity)


@requires(Access.COORDINATOR)
async def discard(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    await planning.discard(context.runtime, coordinator(context))
    await say(update, context, "plan.discarded")
    return END


@requires(Access.COORDINATOR)
async def editing_done(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    await planning.stop(context.runtime, coordinator(context))
    await say(update, context, "plan.edit.saved")
    return END


# --- Cancelling -----------------------------------------------------------------------------


@requires(Access.COORDINATOR)
async def cancel_reason_typed(update: Update, context: SammenContext) -> str | int:
    reason = clean_paragraph(typed(update), longest=REASON_MAX)
    if isinstance(reason, Invalid):
        await say(update, context, INVALID_KEYS[reason.reason], longest=REASON_MAX)
        return CANCEL_REASON
    reach = await planning.cancel_reach(context.runtime, coordinator(context))
    if reach is None:
        return await lost(update, context)
    context.user_data[CANCEL_REASON_KEY] = reason
    buttons = [
        [
            (
                context.label("plan.cancel.confirm", count=reach.people),
                PlanButton(PlanChoice.CANCEL_YES).pack(),
            )
        ],
        plan_button(context, "plan.cancel.keep", PlanChoice.CANCEL_NO),
    ]
    title = reach.activity.title or ""
    if reach.later:
        dates = days(context, [reach.activity, *reach.later])
        count = len(reach.later) + 1
        await say(
            update,
            context,
            "plan.cancel.check_series",
            inline(buttons),
            title=title,
            reason=reason,
            count=count,
            dates=dates,
        )
    else:
        await say(update, context, "plan.cancel.check", inline(buttons), title=title, reason=reason)
    return CANCEL_CONFIRM


@requires(Access.COORDINATOR)
async def cancel_confirmed(update: Update, context: SammenContext) -> str | int:
    found = await current(context)
    reason = context.user_data.pop(CANCEL_REASON_KEY, None)
    await acknowledge(update, context)
    if found is None or not found.purpose.cancels or not reason:
        # A restart lost the reason typed a moment ago: ask for it again rather than guess.
        await close_buttons(update)
        reach = await planning.cancel_reach(context.runtime, coordinator(context))
        if reach is not None:
            await ask_reason(update, context, reach.activity, reach.later)
            return CANCEL_REASON
        return await lost(update, context)
    cancelled = await planning.cancel(
        context.runtime,
        coordinator(context),
        found.activity.id,
        reason,
        following=found.purpose.following,
    )
    await close_buttons(update)
    if cancelled is None:
        await say(update, context, "activity.gone")
        return END
    title = cancelled.activity.title or ""
    if cancelled.later:
        count = len(cancelled.later) + 1
        await say(
            update,
            context,
            "plan.cancel.done_series",
            title=title,
            count=count,
            told=cancelled.told,
        )
    else:
        await say(update, context, "plan.cancel.done", title=title, count=cancelled.told)
    return END


@requires(Access.COORDINATOR)
async def cancel_kept(update: Update, context: SammenContext) -> int:
    context.user_data.pop(CANCEL_REASON_KEY, None)
    await acknowledge(update, context)
    await close_buttons(update)
    await planning.stop(context.runtime, coordinator(context))
    await say(update, context, "plan.cancel.kept")
    return END


async def stopped(update: Update, context: SammenContext) -> int:
    """/cancel: stop asking. A draft is kept for /new_activity; an edit is already saved.
    Anyone may leave, so no role is required."""
    found = await current(context)
    context.user_data.pop(CANCEL_REASON_KEY, None)
    draft = found is not None and found.activity.status == "draft"
    await say(update, context, "plan.stopped_draft" if draft else "plan.stopped")
    return END


def build() -> ConversationHandler:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND

    states = FORM.states(
        [
            on(PlanChoice.PUBLISH, publish),
            on(PlanChoice.CHANGE, change_requested),
            CallbackQueryHandler(field_chosen, pattern=PlanField.matches),
            on(PlanChoice.PREVIEW, preview_again),
            on(PlanChoice.DISCARD, discard),
            on(PlanChoice.DONE, editing_done),
            on(PlanChoice.RESUME, resume_draft),
            on(PlanChoice.FRESH, fresh_draft),
        ]
    )
    # Cancelling is no question of the form: its answers go nowhere until confirmed.
    anything_else = message & ~filters.COMMAND
    states[CANCEL_REASON] = [
        MessageHandler(text, cancel_reason_typed),
        MessageHandler(anything_else, reask(CANCEL_REASON)),
    ]
    states[SCOPE] = [MessageHandler(anything_else, scope_reask)]
    states[CANCEL_CONFIRM] = [
        on(PlanChoice.CANCEL_YES, cancel_confirmed),
        on(PlanChoice.CANCEL_NO, cancel_kept),
        MessageHandler(anything_else, reask(CANCEL_CONFIRM)),
    ]
    return ConversationHandler(
        entry_points=[
            CommandHandler("new_activity", new_activity, filters=message),
            CallbackQueryHandler(new_activity, pattern=NewActivity.matches),
            CallbackQueryHandler(edit_published, pattern=admin(AdminVerb.EDIT)),
            CallbackQueryHandler(cancel_asked, pattern=admin(AdminVerb.CANCEL)),
            CallbackQueryHandler(scope_chosen, pattern=scoping(AdminVerb.EDIT)),
            CallbackQueryHandler(scope_chosen, pattern=scoping(AdminVerb.CANCEL)),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", stopped, filters=message),
            CommandHandler("new_activity", new_activity, filters=message),
        ],
        name="activity_planning",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build(), group=groups.JOURNEYS)
