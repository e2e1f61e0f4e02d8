"""Jobs that run on their own clock: retention now; reminders and the outbox later."""
