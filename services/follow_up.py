"""After an activity: everyone who went is asked, in one press, how it went.

Volunteers who went, and support persons whose citizens were booked, get the question once
(a dedupe key per activity and person), soon after the activity ended. Activities that ended
more than `LOOK_BACK` ago are left alone, so a bot started after a long pause does not send
questions about last month.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from kernel.buttons.activities import Answer, FollowUpAnswer
from kernel.context import Runtime
from kernel.people import PersonInfo
from services import notices
from services.unit_of_work import unit_of_work
from storage import feedback, reminders
from storage.activities import ActivityInfo
from storage.reminders import ReminderRecipient

log = logging.getLogger(__name__)

LOOK_BACK = timedelta(days=2)
ANSWER_KEYS = (
    (Answer.GOOD, "followup.button.good"),
    (Answer.OKAY, "followup.button.okay"),
    (Answer.BAD, "followup.button.bad"),
)


def dedupe_key(activity: ActivityInfo, person: ReminderRecipient) -> str:
    return f"followup:{activity.id}:{person.person_id}"


def _question(
    runtime: Runtime, activity: ActivityInfo, person: ReminderRecipient
) -> notices.Render:
    def render(language: str) -> str:
        if person.going_as == reminders.SUPPORT:
            return runtime.texts.get(
                language,
                "followup.ask_support",
                title=activity.title or "",
                names=runtime.texts.names(language, person.citizens),
            )
        return runtime.texts.get(language, "followup.ask", title=activity.title or "")

    return render


def _answers(runtime: Runtime, activity: ActivityInfo) -> notices.RenderKeyboard:
    def render(language: str) -> dict[str, object]:
        buttons = [
            InlineKeyboardButton(
                runtime.texts.plain(language, key),
                callback_data=FollowUpAnswer(activity.id, answer).pack(),
            )
            for answer, key in ANSWER_KEYS
        ]
        return InlineKeyboardMarkup([buttons]).to_dict()

    return render


async def ask_how_it_went(runtime: Runtime) -> int:
    """Enqueue the question for everyone who went to an activity that ended lately and was
    not asked yet; returns how many were enqueued."""
    now = runtime.clock.now()
    enqueued = 0
    async with unit_of_work(runtime) as session:
        for activity in await feedback.ended_between(session, after=now - LOOK_BACK, until=now):
            for person in await reminders.reminder_recipients(session, activity.id):
                if await notices.owe(
                    session,
                    runtime,
                    person.telegram_id,
                    _question(runtime, activity, person),
                    kind=notices.FOLLOW_UP,
                    keyboard=_answers(runtime, activity),
                    dedupe_key=dedupe_key(activity, person),
                ):
                    enqueued += 1
    if enqueued:
        log.info("Follow-up questions: %d enqueued", enqueued)
    return enqueued


async def record_answer(
    runtime: Runtime, activity_id: int, person: PersonInfo, answer: Answer
) -> bool:
    """Keep how it went for this person (a second press changes the answer); False when they
    neither went as a volunteer nor had citizens booked, so the answer is not theirs to give."""
    async with unit_of_work(runtime) as session:
        return await feedback.record(
            session, activity_id, person.id, answer.value, now=runtime.clock.now()
        )
