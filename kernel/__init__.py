"""The kernel: context, texts, clock, dates, validation, keyboards, callback data and roles.

Everything in Sammen may use it; it imports nothing of Sammen.
"""
