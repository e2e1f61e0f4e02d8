"""Telegram's flood limits, enforced on demand (off unless a test or benchmark turns them on).

Telegram does not publish exact numbers; its FAQ says a bot should not send more than about 30
messages a second in all, 20 a minute to one group, and about one a second to one chat, short
bursts allowed. Here these are three sliding windows, counted when a call arrives:

- the bot: at most 30 sending calls in any one second;
- a group chat (negative id): at most 20 in any 60 seconds;
- a private chat: at most 10 in any 10 seconds, i.e. one a second sustained with a burst of 10
  (a sign-up answers with several messages in a row, which Telegram allows).

A call over a limit is refused as Telegram refuses it: 429 "Too Many Requests: retry after N"
with parameters.retry_after = N, the whole seconds until the window has room again. Refused
calls do not count against the windows. Every 429 the server answers is counted in `refused`.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from local_bot_api.errors import ApiError, too_many_requests

BOT_PER_SECOND = 30
GROUP_PER_MINUTE = 20
PRIVATE_BURST = 10
PRIVATE_WINDOW = 10.0

# The calls that put or change a message in a chat; reading calls, answers to button presses
# and chat actions are not counted.
_SENDING_PREFIXES = ("send", "edit", "copy", "forward")
_NOT_SENDING = frozenset({"sendchataction"})


def is_sending(method: str) -> bool:
    name = method.lower()
    return name.startswith(_SENDING_PREFIXES) and name not in _NOT_SENDING


@dataclass
class _Window:
    """At most `limit` events in any `seconds`."""

    limit: int
    seconds: float
    times: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0: it fits now)."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now

    def add(self, now: float) -> None:
        self.times.append(now)


class FloodControl:
    def __init__(self) -> None:
        self.enforced = False
        self.refused = 0
        self._bot = _Window(BOT_PER_SECOND, 1.0)
        self._chats: dict[int, _Window] = {}

    def _chat_window(self, chat_id: int) -> _Window:
        window = self._chats.get(chat_id)
        if window is None:
            window = (
                _Window(GROUP_PER_MINUTE, 60.0)
                if chat_id < 0
                else _Window(PRIVATE_BURST, PRIVATE_WINDOW)
            )
            self._chats[chat_id] = window
        return window

    def check(self, method: str, params: dict[str, Any], now: float) -> None:
        """Count a call arriving at `now` (monotonic seconds), or refuse it with a 429."""
        if not self.enforced or not is_sending(method):
            return
        chat_id = params.get("chat_id")
        windows = [self._bot]
        if isinstance(chat_id, int):
            windows.append(self._chat_window(chat_id))
        wait = max(window.wait(now) for window in windows)
        if wait > 0:
            raise self.refuse(max(1, math.ceil(wait)))
        for window in windows:
            window.add(now)

    def refuse(self, retry_after: int) -> ApiError:
        self.refused += 1
        return too_many_requests(retry_after)
