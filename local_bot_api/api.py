"""LocalBotApi: a running local Bot API server with its users, faults and observations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any

from aiohttp import web

from local_bot_api import incoming
from local_bot_api.control import add_control_routes
from local_bot_api.faults import Faults
from local_bot_api.flood import FloodControl
from local_bot_api.models import ApiCall, ChatEvent, ChatMessage
from local_bot_api.server import add_bot_api_routes
from local_bot_api.users import LocalUser
from local_bot_api.waiting import settle_all
from local_bot_api.world import World

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for bot uploads
FIRST_USER_ID = 100_000_001
SHUTDOWN_TIMEOUT = 1.0
_SOMEBODY_ELSE = {"first_name": "Karen", "last_name": "Holm"}

# Running servers by the URL prefix their bots use (base_url + token), so that a
# TrackedApplication built against one finds it without being told.
_RUNNING: dict[str, LocalBotApi] = {}


def running_for(bot_base_url: str) -> LocalBotApi | None:
    return _RUNNING.get(bot_base_url)


class LocalBotApi:
    """A Bot API server on localhost for the real PTB Application, plus scripted users."""

    def __init__(
        self,
        *,
        bot_id: int = 7000000001,
        bot_username: str = "sammen_local_bot",
        bot_first_name: str = "Sammen",
        clock: Callable[[], datetime] | None = None,
        enforce_limits: bool = False,
    ) -> None:
        self._world = World(
            bot_id=bot_id, bot_username=bot_username, bot_first_name=bot_first_name, clock=clock
        )
        self._faults = Faults()
        # Telegram's flood limits (see flood.py); off unless asked for, so that ordinary tests
        # never meet a 429 they did not set up. `flood.enforced` may be switched at any time.
        self.flood = FloodControl()
        self.flood.enforced = enforce_limits
        self._users: dict[int, LocalUser] = {}
        self._next_user_id = FIRST_USER_ID
        self._tracked: Any = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.base_url = ""
        self.base_file_url = ""
        self.web_app = web.Application(client_max_size=MAX_UPLOAD_BYTES)
        add_bot_api_routes(self.web_app, self._world, self._faults, self.flood)
        add_control_routes(self.web_app, self)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on host:port (0 = a free port); base_url and base_file_url are set after."""
        if self._runner is not None:
            raise RuntimeError("LocalBotApi is already running")
        self._world.updates.open()
        runner = web.AppRunner(self.web_app, shutdown_timeout=SHUTDOWN_TIMEOUT, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        self.base_url = f"http://{host}:{self.port}/bot"
        self.base_file_url = f"http://{host}:{self.port}/file/bot"
        _RUNNING[self.base_url + self.token] = self

    async def stop(self) -> None:
        if self._runner is None:
            return
        _RUNNING.pop(self.base_url + self.token, None)
        # Answer waiting long polls first, so the bot's shutdown does not wait for them.
        self._world.updates.close()
        runner, self._runner = self._runner, None
        await runner.cleanup()

    async def __aenter__(self) -> LocalBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- the bot side -------------------------------------------------------------------------

    @property
    def token(self) -> str:
        return self._world.token

    @property
    def bot_user(self) -> dict[str, Any]:
        return dict(self._world.bot_user)

    @property
    def calls(self) -> list[ApiCall]:
        return self._world.calls

    @property
    def commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        return self._world.commands

    @property
    def is_tracked(self) -> bool:
        return self._tracked is not None

    def attach(self, application: Any) -> None:
        """Let a TrackedApplication report processed updates to this server."""
        # Imported here: tracked.py imports this module to find running servers.
        from local_bot_api.tracked import TrackedApplication

        if not isinstance(application, TrackedApplication):
            raise TypeError(
                "attach() needs an application built with "
                "ApplicationBuilder().application_class(TrackedApplication)"
            )
        application.local_api = self
        self._tracked = application

    def detach(self, application: Any) -> None:
        if self._tracked is application:
            self._tracked = None

    def mark_processed(self, update_id: int) -> None:
        self._world.updates.mark_processed(update_id)

    async def wait_idle(self, timeout: float = 10) -> None:
        """Until every update queued so far was fetched and processed by the bot."""
        await settle_all(self._world, tracked=self.is_tracked, timeout=timeout)

    # -- users and chats ----------------------------------------------------------------------

    def group(self, title: str = "Frivillige i Odense") -> int:
        """A group chat the bot was added to; returns its chat id (negative, as Telegram's)."""
        chat_id = -self._fresh_user_id()
        self._world.add_group(chat_id, title)
        return chat_id

    def user(
        self,
        first_name: str = "Mette",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "da",
        user_id: int | None = None,
    ) -> LocalUser:
        """A new person with a private chat with the bot (chat id == user id)."""
        uid = user_id if user_id is not None else self._fresh_user_id()
        if self._world.has_chat(uid):
            raise ValueError(f"user {uid} exists already")
        data: dict[str, Any] = {"id": uid, "is_bot": False, "first_name": first_name}
        optional = {"last_name": last_name, "username": username, "language_code": language_code}
        data.update({k: v for k, v in optional.items() if v})
        self._world.add_user(data)
        user = LocalUser(self, self._world, data)
        self._users[uid] = user
        return user

    @property
    def users(self) -> list[LocalUser]:
        return list(self._users.values())

    def find_user(self, user_id: int) -> LocalUser:
        user = self._users.get(user_id)
        if user is None:
            raise LookupError(f"no user {user_id}")
        return user

    def somebody_else(self) -> dict[str, Any]:
        """A person with no chat with the bot, e.g. for a contact card that is not one's own."""
        return {"id": self._fresh_user_id(), **_SOMEBODY_ELSE}

    def chat(self, chat_id: int) -> list[ChatMessage]:
        return self._world.transcript(chat_id)

    def subscribe(self, listener: Callable[[ChatEvent], None]) -> Callable[[], None]:
        """Call `listener` on every chat event; returns the function that unsubscribes."""
        return self._world.subscribe(listener)

    def _fresh_user_id(self) -> int:
        while self._world.has_chat(self._next_user_id):
            self._next_user_id += 1
        self._next_user_id += 1
        return self._next_user_id - 1

    # -- faults -------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = None,
        description: str | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" = any), optionally to one chat, fail."""
        self._faults.fail_next(
            method,
            status=status,
            retry_after=retry_after,
            description=description,
            times=times,
            chat_id=chat_id,
        )

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sends to them get 403, and the bot is told."""
        if not self._faults.is_blocked(user_id):
            self._faults.block(user_id)
            self._announce_membership(user_id, blocked=True)

    def unblock(self, user_id: int) -> None:
        if self._faults.is_blocked(user_id):
            self._faults.unblock(user_id)
            self._announce_membership(user_id, blocked=False)

    def slow(self, method: str, seconds: float) -> None:
        """Delay answers of `method` ("*" = all) by `seconds`; 0 removes the delay."""
        self._faults.slow(method, seconds)

    def slow_every(self, method: str, every: int, seconds: float) -> None:
        """Carry out every `every`-th call of `method` ("*" = all) at once but answer it only
        after `seconds`, as Telegram sometimes does; 0 stops it."""
        self._faults.slow_every(method, every, seconds)

    @property
    def too_many_requests(self) -> int:
        """How many calls were answered 429, by the enforced limits or by `fail_next`."""
        return sum(1 for call in self._world.calls if call.status == 429)

    def _announce_membership(self, user_id: int, *, blocked: bool) -> None:
        if not self._world.has_chat(user_id):
            return
        payload = incoming.my_chat_member(
            self._world.chat_json(user_id),
            self._world.chat_state(user_id).user,
            self._world.bot_user,
            self._world.unix_now(),
            blocked=blocked,
        )
        self._world.updates.put("my_chat_member", payload)
