"""A local Telegram Bot API server for tests, benchmarks and a browser playground.

The real PTB Application runs against it by long polling; scripted users (LocalUser) talk to
the bot as people do, and every call is checked against the Bot API 10.1 specification:

    api = LocalBotApi()
    await api.start()
    application = application_builder(api).build()   # a TrackedApplication
    ... add handlers ...
    async with polling(application):
        replies = await api.user("Mette").send("/start")
    await api.stop()

telegram-bot-api-10.1.json comes from the telegram-bot-api-spec project (MIT licence).
"""

from local_bot_api.api import LocalBotApi
from local_bot_api.harness import application_builder, polling
from local_bot_api.models import ApiCall, ChatEvent, ChatMessage
from local_bot_api.tracked import TrackedApplication
from local_bot_api.users import LocalUser

__all__ = [
    "ApiCall",
    "ChatEvent",
    "ChatMessage",
    "LocalBotApi",
    "LocalUser",
    "TrackedApplication",
    "application_builder",
    "polling",
]
