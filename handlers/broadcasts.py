"""/broadcast: a coordinator chooses an audience, writes the message (formatting kept, one
photo at most), sees it exactly as recipients will, with how many it reaches, then sends it
now, at a time, or discards it. /broadcasts lists the latest with their reports; a scheduled
one can be cancelled or given another time before it starts.

The service checks the role and the broadcast again on every press (buttons are never
trusted); the progress while it goes out is the broadcast job's (scheduler.jobs)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from handlers import groups
from handlers.activity_cards import dated_title
from handlers.common import acknowledge, close_buttons, pressed, say, say_text, split_long
from kernel.access import Access, requires
from kernel.buttons.broadcasts import (
    AudienceChoice,
    BroadcastAction,
    BroadcastAudience,
    BroadcastGoing,
    BroadcastInterest,
    BroadcastVerb,
    action,
)
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.when import WhenError, format_when, parse_when
from services import activities, broadcasts, interests
from services.broadcasts import Drafted, Outcome

END = ConversationHandler.END
# The next activities offered when "everyone going to an activity" is chosen (the card's
# button reaches any of them).
ACTIVITIES_SHOWN = 8
CHOOSING, WRITING, TIMING = "bc_choosing", "bc_writing", "bc_timing"
# What is chosen so far (not persisted: after a restart the coordinator starts again).
AUDIENCE, INTERESTS, ACTIVITY, TIMED = "bc_audience", "bc_interests", "bc_activity", "bc_timed"
AUDIENCE_KEYS = {
    "volunteers": "broadcast.audience.volunteers",
    "interests": "broadcast.audience.interests",
    "activity": "broadcast.audience.activity",
    "support": "broadcast.audience.support",
    "coordinators": "broadcast.audience.coordinators",
}
OUTCOME_KEYS = {
    Outcome.GONE: "broadcast.gone",
    Outcome.TOO_LONG: "broadcast.too_long",
    Outcome.NO_AUDIENCE: "broadcast.no_audience",
    Outcome.IN_THE_PAST: "plan.when.in_the_past",
}


def _forget(context: SammenContext) -> None:
    for key in (AUDIENCE, INTERESTS, ACTIVITY, TIMED):
        context.user_data.pop(key, None)


@requires(Access.COORDINATOR)
async def start(update: Update, context: SammenContext) -> str:
    """/broadcast: whom to write to."""
    _forget(context)
    rows: list[list[Button]] = [
        [(context.t(AUDIENCE_KEYS[choice.value]), BroadcastAudience(choice).pack())]
        for choice in AudienceChoice
    ]
    await say(update, context, "broadcast.choose", inline(rows))
    return CHOOSING


@requires(Access.COORDINATOR)
async def audience_chosen(update: Update, context: SammenContext) -> str | int:
    chosen = pressed(update, BroadcastAudience).audience
    await acknowledge(update, context)
    await close_buttons(update)
    context.user_data[AUDIENCE] = chosen.value
    if chosen is AudienceChoice.INTERESTS:
        context.user_data[INTERESTS] = []
        await _show_interests(update, context, new=True)
        return CHOOSING
    if chosen is AudienceChoice.ACTIVITY:
        return await _show_activities(update, context)
    await say(update, context, "broadcast.write")
    return WRITING


async def _show_activities(update: Update, context: SammenContext) -> str | int:
    """The next activities, to choose the one whose people get the message."""
    found = await activities.upcoming_page(context.runtime, 1, ACTIVITIES_SHOWN)
    if not found.items:
        await say(update, context, "broadcast.no_activities")
        return END
    rows: list[list[Button]] = [
        [(dated_title(context, activity), BroadcastGoing(activity.id).pack())]
        for activity in found.items
    ]
    await say(update, context, "broadcast.pick_activity", inline(rows))
    return CHOOSING


async def _show_interests(update: Update, context: SammenContext, *, new: bool) -> None:
    picked = set(context.user_data.get(INTERESTS) or [])
    buttons: list[Button] = [
        (
            ("✅ " if interest.id in picked else "") + interest.name(context.language),
            BroadcastInterest(interest.id).pack(),
        )
        for interest in await interests.active(context.runtime)
    ]
    rows = in_rows(buttons, 2)
    rows.append([(context.t("broadcast.interests_done"), BroadcastInterest(0).pack())])
    query = update.callback_query
    if not new and query is not None and isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=inline(rows))
    else:
        await say(update, context, "broadcast.pick_interests", inline(rows))


@requires(Access.COORDINATOR)
async def interest_toggled(update: Update, context: SammenContext) -> str | int:
    interest_id = pressed(update, BroadcastInterest).interest_id
    picked = context.user_data.get(INTERESTS)
    if picked is None:
        await acknowledge(update, context, "broadcast.lost", alert=True)
        return END
    if interest_id == 0:
        if not picked:
            await acknowledge(update, context, "broadcast.no_audience", alert=True)
            return CHOOSING
        await acknowledge(update, context)
        await close_buttons(update)
        await say(update, context, "broadcast.write")
        return WRITING
    await acknowledge(update, context)
    if interest_id in picked:
        picked.remove(interest_id)
    else:
        picked.append(interest_id)
    await _show_interests(update, context, new=False)
    return CHOOSING


@requires(Access.COORDINATOR)
async def from_card(update: Update, context: SammenContext) -> str:
    """✉️ on an activity's card: everyone going to it."""
    _forget(context)
    context.user_data[AUDIENCE] = AudienceChoice.ACTIVITY.value
    context.user_data[ACTIVITY] = pressed(update, BroadcastGoing).activity_id
    await acknowledge(update, context)
    await say(update, context, "broadcast.write")
    return WRITING


