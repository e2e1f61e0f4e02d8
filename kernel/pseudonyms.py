"""The pseudonyms the consent ledger knows people by."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(telegram_id: int, key: bytes) -> str:
    """A keyed hash of a Telegram id: proves "this person withdrew" without naming them."""
    return hmac.new(key, str(telegram_id).encode(), hashlib.sha256).hexdigest()
