"""One module per journey; `register` adds them all to the Application in one place."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    chat_guard,
    consent_renewal,
    coordinators,
    data_rights,
    fallback,
    help_menu,
    language,
    signup,
    start,
    visit,
)

# The sign-up conversation comes first in its group: while a person is in it, their answers
# belong to it; commands it does not know fall through to the modules after it.
JOURNEYS = (
    chat_guard,
    visit,
    consent_renewal,
    signup,
    start,
    help_menu,
    language,
    data_rights,
    coordinators,
    fallback,
)


def register(app: Application) -> None:
    for journey in JOURNEYS:
        journey.register(app)
