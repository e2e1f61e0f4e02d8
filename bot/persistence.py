"""Conversation states in the database, through python-telegram-bot's persistence hooks.

Only conversation states are persisted (names of steps, never answers): answers go to the
database as they come, through storage/. User and chat data stay in memory on purpose, so
nothing personal hides in a persistence blob that erasure could miss.
"""

from __future__ import annotations

from typing import Any

from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage import conversations
from storage.engine import SessionFactory


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], Any]):
    def __init__(self, sessions: SessionFactory) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            # States are flushed after every update by bot.app; this is only the safety net.
            update_interval=5,
        )
        self._sessions = sessions

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._sessions.begin() as session:
            return await conversations.load(session, name)  # type: ignore[return-value]

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        async with self._sessions.begin() as session:
            await conversations.save(session, name, key, new_state)

    # Nothing below is stored: see the module docstring.
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> Any:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: Any) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Any) -> None:
        return None

    async def flush(self) -> None:
        return None
