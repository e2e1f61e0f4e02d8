"""The composition root: builds the whole bot from settings, and starts and stops it."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

import handlers
from bot import commands, errors
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import BotData, Runtime, SammenContext
from bot.persistence import DatabasePersistence
from bot.texts import Texts
from scheduler.follow_up import EVERY as FOLLOW_UP_EVERY
from scheduler.follow_up import follow_up_job
from scheduler.outbox import EVERY as OUTBOX_EVERY
from scheduler.outbox import OutboxSender, deliver_now, outbox_job
from scheduler.reminders import EVERY as REMINDERS_EVERY
from scheduler.reminders import reminders_job
from scheduler.retention import retention_job
from scheduler.shortfalls import EVERY as SHORTFALLS_EVERY
from scheduler.shortfalls import shortfalls_job
from storage import consent, people
from storage.engine import create_engine, create_session_factory, migrate

log = logging.getLogger("sammen")

# After every journey has run: write conversation states now, not on the next interval, so a
# hard kill loses at most the answer being processed.
PERSIST_GROUP = 100
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]
RETENTION_EVERY = timedelta(hours=6)

# Our conversations are per chat and user on purpose: a person may press a button of any
# earlier message of the same step, and the step's handler re-reads the state anyway.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)


def file_url_for(base_url: str) -> str:
    """Telegram serves files next to the API: .../bot -> .../file/bot."""
    root = base_url.removesuffix("/").removesuffix("/bot")
    return f"{root}/file/bot"


async def _persist_conversations(update: Update, context: SammenContext) -> None:
    await context.application.update_persistence()


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    application_class: type[Application] = Application,
) -> Application:
    """Everything wired together; nothing is contacted until `start` is awaited."""
    if settings.telegram_bot_token is None:
        raise ValueError("build_application needs a bot token; the playground supplies one")
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=sessions,
        clock=clock or SystemClock(),
        texts=Texts.load(),
    )
    application = (
        ApplicationBuilder()
        .application_class(application_class)
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_api_base_url)
        .base_file_url(file_url_for(settings.telegram_api_base_url))
        .context_types(ContextTypes(context=SammenContext, bot_data=BotData))
        .persistence(DatabasePersistence(sessions))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.zone))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .build()
    )
    application.bot_data.runtime = runtime
    application.bot_data.outbox = OutboxSender(application)
    handlers.register(application)
    application.add_handler(TypeHandler(Update, _persist_conversations), group=PERSIST_GROUP)
    application.add_error_handler(errors.on_error)
    return application


def runtime_of(application: Application) -> Runtime:
    return application.bot_data.runtime


async def _prepare(application: Application) -> None:
    runtime = runtime_of(application)
    settings = runtime.settings
    async with runtime.sessions.begin() as session:
        secret = settings.pseudonym_secret
        runtime.pseudonym_key = await consent.pseudonym_key(
            session, secret.get_secret_value() if secret else None
        )
        await people.sync_configured_coordinators(
            session, settings.coordinator_ids, now=runtime.clock.now()
        )
        coordinators = await people.coordinators(session)
    await commands.publish_default(application.bot, runtime.texts, settings.default_language)
    for coordinator in coordinators:
        language = coordinator.language or settings.default_language
        await commands.publish_personal(application.bot, runtime.texts, coordinator, language)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            retention_job, interval=RETENTION_EVERY, first=timedelta(minutes=1), name="retention"
        )
        application.job_queue.run_repeating(
            reminders_job, interval=REMINDERS_EVERY, first=timedelta(seconds=30), name="reminders"
        )
        application.job_queue.run_repeating(
            shortfalls_job,
            interval=SHORTFALLS_EVERY,
            first=timedelta(seconds=40),
            name="shortfalls",
        )
        application.job_queue.run_repeating(
            follow_up_job, interval=FOLLOW_UP_EVERY, first=timedelta(seconds=45), name="follow-up"
        )
        application.job_queue.run_repeating(
            outbox_job, interval=OUTBOX_EVERY, first=OUTBOX_EVERY, name="outbox"
        )


async def start(application: Application, *, poll_timeout: int = 10) -> None:
    """Migrate the schema, connect to the Bot API, and begin long polling."""
    await migrate(runtime_of(application).engine)
    await application.initialize()
    await _prepare(application)
    await application.start()
    # Messages owed from before a restart (or a crash) go out now, not at the first tick.
    deliver_now(application)
    assert application.updater is not None
    await application.updater.start_polling(
        poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
    )
    log.info("Sammen is running as @%s", application.bot.username)


async def stop(application: Application) -> None:
    """Stop polling, finish what is in hand, write states, close the database."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    await runtime_of(application).engine.dispose()
