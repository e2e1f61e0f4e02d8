"""The bot's update queue: long polling, confirmation by offset, and processing progress."""

from __future__ import annotations

import asyncio
from typing import Any

from local_bot_api.changes import Changes
from local_bot_api.errors import ApiError

# Telegram's default when allowed_updates is empty or never given.
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})

_TERMINATED = ApiError(
    409,
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running",
)


class UpdateQueue:
    """Updates wait here until a getUpdates call with a higher offset confirms them.

    Besides Telegram's behaviour it tracks, per update, whether the bot fetched it and whether
    the bot reported it processed (TrackedApplication), so scripted users can wait for answers.
    """

    def __init__(self, changes: Changes) -> None:
        self._changes = changes
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None
        self._poll_generation = 0
        self._closing = False
        self._fetched: set[int] = set()
        self._unprocessed: set[int] = set()
        self._dropped: set[int] = set()
        self.last_fetch_at = 0.0

    @property
    def pending_count(self) -> int:
        return len(self._pending)

    @property
    def last_update_id(self) -> int:
        return self._next_id - 1

    def put(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, kind: payload})
        self._unprocessed.add(update_id)
        self._changes.notify()
        return update_id

    def mark_processed(self, update_id: int) -> None:
        self._unprocessed.discard(update_id)
        self._changes.notify()

    def is_fetched(self, update_id: int) -> bool:
        return update_id in self._fetched or update_id in self._dropped

    def is_done(self, update_id: int) -> bool:
        """Processed by a tracked application, or dropped and so never to be processed."""
        return update_id not in self._unprocessed or update_id in self._dropped

    def all_fetched(self, up_to: int) -> bool:
        return all(self.is_fetched(u["update_id"]) for u in self._pending_up_to(up_to))

    def all_done(self, up_to: int) -> bool:
        return not any(u <= up_to for u in self._unprocessed - self._dropped)

    def drop_pending(self) -> None:
        """deleteWebhook(drop_pending_updates=True): the bot will never see these."""
        self._forget(self._pending)
        self._pending = []

    def open(self) -> None:
        self._closing = False

    def close(self) -> None:
        """Answer every waiting long poll now, so a stopping server does not hold clients."""
        self._closing = True
        self._changes.notify()

    async def get(
        self,
        *,
        offset: int | None,
        limit: int,
        timeout: float,
        allowed_updates: list[str] | None,
    ) -> list[dict[str, Any]]:
        self._confirm(offset)
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._changes.notify()  # an older long poll still waiting must end now (409)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0)
        while True:
            self._drop_unwanted()
            if self._pending or self._closing:
                break
            if generation != self._poll_generation:
                raise _TERMINATED
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await self._changes.wait(remaining)
        if generation != self._poll_generation and not self._closing:
            raise _TERMINATED
        batch = self._pending[: max(1, min(limit, 100))]
        if batch:
            self._fetched.update(u["update_id"] for u in batch)
            self.last_fetch_at = loop.time()
            self._changes.notify()
        return batch

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            # A negative offset keeps only the last -offset updates and forgets the rest.
            keep = self._pending[offset:]
            self._forget(self._pending[: len(self._pending) - len(keep)])
            self._pending = keep
            return
        confirmed = [u for u in self._pending if u["update_id"] < offset]
        self._pending = self._pending[len(confirmed) :]
        for update in confirmed:
            self._fetched.add(update["update_id"])

    def _drop_unwanted(self) -> None:
        unwanted = [u for u in self._pending if not self._wanted(u)]
        if unwanted:
            self._forget(unwanted)
            self._pending = [u for u in self._pending if self._wanted(u)]

    def _wanted(self, update: dict[str, Any]) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self._allowed

    def _forget(self, updates: list[dict[str, Any]]) -> None:
        self._dropped.update(u["update_id"] for u in updates)
        self._changes.notify()

    def _pending_up_to(self, up_to: int) -> list[dict[str, Any]]:
        return [u for u in self._pending if u["update_id"] <= up_to]
