"""/invite: coordinators make single-use links for new coordinators and support persons, see
the open ones and revoke them; opening a link (/start inv_...) starts the role's registration;
coordinators answer support persons' requests. Every button is checked again in the service."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from handlers import groups
from handlers.common import acknowledge, close_buttons, pressed, say, say_text, telegram_id
from kernel import qr
from kernel.access import Access, requires
from kernel.buttons.invitations import (
    CoordinatorJoin,
    InviteButton,
    InviteVerb,
    JoinVerb,
    RequestDecision,
)
from kernel.buttons.signup import StartButton, StartChoice
from kernel.context import SammenContext
from kernel.keyboards import inline
from kernel.people import Role
from kernel.validation import Invalid, clean_line
from kernel.when import format_date
from services import invitations as service
from services.invitations import InvitationInfo, Opened, RequestOutcome, Revoked

ORGANISATION_MAX = 120
OPENED_KEYS = {
    Opened.ALREADY_HAS_ROLE: "invitations.open.already_has_role",
    Opened.NOT_FOR_ROLE: "invitations.open.not_for_role",
    Opened.USED: "invitations.open.used",
    Opened.EXPIRED: "invitations.open.expired",
    Opened.REVOKED: "invitations.open.revoked",
    Opened.UNKNOWN: "invitations.open.unknown",
    Opened.APPROVED: "invitations.open.approved",
}


ROLE_KEYS = {
    Role.COORDINATOR: "invitations.role.coordinator",
    Role.SUPPORT: "invitations.role.support",
}


def _role_label(context: SammenContext, role: str) -> str:
    return context.t(ROLE_KEYS[role])


def _line(context: SammenContext, invitation: InvitationInfo) -> str:
    until = format_date(invitation.expires_at, context.language, context.settings.zone)
    role = _role_label(context, invitation.role)
    if invitation.organisation:
        role = context.t(
            "invitations.list.with_organisation", role=role, organisation=invitation.organisation
        )
    key = "invitations.list.opened" if invitation.opened_at else "invitations.list.line"
    return context.t(key, number=invitation.id, role=role, until=until)


async def _menu(update: Update, context: SammenContext) -> None:
    open_ones = await service.open_invitations(context.runtime, context.person)
    rows = [
        [
            (
                context.label("invitations.button.coordinator"),
                InviteButton(InviteVerb.COORDINATOR).pack(),
            )
        ],
        [(context.label("invitations.button.support"), InviteButton(InviteVerb.SUPPORT).pack())],
    ]
    rows += [
        [
            (
                context.label("invitations.button.revoke", number=invitation.id),
                InviteButton(InviteVerb.REVOKE, invitation.id).pack(),
            )
        ]
        for invitation in open_ones
    ]
    lines = "\n".join(_line(context, invitation) for invitation in open_ones)
    listing = lines or context.t("invitations.list.none")
    await say(update, context, "invitations.menu", inline(rows), listing=listing)


async def _show_link(
    update: Update, context: SammenContext, role: str, organisation: str | None
) -> None:
    created = await service.create(context.runtime, context.person, role, organisation)
    if created is None:
        await say(update, context, "common.coordinators_only")
        return
    url = service.link(context.bot.username, created.token)
    until = format_date(created.invitation.expires_at, context.language, context.settings.zone)
    role_text = _role_label(context, role)
    if organisation:
        role_text = context.t(
            "invitations.list.with_organisation", role=role_text, organisation=organisation
        )
    chat = update.effective_chat
    assert chat is not None
    await context.bot.send_photo(
        chat.id,
        InputFile(qr.png(url), filename="invitation.png"),
        caption=context.t("invitations.created", role=role_text, link=url, until=until),
    )


@requires(Access.COORDINATOR)
async def invite(update: Update, context: SammenContext) -> None:
    """/invite shows the menu; `/invite <organisation>` makes a support person's link for it."""
    typed = " ".join(context.args or ())
    if not typed:
        await _menu(update, context)
        return
    organisation = clean_line(typed, longest=ORGANISATION_MAX)
    if isinstance(organisation, Invalid):
        await say(update, context, "invitations.organisation_invalid")
        return
    await _show_link(update, context, Role.SUPPORT, organisation)


@requires(Access.COORDINATOR)
async def invite_pressed(update: Update, context: SammenContext) -> None:
    button = pressed(update, InviteButton)
    await acknowledge(update, context)
    if button.verb is InviteVerb.REVOKE:
        outcome = await service.revoke(context.runtime, context.person, button.invitation_id or 0)
        key = {
            Revoked.REVOKED: "invitations.revoked",
            Revoked.ALREADY: "invitations.revoke_too_late",
            Revoked.REFUSED: "common.coordinators_only",
        }[outcome]
        await say(update, context, key, number=button.invitation_id or 0)
        return
    role = Role.COORDINATOR if button.verb is InviteVerb.COORDINATOR else Role.SUPPORT
    await _show_link(update, context, role, None)


@requires(Access.COORDINATOR)
async def request_decided(update: Update, context: SammenContext) -> None:
    button = pressed(update, RequestDecision)
    decided = await service.decide_request(context.runtime, context.person, button)
    if decided.outcome is RequestOutcome.REFUSED:
        await acknowledge(update, context, "common.coordinators_only", alert=True)
        return
    await acknowledge(update, context)
    await close_buttons(update)
    if decided.outcome is RequestOutcome.ALREADY_DECIDED:
        key = (
            "invitations.request.already_approved"
            if decided.status == "approved"
            else "invitations.request.already_declined"
        )
        by = decided.by or context.t("invitations.request.someone")
        await say(update, context, key, name=decided.name, by=by)
        return
    key = {
        RequestOutcome.APPROVED: "invitations.request.approved",
        RequestOutcome.DECLINED: "invitations.request.declined",
        RequestOutcome.GONE: "invitations.request.gone",
    }[decided.outcome]
    await say(update, context, key, name=decided.name)


async def opened(update: Update, context: SammenContext, token: str) -> None:
    """/start with an invitation's token: the role's registration, or why not."""
    outcome = await service.open_link(context.runtime, telegram_id(update), token)
    if outcome.opened is Opened.COORDINATOR:
        button = inline(
            [
                [
                    (
                        context.label("invitations.coordinator.begin"),
                        CoordinatorJoin(JoinVerb.START).pack(),
                    )
                ]
            ]
        )
        await say(update, context, "invitations.coordinator.invited", button)
        return
    if outcome.opened is Opened.SUPPORT:
        button = inline(
            [
                [
                    (
                        context.label("invitations.support.begin"),
                        StartButton(StartChoice.SUPPORT).pack(),
                    )
                ]
            ]
        )
        if outcome.organisation:
            await say(
                update,
                context,
                "invitations.support.invited_for",
                button,
                organisation=outcome.organisation,
            )
        else:
            await say(update, context, "invitations.support.invited", button)
        return
    await say_text(update, context, context.t(OPENED_KEYS[outcome.opened]))


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("invite", invite, filters=filters.UpdateType.MESSAGE), group=groups.JOURNEYS
    )
    app.add_handler(
        CallbackQueryHandler(invite_pressed, pattern=InviteButton.matches), group=groups.JOURNEYS
    )
    app.add_handler(
        CallbackQueryHandler(request_decided, pattern=RequestDecision.matches),
        group=groups.JOURNEYS,
    )
