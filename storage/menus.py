"""Which command menu each person's chat should have, and which it was last given.

The menu follows from the role alone (kernel.commands.commands_for), so the database can tell
whose menu is out of date without anyone remembering to say so: whichever service changes a
role, `stale` finds that person, and the menu is published again (services.menus).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kernel.people import PersonInfo, Role
from storage.models import Person, SupportStatus
from storage.people import to_info

# The menus there are; "" is everyone's menu (no personal menu in the chat).
COORDINATOR = "coordinator"
VOLUNTEER = "volunteer"
SUPPORT = "support"
SUPPORT_WAITING = "support_waiting"
EVERYONE = ""


def owed() -> ColumnElement[str]:
    """The menu a person's role gives them, as SQL: the same choice as commands_for."""
    consented = Person.consent_version.is_not(None)
    return case(
        (Person.role == Role.COORDINATOR, literal(COORDINATOR)),
        (and_(Person.role == Role.VOLUNTEER, consented), literal(VOLUNTEER)),
        (
            and_(
                Person.role == Role.SUPPORT,
                consented,
                Person.signup_completed_at.is_not(None),
                Person.support_status == SupportStatus.APPROVED,
            ),
            literal(SUPPORT),
        ),
        (and_(Person.role == Role.SUPPORT, consented), literal(SUPPORT_WAITING)),
        else_=literal(EVERYONE),
    )


@dataclass(frozen=True)
class MenuOwed:
    person: PersonInfo
    menu: str


async def stale(
    session: AsyncSession, *, telegram_id: int | None = None, limit: int = 100
) -> list[MenuOwed]:
    """People whose chat has another menu than their role gives (one person, or any)."""
    menu = owed()
    statement = select(Person, menu).where(Person.menu_for != menu).order_by(Person.id).limit(limit)
    if telegram_id is not None:
        statement = statement.where(Person.telegram_id == telegram_id)
    rows = await session.execute(statement)
    return [MenuOwed(to_info(person), str(given)) for person, given in rows]


async def given(session: AsyncSession, person_id: int, menu: str) -> None:
    """Note that this person's chat now has `menu`."""
    await session.execute(update(Person).where(Person.id == person_id).values(menu_for=menu))
