"""Typed callback data for each journey's buttons (kinds of kernel.callback_data)."""
