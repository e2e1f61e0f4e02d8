"""The people one can be in the playground: three fixed personas, the demo people, and any
new person.

What the side panel calls someone ("volunteer", "new person", ...) is read from the database
each time, never fixed here: a new person who signs up becomes a volunteer in the panel, and a
persona who erased their data becomes a new person again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select

from kernel.people import PersonInfo
from local_bot_api import LocalBotApi, LocalUser
from storage.engine import SessionFactory
from storage.models import Person
from storage.people import find_person

Kind = Literal["volunteer", "support", "coordinator", "signing_up", "new"]
# Where someone sits in the side panel.
Group = Literal["persona", "demo", "new"]

# Fixed Telegram ids, far from the local server's own counter (100 000 001 and up), so the
# same people come back after a restart and find their data in ./data/.
VOLUNTEER_PERSONA_ID = 5_100_000_001
SUPPORT_PERSONA_ID = 5_100_000_002
COORDINATOR_PERSONA_ID = 5_100_000_003
# New persons count up from here; the database remembers earlier runs' new persons.
NEW_PERSON_IDS = range(5_300_000_001, 5_399_999_999)

# +45 20 12 34 xx: valid Danish mobile numbers by `phonenumbers`, and plainly made up.
FAKE_PHONE_PREFIX = "+45201234"


def kind_of(person: PersonInfo | None) -> Kind:
    """What the side panel calls a person, from what is stored about them."""
    if person is None:
        return "new"
    if person.is_coordinator:
        return "coordinator"
    if person.is_active_volunteer:
        return "volunteer"
    if person.is_registered_support_person:
        return "support"
    if person.has_consented or person.is_support_person:
        return "signing_up"
    return "new"


@dataclass(frozen=True)
class Persona:
    """Someone the page can be: a scripted user of the local server."""

    user: LocalUser
    phone: str
    group: Group

    @property
    def id(self) -> int:
        return self.user.id

    def to_json(self, stored: PersonInfo | None = None) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": kind_of(stored),
            "group": self.group,
            "first_name": self.user.first_name,
            "last_name": self.user.last_name,
            # The language the bot speaks with them: their choice once stored, else Telegram's.
            "language": (stored.language if stored else None) or self.user.language_code,
            "language_code": self.user.language_code,
            "phone": self.phone,
        }


@dataclass(frozen=True)
class Fixed:
    """A person of the playground whose Telegram account is always there."""

    user_id: int
    first_name: str
    last_name: str
    phone: str
    language: str = "da"


FIXED = (
    Fixed(VOLUNTEER_PERSONA_ID, "Mette", "Hansen", FAKE_PHONE_PREFIX + "56"),
    Fixed(SUPPORT_PERSONA_ID, "Lars", "Nielsen", FAKE_PHONE_PREFIX + "57"),
    Fixed(COORDINATOR_PERSONA_ID, "Hanne", "Jensen", FAKE_PHONE_PREFIX + "58"),
)


class Personas:
    """The people of one playground run, in the order the side panel lists them."""

    def __init__(self, api: LocalBotApi, demo_people: Iterable[Fixed] = ()) -> None:
        self._api = api
        self._all: list[Persona] = []
        self._next_new_id = NEW_PERSON_IDS.start
        # The bot's database, once it runs: what the panel calls each person is read there.
        self.sessions: SessionFactory | None = None
        # The bot's setup link while it has no coordinator (the page shows it), else None.
        self.setup_link: str | None = None
        for fixed in FIXED:
            self._add(fixed, "persona")
        # The demo people's chats exist from the start, like any Telegram account: what the
        # bot sends them is kept and shown, never dropped as "no such chat".
        for fixed in demo_people:
            self._add(fixed, "demo")

    def _add(self, fixed: Fixed, group: Group) -> None:
        user = self._api.user(
            fixed.first_name,
            last_name=fixed.last_name,
            language_code=fixed.language,
            user_id=fixed.user_id,
        )
        self._all.append(Persona(user, fixed.phone, group))

    @property
    def all(self) -> list[Persona]:
        return list(self._all)

    def find(self, user_id: int) -> Persona | None:
        return next((p for p in self._all if p.id == user_id), None)

    async def listed(self) -> list[dict[str, Any]]:
        """The side panel's people with their roles as stored now. A demo person who is not in
        the database (no --demo yet, or erased) is left out: there is nobody to be.

        RuntimeError before the bot has started (its database is not known yet)."""
        if self.sessions is None:
            raise RuntimeError("the bot has not started yet")
        listed = []
        async with self.sessions() as session:
            for persona in self._all:
                stored = await find_person(session, persona.id)
                if persona.group == "demo" and stored is None:
                    continue
                listed.append(persona.to_json(stored))
        return listed

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
        persona = Persona(user, phone, "new")
        self._all.append(persona)
        return persona
