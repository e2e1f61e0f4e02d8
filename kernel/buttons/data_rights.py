"""The buttons of /delete: erase everything, or keep it."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from kernel.callback_data import CallbackData


class DeleteAnswer(enum.Enum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True)
class DeleteButton(CallbackData, prefix="del"):
    """The answer to "erase everything?": `del:yes` or `del:no`."""

    answer: DeleteAnswer
