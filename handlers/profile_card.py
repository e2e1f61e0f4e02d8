"""How a volunteer's details look in the chat: the summary card and the choice keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from kernel.buttons.signup import DONE, SignupButton, SignupVerb
from kernel.context import SammenContext
from kernel.keyboards import Button, in_rows, inline
from kernel.people import PersonInfo
from kernel.validation import format_phone
from services import interests
from services.signup import InterestInfo

WEEKDAY_KEYS = (
    "common.weekday.mon",
    "common.weekday.tue",
    "common.weekday.wed",
    "common.weekday.thu",
    "common.weekday.fri",
    "common.weekday.sat",
    "common.weekday.sun",
)
PART_KEYS = {
    "morning": "common.part.morning",
    "afternoon": "common.part.afternoon",
    "evening": "common.part.evening",
}
CHECKED = "✅ "


def _mark(selected: bool, label: str) -> str:
    return f"{CHECKED}{label}" if selected else label


def interests_keyboard(
    context: SammenContext, interests: list[InterestInfo], selected: tuple[int, ...]
) -> InlineKeyboardMarkup:
    buttons: list[Button] = [
        (
            _mark(i.id in selected, i.name(context.language)),
            SignupButton(SignupVerb.INTEREST, str(i.id)).pack(),
        )
        for i in interests
    ]
    rows = in_rows(buttons, 2)
    rows.append(
        [(context.t("signup.interests.done"), SignupButton(SignupVerb.INTEREST, DONE).pack())]
    )
    return inline(rows)


def availability_keyboard(
    context: SammenContext, days: tuple[int, ...], parts: tuple[str, ...]
) -> InlineKeyboardMarkup:
    day_buttons: list[Button] = [
        (_mark(number in days, context.t(key)), SignupButton(SignupVerb.DAY, str(number)).pack())
        for number, key in enumerate(WEEKDAY_KEYS)
    ]
    part_buttons: list[Button] = [
        (_mark(part in parts, context.t(key)), SignupButton(SignupVerb.PART, part).pack())
        for part, key in PART_KEYS.items()
    ]
    rows = [day_buttons[:4], day_buttons[4:], part_buttons]
    rows.append(
        [
            (
                context.t("signup.availability.done"),
                SignupButton(SignupVerb.AVAILABILITY, DONE).pack(),
            )
        ]
    )
    return inline(rows)


def describe_availability(context: SammenContext, person: PersonInfo) -> str:
    days = ", ".join(context.t(WEEKDAY_KEYS[day]) for day in person.available_days)
    parts = ", ".join(context.t(PART_KEYS[part]) for part in person.available_parts)
    if not days or not parts:
        return context.t("common.not_given")
    return context.t("profile.card.availability_value", days=days, parts=parts)


async def card(context: SammenContext, person: PersonInfo) -> str:
    """The volunteer's details as one message, for the sign-up summary and /profile."""
    names = await interests.names(context.runtime, person.interest_ids, context.language)
    not_given = context.t("common.not_given")
    return context.t(
        "profile.card.body",
        name=person.name or not_given,
        phone=format_phone(person.phone) if person.phone else not_given,
        email=person.email or not_given,
        interests=", ".join(names) or not_given,
        availability=describe_availability(context, person),
    )
