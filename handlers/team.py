"""/team and /audit: the coordinators and support persons, what each did lately, and what a
coordinator can change about the team; and the log of what coordinators did.

Every button only says what was pressed: the service re-reads the presser and the people
named, and acts only for a coordinator as stored now.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, TypeHandler, filters

from handlers import groups
from handlers.activity_cards import keyboard, page_buttons
from handlers.common import acknowledge, close_buttons, pressed, replace_pressed
from kernel.access import Access, requires
from kernel.buttons.team import (
    AuditPageButton,
    OfferAnswer,
    TeamAction,
    TeamPage,
    TeamVerb,
    VolunteerPage,
)
from kernel.context import SammenContext
from kernel.keyboards import Button, shortened
from kernel.people import PersonInfo, Role
from kernel.when import format_when
from services import audit, menus, team
from services.audit import AuditAction, AuditInfo
from services.team import Answered, Member, Outcome

# Each action's words in the log; a new action needs its words here and in the catalogues.
AUDIT_WORDS = {
    AuditAction.ACTIVITY_CREATED: "audit.action.activity_created",
    AuditAction.ACTIVITY_CHANGED: "audit.action.activity_changed",
    AuditAction.ACTIVITY_CANCELLED: "audit.action.activity_cancelled",
    AuditAction.BROADCAST: "audit.action.broadcast",
    AuditAction.BROADCAST_SCHEDULED: "audit.action.broadcast_scheduled",
    AuditAction.BROADCAST_CANCELLED: "audit.action.broadcast_cancelled",
    AuditAction.EXPORT_OWN_DATA: "audit.action.export_own_data",
    AuditAction.EXPORT_STATS: "audit.action.export_stats",
    AuditAction.INVITATION_CREATED: "audit.action.invitation_created",
    AuditAction.INVITATION_REVOKED: "audit.action.invitation_revoked",
    AuditAction.JOINED_AS_COORDINATOR: "audit.action.joined_as_coordinator",
    AuditAction.JOINED_AS_SUPPORT: "audit.action.joined_as_support",
    AuditAction.APPROVAL_GRANTED: "audit.action.approval_granted",
    AuditAction.APPROVAL_DECLINED: "audit.action.approval_declined",
    AuditAction.INTEREST_ADDED: "audit.action.interest_added",
    AuditAction.INTEREST_RENAMED: "audit.action.interest_renamed",
    AuditAction.INTEREST_RETIRED: "audit.action.interest_retired",
    AuditAction.HANDED_OVER: "audit.action.handed_over",
    AuditAction.STEPPED_DOWN: "audit.action.stepped_down",
    AuditAction.SUPPORT_PERSON_REMOVED: "audit.action.support_person_removed",
    AuditAction.COORDINATOR_OFFERED: "audit.action.coordinator_offered",
    AuditAction.COORDINATOR_ACCEPTED: "audit.action.coordinator_accepted",
    AuditAction.COORDINATOR_DECLINED: "audit.action.coordinator_declined",
}
# Why a team action was not done.
REFUSED = {
    Outcome.NOT_ALLOWED: "team.outcome.not_allowed",
    Outcome.NOT_FOUND: "team.outcome.not_found",
    Outcome.LAST_COORDINATOR: "team.outcome.last_coordinator",
    Outcome.FROM_SETTINGS: "team.outcome.from_settings",
}


def _name(context: SammenContext, name: str | None) -> str:
    return name or context.label("team.no_name")


def _entry(context: SammenContext, member: Member) -> str:
    name = _name(context, member.name)
    if member.role == Role.COORDINATOR:
        return context.t(
            "team.entry.coordinator",
            name=name,
            created=member.created,
            changed=member.changed,
            answers_for=member.answers_for,
        )
    return context.t(
        "team.entry.support",
        name=name,
        organisation=member.organisation or "",
        bookings=member.bookings,
    )


def _member_buttons(context: SammenContext, member: Member, me: PersonInfo) -> list[list[Button]]:
    name = shortened(_name(context, member.name))
    if member.role != Role.COORDINATOR:
        return [[(context.label("team.remove", name=name), _act(TeamVerb.REMOVE, member))]]
    if member.person_id != me.id:
        return [[(context.label("team.hand_over", name=name), _act(TeamVerb.HAND_OVER, member))]]
    return [
        [(context.label("team.hand_over_mine"), _act(TeamVerb.HAND_OVER, member))],
        [(context.label("team.step_down"), _act(TeamVerb.STEP_DOWN, member))],
    ]


def _act(verb: TeamVerb, member: Member) -> str:
    return TeamAction(verb, member.person_id).pack()


async def _team_page(
    context: SammenContext, page: int
) -> tuple[str, InlineKeyboardMarkup | None] | None:
    me = context.person
    assert me is not None
    found = await team.members(context.runtime, me, page)
    if found is None:
        return None
    rows: list[list[Button]] = []
    for member in found.items:
        rows += _member_buttons(context, member, me)
    rows.append(page_buttons(context, lambda to: TeamPage(to), found.page, found.pages))
    rows.append([(context.label("team.offer.choose"), VolunteerPage(1).pack())])
    header = context.t("team.header", page=found.page, pages=found.pages, days=team.LATELY.days)
    entries = "\n\n".join(_entry(context, member) for member in found.items)
    return f"{header}\n\n{entries}", keyboard(rows)


async def _show(update: Update, context: SammenContext, page: int) -> None:
    shown = await _team_page(context, page)
    if shown is None:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    await replace_pressed(update, context, *shown)


@requires(Access.COORDINATOR)
async def show_team(update: Update, context: SammenContext) -> None:
    """/team, and its pages."""
    page = pressed(update, TeamPage).page if update.callback_query else 1
    await _show(update, context, page)


@requires(Access.COORDINATOR)
async def team_action(update: Update, context: SammenContext) -> None:
    """A press on a team button: ask first where it cannot be undone, then act."""
    button = pressed(update, TeamAction)
    me = context.person
    assert me is not None
    verb = button.verb
    if verb is TeamVerb.BACK:
        await _show(update, context, 1)
    elif verb is TeamVerb.HAND_OVER:
        await _choose_taker(update, context, me, button.person_id)
    elif verb is TeamVerb.HANDED_OVER and button.other is not None:
        done = await team.hand_over(context.runtime, me, button.person_id, button.other)
        await _finish(
            update, context, done.outcome, "team.handed_over", count=done.count, name=done.to_name
        )
    elif verb in (TeamVerb.REMOVE, TeamVerb.STEP_DOWN):
        await _confirm(update, context, me, verb, button.person_id)
    elif verb is TeamVerb.REMOVE_YES:
        outcome = await team.remove_support_person(context.runtime, me, button.person_id)
        await _finish(update, context, outcome, "team.removed")
    elif verb is TeamVerb.STEP_DOWN_YES:
        outcome = await team.step_down(context.runtime, me)
        await _finish(update, context, outcome, "team.stepped_down")
    elif verb is TeamVerb.OFFER:
        outcome = await team.offer(context.runtime, me, button.person_id)
        await _finish(update, context, outcome, "team.offer.sent")
    else:
        await acknowledge(update, context, "team.gone", alert=True)


async def _choose_taker(
    update: Update, context: SammenContext, me: PersonInfo, giver_id: int
) -> None:
    everyone = await team.coordinators(context.runtime, me)
    giver = next((c for c in everyone or [] if c.id == giver_id), None)
    if everyone is None or giver is None:
        await acknowledge(update, context, "team.gone", alert=True)
        return
    takers = [c for c in everyone if c.id != giver_id]
    if not takers:
        await acknowledge(update, context, "team.no_one_to_take", alert=True)
        return
    await acknowledge(update, context)
    rows: list[list[Button]] = [
        [
            (
                shortened(_name(context, taker.name)),
                TeamAction(TeamVerb.HANDED_OVER, giver_id, taker.id).pack(),
            )
        ]
        for taker in takers
    ]
    rows.append([(context.label("team.back"), TeamAction(TeamVerb.BACK, giver_id).pack())])
    text = context.t("team.choose_taker", name=_name(context, giver.name))
    await replace_pressed(update, context, text, keyboard(rows))


async def _confirm(
    update: Update, context: SammenContext, me: PersonInfo, verb: TeamVerb, person_id: int
) -> None:
    if verb is TeamVerb.STEP_DOWN:
        key, yes_key, yes, target = (
            "team.step_down_ask",
            "team.step_down_ask_yes",
            TeamVerb.STEP_DOWN_YES,
            me.id,
        )
    else:
        key, yes_key, yes, target = (
            "team.remove_ask",
            "team.remove_ask_yes",
            TeamVerb.REMOVE_YES,
            person_id,
        )
    found = await team.person(context.runtime, me, target)
    if found is None or (verb is TeamVerb.REMOVE and not found.is_support_person):
        await acknowledge(update, context, "team.gone", alert=True)
        return
    await acknowledge(update, context)
    rows: list[list[Button]] = [
        [(context.label(yes_key), TeamAction(yes, target).pack())],
        [(context.label("team.back"), TeamAction(TeamVerb.BACK, target).pack())],
    ]
    text = context.t(key, name=_name(context, found.name))
    await replace_pressed(update, context, text, keyboard(rows))


async def _finish(
    update: Update, context: SammenContext, outcome: Outcome, done_key: str, **values: object
) -> None:
    if outcome is not Outcome.DONE:
        await acknowledge(update, context, REFUSED[outcome], alert=True)
        return
    await acknowledge(update, context)
    await close_buttons(update, context.t(done_key, **values))
    # Someone's role may have changed: their menu follows now, not at the next job run.
    await menus.follow_roles(context.runtime, context.bot)


@requires(Access.COORDINATOR)
async def volunteers_page(update: Update, context: SammenContext) -> None:
    """The volunteers a coordinator may offer the coordinator role to, a page at a time."""
    me = context.person
    assert me is not None
    found = await team.volunteers(context.runtime, me, pressed(update, VolunteerPage).page)
    if found is None:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    rows: list[list[Button]] = [
        [
            (
                context.label("team.offer.to", name=shortened(_name(context, person.name))),
                TeamAction(TeamVerb.OFFER, person.id).pack(),
            )
        ]
        for person in found.items
    ]
    rows.append(page_buttons(context, lambda to: VolunteerPage(to), found.page, found.pages))
    rows.append([(context.label("team.back"), TeamAction(TeamVerb.BACK, me.id).pack())])
    key = "team.offer.pick" if found.items else "team.offer.nobody"
    await replace_pressed(update, context, context.t(key), keyboard(rows))


async def offer_answered(update: Update, context: SammenContext) -> None:
    """A volunteer's answer to becoming a coordinator; the open offer is read from the
    database, so anyone else's press changes nothing."""
    person = context.person
    answer = pressed(update, OfferAnswer)
    if person is None:
        await acknowledge(update, context, "team.offer.none", alert=True)
        return
    answered = await team.answer_offer(context.runtime, person, accept=answer.accept)
    if answered is Answered.NO_OFFER:
        await acknowledge(update, context, "team.offer.none", alert=True)
        return
    await acknowledge(update, context)
    key = "team.offer.welcome" if answered is Answered.ACCEPTED else "team.offer.declined"
    await close_buttons(update, context.t(key))


