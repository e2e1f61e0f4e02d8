"""Forged buttons: every kind of callback data the bot handles, as someone it does not belong
to could send it, and what must stay out of their chat.

Telegram lets any client send any callback data on any bot message in its own chat, so a
button is a request like any other: the handler must check who presses and re-read what the
data points at. The tables below name every kind of button; tests/e2e/test_forged_buttons.py
presses each from the wrong chat and fails if a handler pattern exists that no row covers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from telegram.ext import BaseHandler, CallbackQueryHandler, ConversationHandler


@dataclass(frozen=True)
class Targets:
    """The real rows a forged button points at."""

    activity: int  # published, with a volunteer joined and a citizen booked
    version: int
    draft: int  # a coordinator's unpublished draft
    interest: int
    citizen: int  # another support person's citizen, booked into `activity`
    # The team (issue 13): a support person and a coordinator, by their people row id.
    support_person: int = 0
    coordinator: int = 0
    invitation: int = 0  # a coordinator's open invitation
    applicant: int = 0  # a support person waiting for a coordinator's approval (person id)


# Coordinators' buttons, pressed by a volunteer: the activity list, a card, who is coming, edit
# and cancel, every interest action, and every step of planning an activity.
COORDINATOR_BUTTONS = (
    "admp:1",
    "admp:2",
    "adm:card:{activity}",
    "adm:card:{draft}",
    "adm:people:{activity}",
    "adm:people:{draft}",
    "adm:edit:{activity}",
    "adm:edit:{draft}",
    "adm:cancel:{activity}",
    "plans:edit:{activity}:1",
    "plans:edit:{activity}:0",
    "plans:cancel:{activity}:1",
    "plans:cancel:{activity}:0",
    "adm_new",
    "ints:list",
    "ints:add",
    "int:pick:{interest}",
    "int:rename:{interest}",
    "int:retire:{interest}",
    "plan:skip_desc",
    "plani:{interest}",
    "plan:skip_loc",
    "pland:120",
    "plann:3",
    "plana:step_free",
    "plan:acc_done",
    "plan:once",
    "plan:weekly",
    "plan:publish",
    "plan:change",
    "planf:title",
    "plan:preview",
    "plan:discard",
    "plan:done",
    "plan:resume",
    "plan:fresh",
    "plan:cancel_yes",
    "plan:cancel_no",
    # The list of needs on the day (issue 14).
    "nda",
    "ndr:1",
    # The question about an activity below its minimum: hold it anyway, or cancel.
    "minq:go:{activity}:0",
    "minq:cancel:{activity}:0",
    # Broadcasts: the audience, interests, the card's "message everyone going", and what to do
    # with a draft or a scheduled one (which need not exist: the role is refused first).
    "bca:volunteers",
    "bca:interests",
    "bci:{interest}",
    "bci:0",
    "bcg:{activity}",
    "bc:send:1",
    "bc:later:1",
    "bc:discard:1",
    "bc:cancel:1",
    # The team: its pages, handing over, stepping down, removing a support person, offering
    # the coordinator role; and the audit log.
    "teamp:1",
    "teamv:1",
    "audp:1",
    "team:give:{coordinator}:-",
    "team:gave:{coordinator}:{support_person}",
    "team:rm:{support_person}:-",
    "team:rmy:{support_person}:-",
    "team:down:{coordinator}:-",
    "team:downy:{coordinator}:-",
    "team:offer:{support_person}:-",
    "team:back:{coordinator}:-",
    # Invitations (/invite) and the answer to a support person's request.
    "inv:coord:-",
    "inv:support:-",
    "inv:revoke:{invitation}",
    "spr:yes:{applicant}",
    "spr:no:{applicant}",
    # The call for volunteers, sent from an activity's card.
    "call:{activity}",
    # The photo of the meeting point, from the card.
    "mpho:{activity}",
)

# Support persons' buttons, pressed by another support person: booking, cancelling and
# removing a citizen who is not theirs, and the buttons that carry no id at all.
SUPPORT_PERSON_BUTTONS = (
    "bkl:1",
    "bkn",
    "bkp:{activity}:{version}",
    "bk:do:{activity}:{version}:{citizen}",
    "bkc:{activity}:{citizen}:1",
    "bkcy:{activity}:{citizen}:1",
    "bkk:1",
    "bkm:2",
    "czr:{citizen}",
    "czry:{citizen}",
    "czk",
    "cz:add",
    "cza",
    "czn",
    # A reminder's answers for another support person's citizen.
    "rem:yes:{activity}:{citizen}:0",
    "rem:no:{activity}:{citizen}:0",
    # Needs on the day, and sharing a citizen (issue 14): another's citizen is never touched.
    "czau:self",
    "czau:guardian",
    "czt:{citizen}:5",
    "czd:{citizen}:5",
    "czns",
    "cze:{citizen}",
    "czsh:{citizen}",
)

# Volunteers' activity buttons, pressed by a volunteer on what they may not act on: a draft
# nobody may see yet, an activity they never joined, an activity they did not go to.
VOLUNTEER_BUTTONS = (
    "actp:1",
    "act:join:{draft}:1:c",
    "act:wait:{draft}:1:c",
    "act:cal:{draft}:m",
    "act:leave:{activity}:{version}:c",
    "actcal:all",
    "fb:{activity}:good",
    # An answer to an offer of the coordinator role nobody made to the presser.
    "teamo:1",
    "teamo:0",
    # A reminder's answers for an activity the presser is not going to, and its reason.
    "rem:yes:{activity}:0:0",
    "rem:no:{activity}:0:0",
    "remw:ill:{activity}",
    # Who's coming (issue 14): a volunteer who did not join reads no citizen's name or needs.
    "who:{activity}",
    "who:{draft}",
)

# Buttons that only ever act on the presser's own record, with no id another person could
# swap in: forging them is pressing one's own button. Each with why it is safe.
OWN_ONLY = {
    "su:start": "the presser's own volunteer sign-up",
    "su:resume": "the presser's own volunteer sign-up",
    "su:name:tg": "the presser's own name, taken from their own Telegram profile",
    "su:consent:yes": "the presser's own consent",
    "su:consent:no": "the presser's own consent",
    "su:consent:young": "the presser says they are under 15",
    "su:email:skip": "the presser's own sign-up step",
    "su:int:1": "toggles an interest in the presser's own profile",
    "su:int:done": "the presser's own sign-up step",
    "su:day:0": "the presser's own free time",
    "su:avail:done": "the presser's own sign-up step",
    "su:confirm": "the presser's own sign-up step",
    "su:change": "the presser's own sign-up step",
    "su:review": "the presser's own sign-up step",
    "su:edit:name": "the presser's own profile",
    "su:close": "the presser's own profile",
    "start:support": "the presser's own support-person registration",
    "sp:resume": "the presser's own support-person registration",
    "sp:consent:yes": "the presser's own consent",
    "sp:consent:no": "the presser's own consent",
    "sp:org:relative": "the presser's own workplace answer",
    "sp:confirm": "the presser's own registration step",
    "sp:change": "the presser's own registration step",
    "sp:review": "the presser's own registration step",
    "sp:edit:name": "the presser's own registration",
    "sp:close": "the presser's own registration",
    "lang:en": "the presser's own language",
    "del:yes": "erases the presser's own data, after /delete asked them",
    "del:no": "keeps the presser's own data",
    "cr:yes": "the presser agrees again to a new consent text",
    "cr:no": "the presser declines a new consent text",
    "actr:skip": "the presser skips giving a reason for their own late leave",
    "cs:start": "the presser's own coordinator registration; the role comes only from an "
    "invitation the presser opened first",
    "cs:yes": "the presser's own consent; grants nothing without an invitation they opened",
    "cs:no": "the presser's own consent",
}


def fill(template: str, targets: Targets) -> str:
    return template.format(**vars(targets))


def every_example(targets: Targets) -> list[str]:
    forged = (*COORDINATOR_BUTTONS, *SUPPORT_PERSON_BUTTONS, *VOLUNTEER_BUTTONS)
    return [fill(template, targets) for template in forged] + list(OWN_ONLY)


Pattern = Callable[[object], object] | re.Pattern[str] | str


def callback_patterns(handlers: Iterable[BaseHandler]) -> Iterator[Pattern]:
    """The pattern of every CallbackQueryHandler, also inside conversations (entry points,
    every state, fallbacks). A handler without a pattern (the catch-all) yields nothing."""
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            inner = [*handler.entry_points, *handler.fallbacks]
            for step in handler.states.values():
                inner += step
            yield from callback_patterns(inner)
        elif isinstance(handler, CallbackQueryHandler) and handler.pattern is not None:
            yield handler.pattern


def matches(pattern: Pattern, data: str) -> bool:
    """Whether PTB would hand `data` to a handler with this pattern (a typed button kind's
    `matches`, or a regular expression)."""
    if isinstance(pattern, re.Pattern | str):
        return re.match(pattern, data) is not None
    return bool(pattern(data))


def phone_forms(phone: str) -> list[str]:
    """The ways a stored Danish phone number (+4520123456) can appear in a text."""
    digits = phone.removeprefix("+45")
    spaced = " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))
    return [digits, spaced]
