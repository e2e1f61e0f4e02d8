"""Round trips between scripted users and a real PTB Application on the local Bot API server."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from local_bot_api import LocalBotApi, application_builder, polling

KEYBOARD = InlineKeyboardMarkup(
    [
        [InlineKeyboardButton("Ja tak", callback_data="pick:yes")],
        [InlineKeyboardButton("Nej", callback_data="pick:no")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else "-"
    await update.effective_message.reply_html(
        f"<b>Hej</b> {update.effective_user.first_name} ({payload})", reply_markup=KEYBOARD
    )


async def picked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"Valgt: {query.data}", show_alert=query.data == "pick:no")
    await query.edit_message_text(f"Du valgte {query.data}")


async def phone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = ReplyKeyboardMarkup(
        [[KeyboardButton("Del telefonnummer", request_contact=True)]], one_time_keyboard=True
    )
    await update.effective_message.reply_text("Må vi få dit nummer?", reply_markup=keyboard)


async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    card = update.effective_message.contact
    own = card.user_id == update.effective_user.id
    await update.effective_message.reply_text(
        f"{'Tak' if own else 'Det er ikke dit nummer'}: {card.phone_number}",
        reply_markup=ReplyKeyboardRemove(),
    )


async def report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_document(
        b"name;seats\nwalk;12\n",
        filename="report.csv",
        caption="<i>Rapport</i>",
        parse_mode="HTML",
    )


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    file = await update.effective_message.document.get_file()
    data = await file.download_as_bytearray()
    await update.effective_message.reply_text(f"Fik {len(data)} bytes")


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_chat.send_message(f"Rettet til: {update.edited_message.text}")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(update.effective_message.text)


def add_handlers(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("phone", phone))
    app.add_handler(CommandHandler("report", report))
    app.add_handler(CallbackQueryHandler(picked, pattern=r"^pick:"))
    app.add_handler(MessageHandler(filters.CONTACT, contact))
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))


@pytest.fixture
async def app(api: LocalBotApi) -> AsyncIterator[Application]:
    application = application_builder(api).build()
    add_handlers(application)
    async with polling(application):
        yield application


async def test_a_command_is_answered_through_long_polling(api: LocalBotApi, app: Application):
    mette = api.user("Mette")

    replies = await mette.send("/start invite42")

    assert [m.text for m in replies] == ["Hej Mette (invite42)"]
    assert replies[0].html == "<b>Hej</b> Mette (invite42)"
    assert replies[0].raw["entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    assert replies[0].buttons() == [["Ja tak"], ["Nej"]]
    assert [m.from_bot for m in mette.messages] == [False, True]
    assert [m.message_id for m in mette.messages] == [1, 2]


async def test_pressing_a_button_answers_the_query_and_edits_the_message(
    api: LocalBotApi, app: Application
):
    mette = api.user()
    [greeting] = await mette.send("/start")

    replies = await mette.press("nej")  # found by case-insensitive containment

    assert replies == [greeting]
    assert greeting.text == "Du valgte pick:no"
    assert greeting.edited and greeting.buttons() == []
    assert mette.alerts == [{"text": "Valgt: pick:no", "show_alert": True}]


async def test_a_stale_button_press_is_not_answered_twice(api: LocalBotApi, app: Application):
    mette = api.user()
    await mette.send("/start")
    await mette.press("Ja tak")

    with pytest.raises(LookupError, match="no button 'Ja tak'"):
        await mette.press("Ja tak")
    await mette.press_data("pick:yes")  # forged: same data on the edited message

    assert [a["text"] for a in mette.alerts] == ["Valgt: pick:yes", "Valgt: pick:yes"]
    failed = [c for c in api.calls if c.method == "editMessageText" and c.status != 200]
    assert len(failed) == 1  # the second edit would not change anything


async def test_a_user_edit_arrives_as_edited_message(api: LocalBotApi, app: Application):
    mette = api.user()
    await mette.send("hej")
    [mine] = [m for m in mette.messages if not m.from_bot]

    replies = await mette.edit(mine, "hej igen")

    assert mine.text == "hej igen" and mine.edited
    assert [m.text for m in replies] == ["Rettet til: hej igen"]


async def test_the_bot_uploads_a_document_the_user_can_download(api: LocalBotApi, app: Application):
    mette = api.user()

    [reply] = await mette.send("/report")

    assert reply.document is not None
    assert reply.document["file_name"] == "report.csv"
    assert reply.caption == "Rapport"
    assert await mette.download(reply) == b"name;seats\nwalk;12\n"


async def test_the_bot_downloads_a_document_the_user_sends(api: LocalBotApi, app: Application):
    mette = api.user()

    replies = await mette.send_document("plan.pdf", b"%PDF-1.4 tiny", "application/pdf")

    assert [m.text for m in replies] == ["Fik 13 bytes"]


async def test_sharing_a_contact_through_the_reply_keyboard(api: LocalBotApi, app: Application):
    mette = api.user()
    [question] = await mette.send("/phone")
    assert question.reply_keyboard is not None
    assert question.reply_keyboard["keyboard"][0][0]["request_contact"] is True

    replies = await mette.press("Del telefonnummer")
    other = await mette.share_contact("+4511223344", own=False)

    assert [m.text for m in replies] == ["Tak: +4520123456"]
    assert replies[0].reply_keyboard == {"remove_keyboard": True}
    assert [m.text for m in other] == ["Det er ikke dit nummer: +4511223344"]


async def test_stickers_photos_and_locations_are_valid_updates(api: LocalBotApi, app: Application):
    seen: list[str] = []

    async def note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        kind = "sticker" if message.sticker else "photo" if message.photo else "location"
        seen.append(kind)

    app.add_handler(MessageHandler(filters.Sticker.ALL | filters.PHOTO | filters.LOCATION, note))
    mette = api.user()

    await mette.send_sticker()
    await mette.send_photo()
    await mette.send_location(55.68, 12.57)

    assert seen == ["sticker", "photo", "location"]


async def test_messages_sent_outside_an_update_are_waited_for(api: LocalBotApi, app: Application):
    mette = api.user()
    await mette.send("først")

    await app.bot.send_message(mette.id, "Påmindelse: gåtur i morgen")

    assert (await mette.next_message(timeout=2)).text == "Påmindelse: gåtur i morgen"
    assert mette.last_bot_message().text == "Påmindelse: gåtur i morgen"
    with pytest.raises(TimeoutError, match="no new message"):
        await mette.next_message(timeout=0.05)


async def test_commands_are_stored_per_scope_and_language(api: LocalBotApi, app: Application):
    from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

    mette = api.user()
    await app.bot.set_my_commands([BotCommand("start", "Begynd")], language_code="da")
    await app.bot.set_my_commands(
        [BotCommand("help", "Help")], scope=BotCommandScopeAllPrivateChats()
    )
    await app.bot.set_my_commands(
        [BotCommand("admin", "Koordinator")], scope=BotCommandScopeChat(mette.id)
    )

    assert api.commands == {
        ("default", "da"): [{"command": "start", "description": "Begynd"}],
        ("all_private_chats", ""): [{"command": "help", "description": "Help"}],
        (f"chat:{mette.id}", ""): [{"command": "admin", "description": "Koordinator"}],
    }
    [command] = await app.bot.get_my_commands(language_code="da")
    assert (command.command, command.description) == ("start", "Begynd")
    assert await app.bot.get_my_commands() == ()

    await app.bot.delete_my_commands(language_code="da")
    assert ("default", "da") not in api.commands


async def test_wait_idle_and_subscribed_events(api: LocalBotApi, app: Application):
    events = []
    unsubscribe = api.subscribe(lambda e: events.append((e.kind, e.message.from_bot)))
    mette = api.user()

    await mette.send("a")
    unsubscribe()
    await mette.send("b")
    await api.wait_idle(timeout=2)

    assert events == [("message", False), ("message", True)]
    assert [m.text for m in api.chat(mette.id)] == ["a", "a", "b", "b"]


async def test_the_clock_dates_messages():
    moment = datetime(2030, 5, 1, 9, 30, tzinfo=UTC)
    server = LocalBotApi(clock=lambda: moment)
    await server.start()
    try:
        application = application_builder(server).build()
        add_handlers(application)
        async with polling(application):
            [reply] = await server.user().send("hej")
    finally:
        await server.stop()

    assert reply.date == moment
    assert reply.raw["date"] == int(moment.timestamp())
