"""The bot's own work on a schedule is registered in its job queue and, run from there with
the clock moved on, reaches people: the shortfall warning, the question whether an activity
below its minimum goes ahead, the reminder and the question how it went, each sent by the
outbox job."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.journeys import move_clock_to_hours_before, plan_activity, sign_up_volunteer

COORDINATOR_ID = 777000001
TITLE = "Gåtur i Munke Mose"
JOBS = {
    "retention",
    "wipe",
    "announcements",
    "reminders",
    "shortfalls",
    "minimum",
    "calls",
    "follow-up",
    "broadcasts",
    "outbox",
    "menus",
}


async def run_job(application, name: str) -> None:
    """Run a scheduled job now, as the job queue runs it: its callback with the bot's context."""
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


async def next_saying(user, fragment: str):
    """The next bot message to `user` that contains `fragment`, skipping other notices."""
    while fragment not in (message := await user.next_message()).text:
        pass
    return message


async def test_the_job_queue_holds_every_scheduled_job(bot) -> None:
    jobs = {job.name: job for job in bot.job_queue.jobs()}

    assert set(jobs) == JOBS
    assert all(job.next_t is not None and not job.removed for job in jobs.values())


async def test_jobs_run_from_the_queue_remind_warn_and_ask_as_the_clock_moves(
    start_bot, local_api, clock
) -> None:
    application = await start_bot(coordinator_ids=(COORDINATOR_ID,))
    hanne = local_api.user("Hanne", language_code="da", user_id=COORDINATOR_ID)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="2")
    mette, ida = local_api.user("Mette"), local_api.user("Ida")
    for volunteer in (mette, ida):
        await sign_up_volunteer(volunteer)
        await volunteer.send("/activities")
        await volunteer.press(f"✋ Meld mig til: {TITLE}")
    await mette.send("/my_activities")
    await mette.press(f"Meld fra: {TITLE}")

    move_clock_to_hours_before(clock, hours=35)  # warned, and asked whether it goes ahead
    await run_job(application, "shortfalls")
    await run_job(application, "minimum")
    await run_job(application, "outbox")
    warning = await next_saying(hanne, TITLE)
    assert "har kun 1 frivillig af de mindst 2" in warning.text
    question = await next_saying(hanne, "Skal den gennemføres alligevel?")
    await hanne.press("✅ Gennemfør alligevel", in_message=question)
    assert "koordinatorerne har besluttet at gennemføre den" in (await ida.next_message()).text

    move_clock_to_hours_before(clock, hours=23)
    await run_job(application, "minimum")
    await run_job(application, "reminders")
    await run_job(application, "outbox")
    reminder = await next_saying(ida, "Påmindelse")
    assert TITLE in reminder.text

    clock.advance(timedelta(days=1, hours=3))
    await run_job(application, "follow-up")
    await run_job(application, "outbox")

    question = await next_saying(ida, "Hvordan var")
    assert f"Hvordan var {TITLE}?" in question.text
    assert not [m for m in mette.messages if "Hvordan var" in (m.text or "")]
