"""The people one can be in the playground: three fixed personas and any new person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select

from local_bot_api import LocalBotApi, LocalUser
from storage.engine import SessionFactory
from storage.models import Person

Kind = Literal["volunteer", "support", "coordinator", "new"]

# Fixed Telegram ids, far from the local server's own counter (100 000 001 and up), so the
# same people come back after a restart and find their data in ./data/.
VOLUNTEER_PERSONA_ID = 5_100_000_001
SUPPORT_PERSONA_ID = 5_100_000_002
COORDINATOR_PERSONA_ID = 5_100_000_003
# New persons count up from here; the database remembers earlier runs' new persons.
NEW_PERSON_IDS = range(5_300_000_001, 5_399_999_999)

# +45 20 12 34 xx: valid Danish mobile numbers by `phonenumbers`, and plainly made up.
FAKE_PHONE_PREFIX = "+45201234"


@dataclass(frozen=True)
class Persona:
    """Someone the page can be: a scripted user of the local server, with a role to show."""

    kind: Kind
    user: LocalUser
    phone: str

    @property
    def id(self) -> int:
        return self.user.id

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "first_name": self.user.first_name,
            "last_name": self.user.last_name,
            "language_code": self.user.language_code,
            "phone": self.phone,
        }


@dataclass(frozen=True)
class _Fixed:
    kind: Kind
    user_id: int
    first_name: str
    last_name: str
    phone: str


FIXED = (
    _Fixed("volunteer", VOLUNTEER_PERSONA_ID, "Mette", "Hansen", FAKE_PHONE_PREFIX + "56"),
    _Fixed("support", SUPPORT_PERSONA_ID, "Lars", "Nielsen", FAKE_PHONE_PREFIX + "57"),
    _Fixed("coordinator", COORDINATOR_PERSONA_ID, "Hanne", "Jensen", FAKE_PHONE_PREFIX + "58"),
)


class Personas:
    """The people of one playground run, in the order the side panel lists them."""

    def __init__(self, api: LocalBotApi) -> None:
        self._api = api
        self._all: list[Persona] = []
        self._next_new_id = NEW_PERSON_IDS.start
        for fixed in FIXED:
            user = api.user(
                fixed.first_name,
                last_name=fixed.last_name,
                language_code="da",
                user_id=fixed.user_id,
            )
            self._all.append(Persona(fixed.kind, user, fixed.phone))

    @property
    def all(self) -> list[Persona]:
        return list(self._all)

    def find(self, user_id: int) -> Persona | None:
        return next((p for p in self._all if p.id == user_id), None)

    async def skip_known_new_persons(self, sessions: SessionFactory) -> None:
        """Start new persons after those of earlier runs: a new person must be a stranger."""
        async with sessions() as session:
            highest = await session.scalar(
                select(func.max(Person.telegram_id)).where(
                    Person.telegram_id.between(NEW_PERSON_IDS.start, NEW_PERSON_IDS.stop)
                )
            )
        if highest is not None:
            self._next_new_id = max(self._next_new_id, int(highest) + 1)

    def add_new_person(self, first_name: str, language: str) -> Persona:
        """A fresh Telegram user the bot has never seen, with a made-up phone number."""
        user_id = self._next_new_id
        if user_id not in NEW_PERSON_IDS:
            raise ValueError("no more new persons in this playground")
        self._next_new_id += 1
        user = self._api.user(first_name, language_code=language, user_id=user_id)
        # Numbers 60-99 of the made-up range, so they never equal a fixed persona's.
        phone = f"{FAKE_PHONE_PREFIX}{60 + user_id % 40:02d}"
        persona = Persona("new", user, phone)
        self._all.append(persona)
        return persona
