"""The composition root: builds the whole bot from settings, and starts and stops it."""

from __future__ import annotations

import gc
import logging
import warnings

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ContextTypes,
    Defaults,
    TypeHandler,
)
from telegram.warnings import PTBUserWarning

import handlers
from bot import flood
from bot.http import AiohttpRequest
from bot.persistence import DatabasePersistence
from bot.rate_limits import Lanes
from bot.updates import PerChatOrder
from kernel import commands
from kernel.clock import Clock, SystemClock
from kernel.config import Settings
from kernel.context import BotData, Runtime, SammenContext
from kernel.texts import Texts
from scheduler.jobs import schedule_all
from scheduler.outbox import OutboxSender
from services import invitations
from storage import consent, people
from storage.engine import create_engine, create_session_factory, migrate

log = logging.getLogger("sammen")

# After every journey has run: write conversation states now, not on the next interval, so a
# hard kill loses at most the answer being processed.
PERSIST_GROUP = 100
# Connections to the Bot API at once (bot/http.py): the rate limiter lets at most 30 calls a
# second through and Telegram answers in well under a second, so a few suffice, even with
# some answers slow; a call waits up to POOL_WAIT for a connection rather than failing.
CONNECTIONS = 8
POOL_WAIT = 30.0
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY]

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
        .request(AiohttpRequest(connections=CONNECTIONS, pool_timeout=POOL_WAIT))
        .get_updates_request(AiohttpRequest(connections=1, pool_timeout=POOL_WAIT))
        .rate_limiter(Lanes(clock=runtime.clock))
        .concurrent_updates(PerChatOrder())
        .build()
    )
    application.bot_data.runtime = runtime
    sender = OutboxSender(application)
    application.bot_data.outbox = sender
    runtime.wake_outbox = sender.kick
    flood.register(application)
    handlers.register(application)
    application.add_handler(TypeHandler(Update, _persist_conversations), group=PERSIST_GROUP)
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
    await _offer_setup_link(application)
    if application.job_queue is not None:
        schedule_all(application.job_queue)


async def _offer_setup_link(application: Application) -> None:
    """A fresh installation without any coordinator: print (and log) a single-use link whose
    first opener becomes the first coordinator. Each start-up makes a new one, as only its
    hash is stored; the one printed before stops working."""
    token = await invitations.setup_token(runtime_of(application))
    application.bot_data.setup_link = None
    if token is None:
        return
    link = invitations.link(application.bot.username, token)
    application.bot_data.setup_link = link
    message = f"No coordinator yet. Open this link in Telegram to become the first one: {link}"
    print(message, flush=True)
    log.warning(message)


async def start(application: Application, *, poll_timeout: int = 10) -> None:
    """Migrate the schema, connect to the Bot API, and begin long polling."""
    await migrate(runtime_of(application).engine)
    await application.initialize()
    await _prepare(application)
    await application.start()
    # Messages owed from before a restart (or a crash) go out now, not at the first tick.
    runtime_of(application).wake_outbox()
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


# A full pass of the garbage collector after this many passes over the middle generation
# (Python's default is 10). Nearly all of a bot's garbage dies young, in the cheap passes; a
# full pass walks everything that lived long (in a benchmark, the local Bot API server's
# whole history too), so it comes rarely.
FULL_PASS_EVERY = 100


def keep_what_lives_as_long_as_the_process() -> None:
    """Once the bot runs: what is alive now (modules, the application, caches) lives as long
    as the process, so the garbage collector's full passes stop walking it. Such a pass took
    100 ms, and everyone writing at that moment waited for it. For a process that runs one bot
    (tests start many in one process, and leave this alone)."""
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_EVERY)