@requires(Access.COORDINATOR)
async def written(update: Update, context: SammenContext) -> str | int:
    """The message: kept as Telegram HTML, so what they formatted reaches everyone so."""
    message = update.message
    assert message is not None
    audience = context.user_data.get(AUDIENCE)
    if audience is None:
        await say(update, context, "broadcast.lost")
        return END
    if message.photo:
        text, photo = message.caption_html or "", message.photo[-1].file_id
        length = len(message.caption or "")
    else:
        text, photo, length = message.text_html or "", None, len(message.text or "")
    drafted = await broadcasts.draft(
        context.runtime,
        context.person,
        audience=audience,
        interest_ids=context.user_data.get(INTERESTS) or (),
        activity_id=context.user_data.get(ACTIVITY),
        text=text,
        photo=photo,
        length=length,
    )
    if drafted.outcome is Outcome.TOO_LONG:
        await say(update, context, "broadcast.too_long", limit=broadcasts.CAPTION_LIMIT)
        return WRITING
    if drafted.outcome is not Outcome.DRAFTED or drafted.broadcast is None:
        await say(update, context, OUTCOME_KEYS.get(drafted.outcome, "broadcast.gone"))
        _forget(context)
        return END
    _forget(context)
    await say(update, context, "broadcast.preview_intro")
    chat = update.effective_chat
    assert chat is not None
    # Exactly as the outbox will send it.
    if photo:
        await context.bot.send_photo(chat.id, photo, caption=text or None)
    else:
        await context.bot.send_message(chat.id, text)
    await say(
        update,
        context,
        "broadcast.preview",
        _draft_buttons(context, drafted.broadcast.id),
        recipients=drafted.recipients,
    )
    return END


def _draft_buttons(context: SammenContext, broadcast_id: int) -> InlineKeyboardMarkup:
    return inline(
        [
            [
                (
                    context.t("broadcast.send_now"),
                    BroadcastAction(BroadcastVerb.SEND, broadcast_id).pack(),
                )
            ],
            [
                (
                    context.t("broadcast.send_later"),
                    BroadcastAction(BroadcastVerb.LATER, broadcast_id).pack(),
                )
            ],
            [
                (
                    context.t("broadcast.discard"),
                    BroadcastAction(BroadcastVerb.DISCARD, broadcast_id).pack(),
                )
            ],
        ]
    )


async def wrong_kind(update: Update, context: SammenContext) -> str:
    await say(update, context, "broadcast.type_it")
    return WRITING


@requires(Access.COORDINATOR)
async def send_now(update: Update, context: SammenContext) -> None:
    query = update.callback_query
    assert query is not None
    broadcast_id = pressed(update, BroadcastAction).broadcast_id
    message = query.message
    chat = update.effective_chat
    assert chat is not None
    # Said before the sending starts: the progress the broadcasts job writes into this message
    # afterwards can then never be overwritten by an older word from here.
    await close_buttons(update, context.t("broadcast.starting"))
    sent = await broadcasts.send_now(
        context.runtime,
        context.person,
        broadcast_id,
        chat_id=chat.id,
        message_id=message.message_id if isinstance(message, Message) else 0,
    )
    await _answer(update, context, sent)
    if sent.outcome is not Outcome.SENDING:
        await close_buttons(update, context.t("broadcast.gone"))


async def _answer(update: Update, context: SammenContext, done: Drafted) -> None:
    """Stop the spinner, with the reason when nothing happened."""
    if done.outcome is Outcome.GONE:
        await acknowledge(update, context, "broadcast.gone", alert=True)
        await close_buttons(update)
    else:
        await acknowledge(update, context)


@requires(Access.COORDINATOR)
async def discard(update: Update, context: SammenContext) -> None:
    done = await broadcasts.discard(
        context.runtime, context.person, pressed(update, BroadcastAction).broadcast_id
    )
    await _answer(update, context, done)
    if done.outcome is Outcome.DISCARDED:
        await close_buttons(update, context.t("broadcast.discarded"))


@requires(Access.COORDINATOR)
async def cancel(update: Update, context: SammenContext) -> None:
    done = await broadcasts.cancel(
        context.runtime, context.person, pressed(update, BroadcastAction).broadcast_id
    )
    await _answer(update, context, done)
    if done.outcome is Outcome.CANCELLED:
        await close_buttons(update)
        await say(update, context, "broadcast.cancelled")


