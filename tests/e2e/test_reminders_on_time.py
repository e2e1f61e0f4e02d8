"""A reminder is due at an exact time, the lead time before the start, and the job sends it
then: not before, also when the bot was down at that moment (at once after the restart),
never twice, and afresh for an activity moved to another time. Driven through the bot's job
queue, as it runs in production, with the clock moved by hand, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import event, update

from bot.app import runtime_of, stop
from services.reminders import remind_due
from storage import activities
from storage.engine import create_engine, create_session_factory
from storage.models import Activity
from tests.e2e.journeys import move_clock_to_hours_before, plan_activity, sign_up_volunteer
from tests.e2e.stored import Stored

HANNE = 777000001
TITLE = "Gåtur i Munke Mose"
REMINDERS = "SELECT COUNT(*) FROM outbox_messages WHERE kind = 'reminder'"
ON_TIME = "reminders:on-time"


async def run_job(application, name: str) -> None:
    """Run a scheduled job now, as the job queue runs it: its callback with the bot's context."""
    [job] = application.job_queue.get_jobs_by_name(name)
    await job.run(application)


async def walk_with_mette(application, local_api):
    """A walk on 24/12 14:00 that goes ahead with one volunteer, and Mette going."""
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="1")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")
    return mette


def reminders_to(user) -> list[str]:
    return [m.text for m in user.messages if m.from_bot and "Påmindelse" in (m.text or "")]


async def test_nothing_a_minute_before_then_the_reminder_at_the_due_time(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    stored = Stored(application)
    mette = await walk_with_mette(application, local_api)

    move_clock_to_hours_before(clock, hours=25)
    clock.advance(timedelta(minutes=59))  # a minute before the reminder is due
    await run_job(application, "reminders")
    await run_job(application, "outbox")
    assert await stored.value(REMINDERS) == 0
    assert reminders_to(mette) == []
    # The run planned the next one for the due time, sooner than its own next periodic run.
    [planned] = application.job_queue.get_jobs_by_name(ON_TIME)

    clock.advance(timedelta(minutes=1))
    await planned.run(application)
    reminder = await mette.next_message()
    assert "Påmindelse" in reminder.text
    assert TITLE in reminder.text
    assert await stored.value(REMINDERS) == 1
    assert not application.job_queue.get_jobs_by_name(ON_TIME)  # nothing more is due

    await run_job(application, "reminders")
    await run_job(application, "outbox")
    assert len(reminders_to(mette)) == 1


async def test_a_reminder_due_while_the_bot_was_down_is_sent_at_restart_and_never_twice(
    start_bot, local_api, clock, database_url
) -> None:
    first = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    mette = await walk_with_mette(first, local_api)
    await stop(first)

    move_clock_to_hours_before(clock, hours=20)  # due four hours ago, while the bot was down
    second = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    reminder = await mette.next_message()  # the first run after the start, on its own
    assert "Påmindelse" in reminder.text
    await stop(second)

    third = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    await run_job(third, "reminders")
    await run_job(third, "outbox")
    assert await Stored(third).value(REMINDERS) == 1
    assert len(reminders_to(mette)) == 1


async def test_a_moved_activity_is_reminded_at_its_new_time(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    stored = Stored(application)
    mette = await walk_with_mette(application, local_api)
    move_clock_to_hours_before(clock, hours=24)
    await run_job(application, "reminders")
    assert "kl. 14:00" in (await mette.next_message()).text

    # Moved three hours later: due again three hours from now, and only then.
    runtime = runtime_of(application)
    async with runtime.sessions.begin() as session:
        [walk] = await activities.upcoming(session, now=clock.now())
        assert walk.starts_at is not None
        await activities.change(
            session,
            walk.id,
            by=walk.created_by,
            now=clock.now(),
            starts_at=walk.starts_at + timedelta(hours=3),
        )
    clock.advance(timedelta(hours=2, minutes=59))
    await run_job(application, "reminders")
    assert await stored.value(REMINDERS) == 1
    clock.advance(timedelta(minutes=1))
    await run_job(application, "reminders")
    again = await mette.next_message()
    assert "Påmindelse" in again.text
    assert "kl. 17:00" in again.text
    assert await stored.value(REMINDERS) == 2


async def test_held_back_below_the_minimum_until_a_coordinator_decides_to_go_ahead(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    hanne = local_api.user("Hanne", language_code="da", user_id=HANNE)
    await plan_activity(hanne, title=TITLE, when="24/12 14:00", minimum="2")
    mette = local_api.user("Mette")
    await sign_up_volunteer(mette)
    await mette.send("/activities")
    await mette.press(f"✋ Meld mig til: {TITLE}")

    # First seen two hours before (the bot was down): asked now, and the reminder waits.
    move_clock_to_hours_before(clock, hours=2)
    await run_job(application, "minimum")
    await run_job(application, "reminders")
    await run_job(application, "outbox")
    assert await Stored(application).value(REMINDERS) == 0
    while "Skal den gennemføres alligevel?" not in (question := await hanne.next_message()).text:
        pass
    await hanne.press("✅ Gennemfør alligevel", in_message=question)

    await run_job(application, "reminders")
    while "Påmindelse" not in (reminder := await mette.next_message()).text:
        pass
    assert "Indtil videre er du den eneste frivillige" in reminder.text


async def test_a_run_asks_the_same_few_questions_however_many_activities_are_in_the_window(
    start_bot, local_api, clock, database_url
) -> None:
    application = await start_bot(coordinator_ids=(HANNE,), database_url=database_url)
    runtime = runtime_of(application)
    await walk_with_mette(application, local_api)
    move_clock_to_hours_before(clock, hours=20)
    assert (await remind_due(runtime)).enqueued == 1

    # The job's statements only, on an engine of its own: the bot's other jobs and the outbox
    # sender use the bot's engine meanwhile.
    engine = create_engine(runtime.settings.database_url)
    counted = replace(runtime, engine=engine, sessions=create_session_factory(engine))
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    async def statements_of_a_run() -> int:
        statements.clear()
        assert (await remind_due(counted)).enqueued == 0  # (already owed: dedupe keys)
        return len(statements)

    async def due_again(*titles: str) -> None:
        async with runtime.sessions.begin() as session:
            await session.execute(
                update(Activity).where(Activity.title.in_(titles)).values(reminded_for=None)
            )

    await statements_of_a_run()  # (a fresh PostgreSQL connection first asks about types)
    with_one = await statements_of_a_run()
    async with runtime.sessions.begin() as session:
        [walk] = (await session.execute(Activity.__table__.select())).all()
        for number in range(30):  # already reminded, all within the window
            values = {k: v for k, v in walk._mapping.items() if k != "id"}
            session.add(Activity(**{**values, "title": f"Tur {number}"}))
    with_thirty_one = await statements_of_a_run()

    await due_again(TITLE)
    one_due = await statements_of_a_run()
    await due_again(TITLE, *(f"Tur {number}" for number in range(30)))
    thirty_one_due = await statements_of_a_run()
    await engine.dispose()

    assert with_one == with_thirty_one, statements
    assert with_one <= 3  # BEGIN, what is due, when the next one is due
    # Due: what is due, mark it, who goes (volunteers, support persons), one INSERT, next due.
    assert one_due == thirty_one_due
    assert one_due <= 7
