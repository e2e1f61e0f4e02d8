"""Typed callback data for the buttons of each journey, shared by handlers and notices."""
