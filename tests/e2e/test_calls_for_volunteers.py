"""An activity still short of volunteers 72 hours before it starts calls on the volunteers
whose interests and free time match, with a Join button and the first names of who is going:
never more than the weekly limit per person, never to an activity they left. Coordinators see
who was called and who joined on the card, and can send the call from there."""

from __future__ import annotations

from tests.e2e.journeys import move_clock_to_hours_before, plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

HANNE = 777000001
WALK = "Gåtur i Munke Mose"
RIVER = "Gåtur ved åen"
CALLS = "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'call_for_volunteers'"


async def run_job(application, name: str) -> None:
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


def calls_to(user) -> list[str]:
    return [
        m.text
        for m in user.messages
        if m.from_bot and ("mangler" in (m.text or "") or "needs" in (m.text or ""))
    ]


async def test_a_call_reaches_matching_volunteers_within_their_weekly_limit_and_not_leavers(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(
        coordinator_ids=(HANNE,), call_limit_per_week=1, database_url=database_url
    )
    stored = Stored(application)
    mette, ali, ole = local_api.user("Mette"), local_api.user("Ali"), local_api.user("Ole")
    bo = local_api.user("Bo")
    for volunteer in (mette, ali, ole):
        await sign_up_volunteer(volunteer)
    await sign_up_volunteer(bo, interest="Madlavning")
    await ole.send("/language")
    await ole.press("🇬🇧 English")
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=WALK, when="24/12 14:00", minimum="2")
    await plan_activity(hanne, title=RIVER, when="24/12 17:00", minimum="2")
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {WALK}")
    await ole.send("/activities")
    await ole.press(f"✋ Join: {WALK}")
    await ole.send("/my_activities")
    await ole.press(f"Leave: {WALK}")

    move_clock_to_hours_before(clock, hours=73)
    await run_job(application, "calls")
    assert await stored.value(CALLS) == 0

    move_clock_to_hours_before(clock, hours=72)
    await run_job(application, "calls")
    await stored.deliver_everything_owed()
    assert len(calls_to(ali)) == 1
    # The river walk three hours later; the walk's run again calls nobody twice.
    move_clock_to_hours_before(clock, hours=69)
    await run_job(application, "calls")
    await run_job(application, "calls")
    await stored.deliver_everything_owed()

    # One call each a week: Ali for the first walk, with Mette named; Ole, who left the
    # walk, only for the river walk; Mette, on the walk, for the river walk; Bo likes cooking.
    [to_ali] = calls_to(ali)
    assert "Gåtur i Munke Mose mangler én frivillig" in to_ali
    assert "Du ville være sammen med Mette" in to_ali
    [to_ole] = calls_to(ole)
    assert "Gåtur ved åen needs 2 more volunteers" in to_ole
    assert "You would be the first volunteer" in to_ole
    [to_mette] = calls_to(mette)
    assert RIVER in to_mette
    assert calls_to(bo) == []
    assert await stored.value(CALLS) == 3

    # Ali joins from the call; the card shows who was called and who joined.
    joined = await ali.press(f"✋ Meld mig til: {WALK}")
    assert "Du er tilmeldt" in joined[-1].text or WALK in joined[-1].text
    await hanne.send("/activities")
    card = (await hanne.press(f"⚙️ {WALK}"))[-1]
    assert "Kaldt: 1 frivillig, heraf 1 tilmeldt" in card.text

    # The river walk is still short: the coordinator calls again from the card, but everyone
    # who matches was called this week already.
    await hanne.send("/activities")
    card = (await hanne.press(f"⚙️ {RIVER}"))[-1]
    assert "Kaldt: 2 frivillige, heraf 0 tilmeldt" in card.text
    answer = await hanne.press("🙋 Kald på frivillige", in_message=card)
    assert "ingen flere frivillige at kalde på" in answer[-1].text
    assert await stored.value(CALLS) == 3
