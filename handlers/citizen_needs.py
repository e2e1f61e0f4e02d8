"""A citizen's needs on the day: ticked from the list, then an optional note, and changed
later from /citizens. Part of the /citizens journey (handlers.citizens builds the conversation).

The ticks ride in the buttons themselves (all chosen needs as bits), so nothing waits in
memory until »Done«; only the note step remembers which citizen and needs it is for.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from handlers.common import acknowledge, close_buttons, pressed, replace_pressed, say, say_text
from kernel.access import Access, requires
from kernel.buttons.bookings import BookingsAnew
from kernel.buttons.citizens import EditNeeds, NeedsDone, NeedToggle, NoteSkip
from kernel.context import SammenContext
from kernel.keyboards import Button, inline
from kernel.validation import INVISIBLE, Invalid
from services import citizens, needs
from services.citizens import CitizenInfo
from services.needs import Catalogue

NOTE = "citizen_note"
END = -1  # ConversationHandler.END
PENDING_NEEDS = "citizen_pending_needs"
NOTE_KEYS = {
    "empty": "citizens.note.invalid",
    "too_long": "citizens.note.too_long",
    "cpr": "citizens.note.cpr",
    "phone": "citizens.note.phone",
    INVISIBLE: "common.invisible",
}


def _memory(context: SammenContext) -> dict[Any, Any]:
    assert context.user_data is not None
    return context.user_data


def needs_rows(
    context: SammenContext,
    catalogue: Catalogue,
    citizen_id: int,
    bits: int,
    *,
    book: bool = False,
) -> list[list[Button]]:
    """One button per need offered (or still ticked), then »Done«; optionally »Book«."""
    rows: list[list[Button]] = []
    for index, need in enumerate(catalogue.order):
        ticked = bits >> index & 1
        if need not in catalogue.offered and not ticked:
            continue  # retired: only those who have it still see it, to untick
        name = catalogue.named[need]
        label = f"✔️ {name}" if ticked else name
        rows.append([(label, NeedToggle(citizen_id, needs.toggled(bits, index)).pack())])
    rows.append([(context.t("citizens.needs.done"), NeedsDone(citizen_id, bits).pack())])
    if book:
        rows.append([(context.t("bookings.button.book_now"), BookingsAnew().pack())])
    return rows


def needs_question(context: SammenContext, citizen: CitizenInfo) -> str:
    return context.t("citizens.needs.ask", name=citizen.first_name)


def needs_list(context: SammenContext, catalogue: Catalogue, chosen: tuple[str, ...]) -> str:
    """The needs' names on one line, or »no particular needs«."""
    shown = catalogue.names(chosen)
    return ", ".join(shown) if shown else context.t("citizens.needs.none")


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def edit_asked(update: Update, context: SammenContext) -> None:
    """✏️ Needs: the list with this citizen's needs ticked."""
    button = pressed(update, EditNeeds)
    assert context.person is not None
    citizen = await citizens.find(context.runtime, button.citizen_id, context.person)
    if citizen is None:
        await acknowledge(update, context, "citizens.needs.gone", alert=True)
        return
    await acknowledge(update, context)
    catalogue = await needs.catalogue(context.runtime, context.language)
    rows = needs_rows(context, catalogue, citizen.id, catalogue.bits(citizen.needs))
    await say(update, context, "citizens.needs.ask", inline(rows), name=citizen.first_name)


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def toggled(update: Update, context: SammenContext) -> None:
    """A need ticked or unticked: the same message, redrawn with the new choice."""
    button = pressed(update, NeedToggle)
    assert context.person is not None
    citizen = await citizens.find(context.runtime, button.citizen_id, context.person)
    if citizen is None:
        await acknowledge(update, context, "citizens.needs.gone", alert=True)
        await close_buttons(update)
        return
    await acknowledge(update, context)
    query = update.callback_query
    assert query is not None
    message = query.message
    text = getattr(message, "text_html", None) or needs_question(context, citizen)
    book = any(
        BookingsAnew.matches(getattr(key, "callback_data", None))
        for row in getattr(getattr(message, "reply_markup", None), "inline_keyboard", ())
        for key in row
    )
    catalogue = await needs.catalogue(context.runtime, context.language)
    rows = needs_rows(context, catalogue, citizen.id, button.chosen, book=book)
    await replace_pressed(update, context, text, inline(rows))


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def done(update: Update, context: SammenContext) -> int | str:
    """»Done«: the needs are chosen; a note may follow."""
    button = pressed(update, NeedsDone)
    assert context.person is not None
    citizen = await citizens.find(context.runtime, button.citizen_id, context.person)
    if citizen is None:
        await acknowledge(update, context, "citizens.needs.gone", alert=True)
        await close_buttons(update)
        return END
    await acknowledge(update, context)
    chosen = (await needs.catalogue(context.runtime, context.language)).from_bits(button.chosen)
    await close_buttons(update)
    _memory(context)[PENDING_NEEDS] = (citizen.id, chosen)
    skip = inline([[(context.t("citizens.note.skip"), NoteSkip().pack())]])
    await say(update, context, "citizens.note.ask", skip, most=citizens.NOTE_MAX)
    return NOTE


async def _save(update: Update, context: SammenContext, note: str | None) -> int:
    pending = _memory(context).pop(PENDING_NEEDS, None)
    if pending is None:
        await say(update, context, "citizens.note.lost")
        return END
    citizen_id, chosen = pending
    assert context.person is not None
    saved = await citizens.set_needs(
        context.runtime, context.person, citizen_id, tuple(chosen), note, context.language
    )
    if saved is None:
        await say(update, context, "citizens.needs.gone")
        return END
    if not saved.needs and not saved.note:
        await say(update, context, "citizens.needs.saved_none", name=saved.first_name)
        return END
    lines = context.t(
        "citizens.needs.saved",
        name=saved.first_name,
        needs=needs_list(
            context, await needs.catalogue(context.runtime, context.language), saved.needs
        ),
    )
    if saved.note:
        lines += "\n" + context.t("needs.who.note", note=saved.note)
    book = inline([[(context.t("bookings.button.book_now"), BookingsAnew().pack())]])
    await say_text(update, context, lines, book)
    return END


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def note_typed(update: Update, context: SammenContext) -> int | str:
    assert update.message is not None and update.message.text is not None
    note = citizens.clean_note(update.message.text)
    if isinstance(note, Invalid):
        await say(
            update,
            context,
            NOTE_KEYS.get(note.reason, "citizens.note.invalid"),
            most=citizens.NOTE_MAX,
        )
        return NOTE
    return await _save(update, context, note)


@requires(Access.SUPPORT_PERSON, refusal_key="citizens.only_support")
async def note_skipped(update: Update, context: SammenContext) -> int:
    await acknowledge(update, context)
    await close_buttons(update)
    return await _save(update, context, None)


async def note_wrong_kind(update: Update, context: SammenContext) -> str:
    await say(update, context, "citizens.note.invalid")
    return NOTE
