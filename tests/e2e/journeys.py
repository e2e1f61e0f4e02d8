"""Whole journeys the activity tests start from, taken through the chat like a person would."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import runtime_of
from kernel.clock import MovableClock
from kernel.people import Role
from local_bot_api import LocalUser
from services import invitations


async def sign_up_volunteer(user: LocalUser, *, interest: str = "Gåture") -> None:
    """A Danish-speaking volunteer, free every day at every time of day."""
    await user.send("/start")
    await user.press("🙋 Bliv frivillig")
    await user.send(f"{user.first_name} {user.last_name or 'Jensen'}")
    await user.press("✅ Jeg giver samtykke og er 15 år eller ældre")
    await user.share_contact(f"+45201{user.id % 100_000:05d}")
    await user.press("Spring over – ingen e-mail")
    await user.press(interest)
    await user.press("Færdig ✔️")
    for day in ("Man", "Tir", "Ons", "Tor", "Fre", "Lør", "Søn"):
        await user.press(day)
    for part in ("Formiddag", "Eftermiddag", "Aften"):
        await user.press(part)
    await user.press("Færdig ✔️")
    await user.press("✅ Ja, tilmeld mig")


async def plan_activity(
    coordinator: LocalUser,
    *,
    title: str = "Gåtur i Munke Mose",
    when: str = "i morgen 10:00",
    seats: str = "4",
    minimum: str = "2",
    maximum: str = "3",
    access: tuple[str, ...] = ("Niveaufri adgang",),
) -> None:
    """A Danish-speaking coordinator plans and publishes a one-off walk, offering `access`."""
    await coordinator.send("/new_activity")
    await coordinator.send(title)
    await coordinator.send("Vi går en tur rundt om søen og drikker kaffe bagefter.")
    await coordinator.press("Gåture")
    await coordinator.send("Munke Mose, Odense")
    await coordinator.press("Spring over")
    await coordinator.send(when)
    await coordinator.press("2 t")
    await coordinator.send(seats)
    await coordinator.send(minimum)
    await coordinator.send(maximum)
    for offer in access:
        await coordinator.press(offer)
    await coordinator.press("Færdig ✔️")
    await coordinator.press("Kun én gang")
    await coordinator.press("✅ Offentliggør")


async def support_invitation(user: LocalUser, organisation: str | None = None) -> str:
    """The token of a fresh support person's invitation in the bot `user` talks to, made
    as the operator would (no coordinator needed)."""
    # The application the local server reports to: the bot under test.
    application = user._api._tracked
    assert application is not None, "start the bot before registering a support person"
    return await invitations.issue_unlisted(runtime_of(application), Role.SUPPORT, organisation)


async def register_support_person(
    user: LocalUser, *, workplace: str = "Bostedet Skovbo", citizens: tuple[str, ...] = ()
) -> None:
    """A Danish-speaking support person, invited (so approved at once), registers and adds
    the citizens they book for."""
    await user.send(f"/start {await support_invitation(user)}")
    await user.press("👉 Kom i gang")
    await user.send(f"{user.first_name} {user.last_name or 'Hansen'}")
    await user.press("✅ Jeg siger ja, og jeg er fyldt 18")
    await user.share_contact(f"+45202{user.id % 100_000:05d}")
    await user.send(workplace)
    await user.press("✅ Ja, det er rigtigt")
    for name in citizens:
        await user.send("/citizens")
        await user.press("➕ Tilføj en person")
        await user.send(name)
        await user.press(f"✅ Ja, {name} har sagt ja")


async def book(user: LocalUser, title: str, *citizens: str) -> None:
    """A registered Danish-speaking support person books each citizen into the activity."""
    for name in citizens:
        await user.send("/book")
        await user.press(f"📅 Book: {title}")
        await user.press(name)


def move_clock_to_hours_before(clock: MovableClock, *, hours: int) -> None:
    """Move the bot's clock to `hours` before an activity planned for 24/12 14:00."""
    start = datetime(clock.now().year, 12, 24, 14, 0, tzinfo=ZoneInfo("Europe/Copenhagen"))
    if start <= clock.now():
        start = start.replace(year=start.year + 1)
    clock.advance(start - timedelta(hours=hours) - clock.now())
