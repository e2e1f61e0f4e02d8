"""Where each person is in a conversation, so a restart continues where they were."""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.dialects import insert_for
from storage.models import ConversationState

ConversationKey = tuple[int | str, ...]


def _encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key))


def _user_of(key: ConversationKey) -> int | None:
    # PTB's keys are (chat_id, user_id) for per-chat, per-user conversations.
    last = key[-1] if key else None
    return last if isinstance(last, int) else None


async def load(session: AsyncSession, name: str) -> dict[ConversationKey, object]:
    """All open conversations of one conversation handler."""
    result = await session.execute(select(ConversationState).where(ConversationState.name == name))
    return {tuple(json.loads(row.key)): json.loads(row.state) for row in result.scalars()}


async def save(
    session: AsyncSession, name: str, key: ConversationKey, state: object | None
) -> None:
    """Store the new state, or forget the conversation when it ended (state None)."""
    encoded_key = _encode_key(key)
    if state is None:
        await session.execute(
            delete(ConversationState).where(
                ConversationState.name == name, ConversationState.key == encoded_key
            )
        )
        return
    insert = insert_for(session)
    statement = insert(ConversationState).values(
        name=name, key=encoded_key, user_id=_user_of(key), state=json.dumps(state)
    )
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[ConversationState.name, ConversationState.key],
            set_={"state": statement.excluded.state},
        )
    )
