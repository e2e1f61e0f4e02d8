"""The playground put together: one aiohttp server for the page, /_local/ and the Bot API,
and the real bot polling it, on a clock the page can move."""

from __future__ import annotations

import contextlib
import errno
import functools
from dataclasses import dataclass

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from telegram.ext import Application

from bot import app as bot_app
from kernel.clock import MovableClock
from kernel.config import Settings
from local_bot_api import LocalBotApi, TrackedApplication
from playground import demo
from playground.persona_signup import publish_menus, register_personas
from playground.personas import COORDINATOR_PERSONA_ID, Personas
from playground.routes import add_playground_routes
from playground.time_control import Hook, TimeControl
from scheduler.jobs import JOBS
from scheduler.outbox import sender_of
from services import broadcasts

# Addresses that mean "every interface": a browser on this machine reaches them as localhost.
_ANY_HOST = ("", "0.0.0.0", "::")


class PortUnavailable(Exception):
    """The playground's address cannot be served; the message says why, in one line."""


@dataclass
class Playground:
    """A running playground; `stop()` ends the bot first, then the server it polls."""

    api: LocalBotApi
    application: Application
    personas: Personas
    time: TimeControl
    url: str
    database: str
    seeded: demo.SeedResult | None = None

    @property
    def after_time_moves(self) -> list[Hook]:
        """Work to run right after the clock moves; later features append their own."""
        return self.time.after_time_moves

    async def stop(self) -> None:
        try:
            await bot_app.stop(self.application)
        finally:
            await self.api.stop()


def describe_database(settings: Settings) -> str:
    """The database as a start-up line names it: never with a password."""
    path = settings.sqlite_path()
    if path is not None:
        return f"SQLite {path}"
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return "SQLite in memory"
    return f"PostgreSQL {url.host or 'localhost'}/{url.database or ''}"


def port_problem(settings: Settings, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return (
            f"Port {settings.playground_port} is already in use: stop what runs there, or "
            "choose another with --port or PLAYGROUND_PORT."
        )
    where = f"{settings.playground_host}:{settings.playground_port}"
    return f"Cannot serve the playground on {where}: {error.strerror or error}"


def bot_settings(settings: Settings, api: LocalBotApi) -> Settings:
    """The operator's settings, pointed at the local server, with the coordinator persona."""
    coordinators = settings.coordinator_ids
    if COORDINATOR_PERSONA_ID not in coordinators:
        coordinators = (*coordinators, COORDINATOR_PERSONA_ID)
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(api.token),
            "telegram_api_base_url": api.base_url,
            "coordinator_ids": coordinators,
        }
    )


async def start_playground(
    settings: Settings, *, demo_data: bool = False, poll_timeout: int = 10
) -> Playground:
    """Serve the page and the local Bot API, start the bot on it, and seed the demo if asked.

    PortUnavailable when the address cannot be served (e.g. the port is in use); nothing
    was started then.
    """
    clock = MovableClock()
    api = LocalBotApi(clock=clock.now)
    # Personas exist before the bot starts, so their chats are there when it publishes the
    # coordinator's own command menu.
    personas = Personas(api, demo.chat_people())
    time = TimeControl(clock, settings.timezone)
    # Routes go in before start(): aiohttp freezes the router once it serves.
    add_playground_routes(api.web_app, api=api, personas=personas, time=time)
    try:
        await api.start(settings.playground_host, settings.playground_port)
    except OSError as error:
        raise PortUnavailable(port_problem(settings, error)) from error
    application = bot_app.build_application(
        bot_settings(settings, api), clock=clock, application_class=TrackedApplication
    )
    try:
        await bot_app.start(application, poll_timeout=poll_timeout)
        runtime = bot_app.runtime_of(application)
        personas.sessions = runtime.sessions
        await personas.skip_known_new_persons(runtime.sessions)
        await register_personas(runtime)
        personas.setup_link = application.bot_data.setup_link
        seeded = await demo.seed(runtime) if demo_data else None
        await publish_menus(runtime, application.bot, (p.id for p in personas.all))
    except BaseException:
        with contextlib.suppress(Exception):
            await bot_app.stop(application)
        await api.stop()
        raise
    for job in JOBS:
        time.after_time_moves.append(functools.partial(job.run, runtime))
    # Scheduled broadcasts now due start at once; their progress shows at the job's next tick.
    time.after_time_moves.append(functools.partial(broadcasts.tick, runtime))
    # Last: whatever the jobs before it enqueued shows in the chats before the page redraws.
    time.after_time_moves.append(sender_of(application).deliver_due)
    host = "127.0.0.1" if settings.playground_host in _ANY_HOST else settings.playground_host
    return Playground(
        api=api,
        application=application,
        personas=personas,
        time=time,
        url=f"http://{host}:{api.port}",
        database=describe_database(settings),
        seeded=seeded,
    )
