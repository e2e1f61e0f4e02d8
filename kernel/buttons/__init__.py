"""The kinds of button each journey sends, as typed callback data (kernel/callback_data.py)."""
