"""Failures on demand: flood limits, users who blocked the bot, slow answers."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from local_bot_api.errors import BLOCKED, ApiError, too_many_requests

DEFAULT_RETRY_AFTER = 1
ANY_METHOD = "*"


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: int | None
    description: str | None
    remaining: int
    chat_id: int | None

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method not in (method.lower(), ANY_METHOD):
            return False
        return self.chat_id is None or params.get("chat_id") == self.chat_id

    def error(self) -> ApiError:
        if self.status == HTTPStatus.TOO_MANY_REQUESTS:
            retry_after = self.retry_after or DEFAULT_RETRY_AFTER
            error = too_many_requests(retry_after)
            if self.description:
                error.description = self.description
            return error
        if self.status == HTTPStatus.FORBIDDEN:
            return ApiError(self.status, self.description or BLOCKED)
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = "Error"
        parameters = {"retry_after": self.retry_after} if self.retry_after else None
        return ApiError(
            self.status, self.description or f"{phrase}: injected by fail_next", parameters
        )


class Faults:
    def __init__(self) -> None:
        self._faults: list[_Fault] = []
        self._blocked: set[int] = set()
        self._delays: dict[str, float] = {}
        # method -> (every n-th call, seconds, calls counted so far)
        self._every: dict[str, tuple[int, float, int]] = {}

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        retry_after: int | None,
        description: str | None,
        times: int,
        chat_id: int | None,
    ) -> None:
        self._faults.append(
            _Fault(method.lower(), status, retry_after, description, times, chat_id)
        )

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def is_blocked(self, user_id: int) -> bool:
        return user_id in self._blocked

    def slow(self, method: str, seconds: float) -> None:
        if seconds > 0:
            self._delays[method.lower()] = seconds
        else:
            self._delays.pop(method.lower(), None)

    def slow_every(self, method: str, every: int, seconds: float) -> None:
        if every > 0 and seconds > 0:
            self._every[method.lower()] = (every, seconds, 0)
        else:
            self._every.pop(method.lower(), None)

    def delay_for(self, method: str) -> float:
        return self._delays.get(method.lower(), self._delays.get(ANY_METHOD, 0.0))

    def answer_delay_for(self, method: str) -> float:
        """How long to hold back the answer of a call already carried out (see slow_every)."""
        key = method.lower() if method.lower() in self._every else ANY_METHOD
        if key not in self._every:
            return 0.0
        every, seconds, counted = self._every[key]
        counted += 1
        self._every[key] = (every, seconds, counted)
        return seconds if counted % every == 0 else 0.0

    def check(self, method: str, params: dict[str, Any]) -> None:
        """Raise the injected failure this call should get, if any."""
        for fault in self._faults:
            if fault.matches(method, params):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                raise fault.error()
        if params.get("chat_id") in self._blocked:
            raise ApiError(HTTPStatus.FORBIDDEN, BLOCKED)
