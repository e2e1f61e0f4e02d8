"""One person's flood holds up only that person: others are answered meanwhile, and the
flooding person's own messages are still taken in the order they were sent."""

from __future__ import annotations

import asyncio

from tests.e2e.journeys import sign_up_volunteer
from tests.e2e.stored import Stored

FLOOD = 60


async def test_a_third_person_is_answered_while_one_floods(start_bot, local_api) -> None:
    await start_bot()
    flooder = local_api.user("Frede", language_code="da")
    anna = local_api.user("Anna", language_code="da")
    await anna.send("/start")

    flood = asyncio.gather(*(flooder.send(f"hej {number}") for number in range(FLOOD)))
    await flooder.next_message()  # the flood is being answered
    answer = await anna.send("/help")
    answered_meanwhile = sum(1 for message in flooder.messages if message.from_bot)
    await flood

    assert answer and "/mydata" in answer[-1].text
    # In turn behind the flood, Anna would have waited for every one of its answers.
    assert answered_meanwhile < FLOOD // 2
    said = [message.text for message in flooder.messages if message.from_bot]
    # Told once, and answered on the newest messages rather than sixty times.
    assert sum("Du skriver hurtigere, end jeg kan følge med" in text for text in said) == 1
    assert len(said) < FLOOD // 2


async def test_a_flood_is_answered_on_its_newest_message(start_bot, local_api) -> None:
    await start_bot()
    frede = local_api.user("Frede", language_code="da")
    await frede.send("/start")
    await frede.press("🙋 Bliv frivillig")

    names = [f"Frede {first}{second}" for first in "BCDE" for second in "aeiouyæøål"]
    await asyncio.gather(*(frede.send(name) for name in names))

    said = [message.text for message in frede.messages if message.from_bot]
    # The first message answered the name question, in turn; the thirty-nine behind it, sent
    # while the consent question waited, get one "use the buttons" between them, not 39.
    assert sum("Hyggeligt at møde dig, Frede Ba!" in text for text in said) == 1
    assert sum("Du skriver hurtigere" in text for text in said) == 1
    assert 1 <= sum("Brug knapperne" in text for text in said) <= 3


async def test_answers_given_quickly_are_taken_in_order(start_bot, local_api) -> None:
    stored = Stored(await start_bot())
    mette = local_api.user("Mette", last_name="Kragelund", language_code="da")
    await sign_up_volunteer(mette)

    # Three addresses sent at once: the first one sent answers the question; the others come
    # after it was answered, in turn, and do not overwrite it.
    await mette.send("/profile")
    await mette.press("E-mail")
    await asyncio.gather(*(mette.send(f"mette{n}@example.dk") for n in range(3)))

    assert (await stored.person(mette.id)).email == "mette0@example.dk"
