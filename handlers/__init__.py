"""One module per journey; `register` adds them all to the Application in one place."""

from __future__ import annotations

from telegram.ext import Application

from handlers import (
    activities,
    activity_admin,
    activity_planning,
    bookings,
    broadcasts,
    chat_guard,
    citizens,
    consent_renewal,
    coordinator_signup,
    coordinators,
    data_rights,
    errors,
    fallback,
    follow_up,
    help_menu,
    interests_admin,
    invitations,
    language,
    minimum,
    my_bookings,
    needs_admin,
    reminders,
    signup,
    start,
    support_signup,
    team,
    visit,
    whos_coming,
)

# Conversations come first in their group: while a person is in one, their answers belong to
# it; what it does not expect falls through to the modules after it, the fallback last.
JOURNEYS = (
    chat_guard,
    visit,
    consent_renewal,
    signup,
    support_signup,
    coordinator_signup,
    citizens,
    activity_planning,
    activities,
    interests_admin,
    needs_admin,
    bookings,
    my_bookings,
    whos_coming,
    follow_up,
    minimum,
    reminders,
    start,
    help_menu,
    language,
    data_rights,
    coordinators,
    invitations,
    activity_admin,
    broadcasts,
    team,
    fallback,
)


def register(app: Application) -> None:
    for journey in JOURNEYS:
        journey.register(app)
    # One error handler for every journey: the person gets a short apology, the log the cause.
    app.add_error_handler(errors.on_error)
