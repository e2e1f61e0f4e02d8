"""How fast people are answered: Sammen beside python-telegram-bot's echo bot (with its
AIORateLimiter), each on its own local Bot API server enforcing Telegram's limits, in the
same run.

    python -m benchmarks.reply [--quick] [--database-url URL]

Three waves: 200 new people writing /start at 20 a second, 200 more at 50 a second, and 100
people answering the phone question of the volunteer sign-up at 20 a second (the echo bot
gets a text to echo instead). For each: p50 and p95 of the time until the bot's first
answer. Ratios are Sammen's p95 over the echo bot's. The last line is exactly:
    reply p95_ratio_20=<x.xx> p95_ratio_50=<x.xx> phone_p95_ratio=<x.xx>
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from benchmarks.lanes_common import echo_bot, first_answers, main_of, p, ratio, sammen
from local_bot_api import LocalBotApi, LocalUser
from local_bot_api.flood import PRIVATE_WINDOW

AGREE = "✅ Jeg giver samtykke og er 15 år eller ældre"
# At most this many people are taken to the phone question at once (not timed).
PREPARING_AT_ONCE = 20


@dataclass(frozen=True)
class Sizes:
    new_people: int = 200
    phone_people: int = 100


QUICK = Sizes(new_people=20, phone_people=10)


async def _to_the_phone_question(user: LocalUser) -> None:
    await user.send("/start")
    await user.press("🙋 Bliv frivillig")
    await user.send(f"Mette {_letters(user.id)}")
    await user.press(AGREE)


def _letters(number: int) -> str:
    """A surname without digits (names with digits are refused), different for everyone."""
    word = ""
    while number:
        number, digit = divmod(number, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[digit]
    return word.capitalize()


async def _prepare(users: list[LocalUser]) -> None:
    for start in range(0, len(users), PREPARING_AT_ONCE):
        await asyncio.gather(
            *(_to_the_phone_question(u) for u in users[start:][:PREPARING_AT_ONCE])
        )


async def _waves(api: LocalBotApi, sizes: Sizes, *, phone: bool) -> dict[str, list[float]]:
    def people(label: str, count: int) -> list[LocalUser]:
        return [api.user(f"{label} {n}") for n in range(count)]

    async def start(user: LocalUser) -> object:
        return await user.send("/start")

    async def answer_phone(user: LocalUser) -> object:
        if phone:
            return await user.share_contact(f"+45201{user.id % 100_000:05d}")
        return await user.send(f"+45201{user.id % 100_000:05d}")

    waves = {
        "start_20": await first_answers(api, people("Tyve", sizes.new_people), 20, start),
    }
    await asyncio.sleep(2)  # Telegram's windows empty between waves
    waves["start_50"] = await first_answers(api, people("Halvtreds", sizes.new_people), 50, start)
    answering = people("Telefon", sizes.phone_people)
    if phone:
        await _prepare(answering)
        # People take their time over a sign-up: the chats' windows are empty again by the
        # time they answer (the steps before were not timed, and came much faster).
        await asyncio.sleep(PRIVATE_WINDOW + 1)
    await asyncio.sleep(2)
    waves["phone_20"] = await first_answers(api, answering, 20, answer_phone)
    return waves


async def run(sizes: Sizes, database_url: str) -> str:
    results: dict[str, dict[str, list[float]]] = {}
    async with LocalBotApi(enforce_limits=True) as api, echo_bot(api):
        results["echo"] = await _waves(api, sizes, phone=False)
        echo_429s = api.too_many_requests
    async with LocalBotApi(enforce_limits=True) as api, sammen(api, database_url):
        results["sammen"] = await _waves(api, sizes, phone=True)
        sammen_429s = api.too_many_requests
    for bot, waves in results.items():
        for wave, seconds in waves.items():
            print(
                f"{bot:6} {wave:8} answered={len(seconds):3} "
                f"p50={p(seconds, 50):7.1f} ms p95={p(seconds, 95):7.1f} ms"
            )
    print(f"429s: echo={echo_429s} sammen={sammen_429s}")

    def p95_ratio(wave: str) -> float:
        return ratio(p(results["sammen"][wave], 95), p(results["echo"][wave], 95))

    return (
        f"reply p95_ratio_20={p95_ratio('start_20'):.2f} "
        f"p95_ratio_50={p95_ratio('start_50'):.2f} "
        f"phone_p95_ratio={p95_ratio('phone_20'):.2f}"
    )


def main() -> None:
    main_of(run, Sizes(), QUICK, "a tenth of the people", __doc__)


if __name__ == "__main__":
    main()
