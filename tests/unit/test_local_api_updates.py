"""getUpdates as Telegram serves it, and waiting for the bot with and without tracking."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from telegram import Bot, Update
from telegram.error import Conflict
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from local_bot_api import LocalBotApi, polling

# Long enough that a poll ending on its own timeout cannot pass for one ended early.
LONG_POLL = 30


@pytest.fixture
async def write(api: LocalBotApi) -> AsyncIterator[Callable[..., Awaitable[None]]]:
    """Let a user write without waiting for an answer (no application is polling)."""
    pending: list[asyncio.Task] = []

    async def write(*texts: str) -> None:
        user = api.user()
        pending.extend(asyncio.create_task(user.send(text)) for text in texts)
        await asyncio.sleep(0)  # each task queues its update before its first pause

    yield write
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


async def test_offset_confirms_and_limit_caps(bot: Bot, write):
    await write("a", "b", "c")

    first = await bot.get_updates(limit=2)
    again = await bot.get_updates()
    rest = await bot.get_updates(offset=first[-1].update_id + 1)

    assert [u.message.text for u in first] == ["a", "b"]
    assert [u.message.text for u in again] == ["a", "b", "c"]
    assert [u.message.text for u in rest] == ["c"]


async def test_a_negative_offset_keeps_only_the_last_updates(bot: Bot, write):
    await write("a", "b", "c")

    assert [u.message.text for u in await bot.get_updates(offset=-1)] == ["c"]
    assert [u.message.text for u in await bot.get_updates()] == ["c"]


async def test_a_long_poll_returns_as_soon_as_an_update_arrives(bot: Bot, write):
    poll = asyncio.create_task(bot.get_updates(timeout=LONG_POLL))
    await asyncio.sleep(0.1)
    await write("hej")

    # Well before the poll's own timeout: the update ended it, not the clock.
    updates = await asyncio.wait_for(poll, LONG_POLL / 2)

    assert [u.message.text for u in updates] == ["hej"]


async def test_stopping_answers_a_pending_long_poll(api: LocalBotApi, bot: Bot):
    poll = asyncio.create_task(bot.get_updates(timeout=LONG_POLL))
    await asyncio.sleep(0.1)

    await api.stop()

    assert await asyncio.wait_for(poll, LONG_POLL / 2) == ()


async def test_a_webhook_blocks_getupdates(api: LocalBotApi, bot: Bot):
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"

    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_a_plain_application_is_waited_for_by_silence(api: LocalBotApi):
    async def slow_echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await asyncio.sleep(0.1)
        await update.effective_message.reply_text("først")
        await asyncio.sleep(0.1)
        await update.effective_message.reply_text("så")

    application = (
        ApplicationBuilder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, slow_echo))
    async with polling(application):
        assert not api.is_tracked
        replies = await api.user().send("hej")
        await api.wait_idle(timeout=2)

    assert [m.text for m in replies] == ["først", "så"]


async def test_a_plain_application_cannot_be_attached(api: LocalBotApi):
    application: Application = ApplicationBuilder().token(api.token).build()

    with pytest.raises(TypeError, match="TrackedApplication"):
        api.attach(application)


async def test_an_unfetched_update_times_out_clearly(api: LocalBotApi):
    mette = api.user()
    mette.timeout = 0.2  # no bot is polling

    with pytest.raises(TimeoutError, match=r"did not process update 1 within 0\.2 s"):
        await mette.send("hej")
