"""The playground's time control brings what the clock makes due: both reminders of the demo
walk, each once, and the call for volunteers (which demo activity is short of whom depends on
the weekday, so the call itself is shown in tests/e2e/test_calls_for_volunteers.py)."""

from __future__ import annotations

from playground import demo as demo_data
from playground import start_playground
from services.calls import call_due
from tests.e2e.test_playground_actions import playground_settings

WALK_REMINDER = "Påmindelse: Gåtur i Munke Mose"


async def test_the_time_control_brings_the_call_and_both_reminders(sqlite_url) -> None:
    playground = await start_playground(
        playground_settings(sqlite_url), demo_data=True, poll_timeout=1
    )
    try:
        first = demo_data.DEMO_VOLUNTEER_IDS_FROM
        hooks = playground.time.after_time_moves
        assert any(getattr(hook, "func", None) == call_due for hook in hooks)

        def reminders() -> list[str]:
            chat = playground.api.chat(first)
            return [m.text for m in chat if WALK_REMINDER in (m.text or "")]

        # The demo walk is two days ahead at 10:00: hour by hour to two hours before it.
        for _ in range(72):
            await playground.time.advance("hour")
            if len(reminders()) == 2:
                break
        assert len(reminders()) == 2
        await playground.time.advance("hour")
        assert len(reminders()) == 2
    finally:
        await playground.stop()