def _audit_line(context: SammenContext, entry: AuditInfo) -> str:
    try:
        action = context.label(AUDIT_WORDS[AuditAction(entry.action)])
    except ValueError:
        # An action this version does not know (written by a newer one): its stored name.
        action = entry.action
    about = entry.activity_title or entry.person_name or ""
    return context.t(
        "audit.entry",
        when=format_when(entry.at, context.language, context.settings.zone),
        who=_name(context, entry.actor_name),
        action=action,
        about=about,
    )


@requires(Access.COORDINATOR)
async def show_audit(update: Update, context: SammenContext) -> None:
    """/audit: what coordinators did, newest first, a page at a time."""
    me = context.person
    assert me is not None
    asked = pressed(update, AuditPageButton).page if update.callback_query else 1
    found = await audit.page(context.runtime, me, asked)
    if found is None:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    if not found.count:
        await replace_pressed(update, context, context.t("audit.empty"), None)
        return
    header = context.t("audit.header", page=found.page, pages=found.pages)
    lines = "\n".join(_audit_line(context, entry) for entry in found.items)
    paging = page_buttons(context, lambda to: AuditPageButton(to), found.page, found.pages)
    markup = keyboard([paging]) if paging else None
    await replace_pressed(update, context, f"{header}\n\n{lines}", markup)


async def follow_menu(update: Update, context: SammenContext) -> None:
    """After every update: the writer's menu follows their role if it changed meanwhile
    (one indexed read when nothing did)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return
    await menus.follow_roles(context.runtime, context.bot, telegram_id=user.id)


def register(app: Application) -> None:
    message = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("team", show_team, filters=message), group=groups.JOURNEYS)
    app.add_handler(CommandHandler("audit", show_audit, filters=message), group=groups.JOURNEYS)
    for kind, callback in (
        (TeamPage, show_team),
        (TeamAction, team_action),
        (VolunteerPage, volunteers_page),
        (OfferAnswer, offer_answered),
        (AuditPageButton, show_audit),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=kind.matches), group=groups.JOURNEYS)
    app.add_handler(TypeHandler(Update, follow_menu), group=groups.MENUS)