@requires(Access.COORDINATOR)
async def ask_time(update: Update, context: SammenContext) -> str | int:
    """Send at ...: a time typed as activity times are."""
    broadcast_id = pressed(update, BroadcastAction).broadcast_id
    found = await broadcasts.find(context.runtime, context.person, broadcast_id)
    if found.broadcast is None or found.broadcast.status not in (
        broadcasts.BroadcastStatus.DRAFT,
        broadcasts.BroadcastStatus.SCHEDULED,
    ):
        await _answer(update, context, Drafted(Outcome.GONE))
        return END
    await acknowledge(update, context)
    context.user_data[TIMED] = broadcast_id
    await say(update, context, "broadcast.ask_time", example=context.t("plan.when.example"))
    return TIMING


@requires(Access.COORDINATOR)
async def time_typed(update: Update, context: SammenContext) -> str | int:
    message = update.message
    assert message is not None and message.text is not None
    broadcast_id = context.user_data.get(TIMED)
    if broadcast_id is None:
        await say(update, context, "broadcast.lost")
        return END
    moment = parse_when(message.text, now=context.now(), zone=context.settings.zone)
    example = context.t("plan.when.example")
    if isinstance(moment, WhenError):
        await say(update, context, f"plan.when.{moment.reason}", example=example)
        return TIMING
    done = await broadcasts.schedule(context.runtime, context.person, broadcast_id, moment)
    if done.outcome is Outcome.IN_THE_PAST:
        await say(update, context, "plan.when.in_the_past", example=example)
        return TIMING
    _forget(context)
    if done.outcome is not Outcome.SCHEDULED:
        await say(update, context, "broadcast.gone")
        return END
    await say(
        update,
        context,
        "broadcast.scheduled",
        when=format_when(moment, context.language, context.settings.zone),
        recipients=done.recipients,
    )
    return END


async def not_a_time(update: Update, context: SammenContext) -> str:
    await say(update, context, "plan.when.unreadable", example=context.t("plan.when.example"))
    return TIMING


async def stopped(update: Update, context: SammenContext) -> int:
    _forget(context)
    await say(update, context, "broadcast.stopped")
    return END


@requires(Access.COORDINATOR)
async def listed(update: Update, context: SammenContext) -> None:
    """/broadcasts: the latest, newest first, each with its report; scheduled ones with
    buttons to cancel or change the time."""
    found = await broadcasts.listing(context.runtime, context.person) or []
    if not found:
        await say(update, context, "broadcast.none")
        return
    await say(update, context, "broadcast.list_header", count=len(found))
    zone = context.settings.zone
    for broadcast in found:
        excerpt = broadcast.text if len(broadcast.text) <= 300 else ""
        text = context.t(
            "broadcast.entry",
            when=format_when(broadcast.created_at, context.language, zone),
            audience=context.t(AUDIENCE_KEYS[broadcast.audience]),
            recipients=broadcast.recipients,
            report=broadcasts.report(context.runtime, context.language, broadcast),
        )
        markup = None
        if broadcast.status == broadcasts.BroadcastStatus.SCHEDULED:
            rows: list[list[Button]] = [
                [
                    (
                        context.t("broadcast.change_time"),
                        BroadcastAction(BroadcastVerb.LATER, broadcast.id).pack(),
                    ),
                    (
                        context.t("broadcast.cancel"),
                        BroadcastAction(BroadcastVerb.CANCEL, broadcast.id).pack(),
                    ),
                ]
            ]
            markup = inline(rows)
        body = split_long(text + ("\n\n" + excerpt if excerpt else ""))[0]
        await say_text(update, context, body, markup)


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    text = message & filters.TEXT & ~filters.COMMAND
    conversation = ConversationHandler(
        entry_points=[
            CommandHandler("broadcast", start, filters=message),
            CallbackQueryHandler(from_card, pattern=BroadcastGoing.matches),
            CallbackQueryHandler(ask_time, pattern=action(BroadcastVerb.LATER)),
        ],
        states={
            CHOOSING: [
                CallbackQueryHandler(audience_chosen, pattern=BroadcastAudience.matches),
                CallbackQueryHandler(interest_toggled, pattern=BroadcastInterest.matches),
            ],
            WRITING: [
                MessageHandler((text | filters.PHOTO) & message & ~filters.COMMAND, written),
                MessageHandler(message & ~filters.COMMAND, wrong_kind),
            ],
            TIMING: [
                MessageHandler(text, time_typed),
                MessageHandler(message & ~filters.COMMAND, not_a_time),
            ],
        },
        fallbacks=[CommandHandler("cancel", stopped, filters=message)],
        name="broadcast",
        persistent=True,
        allow_reentry=True,
    )
    for handler in (
        conversation,
        CommandHandler("broadcasts", listed, filters=message),
        CallbackQueryHandler(send_now, pattern=action(BroadcastVerb.SEND)),
        CallbackQueryHandler(discard, pattern=action(BroadcastVerb.DISCARD)),
        CallbackQueryHandler(cancel, pattern=action(BroadcastVerb.CANCEL)),
    ):
        app.add_handler(handler, group=groups.JOURNEYS)
