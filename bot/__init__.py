"""Sammen's bot: assembles the python-telegram-bot Application from settings."""
