"""The command line on top of everything: picks the bot on Telegram or the playground."""
