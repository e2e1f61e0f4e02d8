"""Waiting until the bot has answered an update, with or without a TrackedApplication.

With a TrackedApplication the bot reports each processed update, so waiting is exact. Without
one the best available sign is silence: the update was fetched and the bot made no call for a
short while.
"""

from __future__ import annotations

import asyncio

from local_bot_api.world import World

QUIET_PERIOD = 0.3


async def settle(
    world: World, update_id: int, *, tracked: bool, chat_id: int | None, timeout: float
) -> None:
    """Wait until the bot is done with `update_id`; TimeoutError with a clear message if not."""
    updates = world.updates
    try:
        if tracked:
            await world.changes.until(lambda: updates.is_done(update_id), timeout)
        else:
            await world.changes.until(lambda: updates.is_fetched(update_id), timeout)
            await _quiet(world, chat_id)
    except TimeoutError:
        raise TimeoutError(
            f"the bot did not process update {update_id} within {timeout} s"
            + ("" if tracked else " (is the application polling this server?)")
        ) from None


async def settle_all(world: World, *, tracked: bool, timeout: float) -> None:
    """Wait until every update queued so far was fetched and (if tracked) processed."""
    updates = world.updates
    target = updates.last_update_id
    try:
        await world.changes.until(
            lambda: updates.all_fetched(target) and (not tracked or updates.all_done(target)),
            timeout,
        )
        if not tracked:
            await _quiet(world, None)
    except TimeoutError:
        raise TimeoutError(
            f"the bot did not process the updates up to {target} within {timeout} s"
        ) from None


async def _quiet(world: World, chat_id: int | None) -> None:
    loop = asyncio.get_running_loop()
    while True:
        activity = (
            world.last_any_activity if chat_id is None else world.last_activity.get(chat_id, 0.0)
        )
        remaining = max(activity, world.updates.last_fetch_at) + QUIET_PERIOD - loop.time()
        if remaining <= 0:
            return
        await asyncio.sleep(remaining)
