"""Typed callback data: each kind of button is a small value with one pack, pattern and parse.

    @dataclass(frozen=True)
    class JoinButton(CallbackData, prefix="join"):
        activity_id: int
        version: int

    JoinButton(42, 3).pack()             -> "join:42:3"
    JoinButton.parse("join:42:3")        -> JoinButton(activity_id=42, version=3)
    CallbackQueryHandler(on_join, pattern=JoinButton.matches)

Fields are `int`, `str` (letters, digits, `_` and `-`: never the separator), `bool`, an
`enum.Enum` with string or int values, or `X | None` of those. Whatever Telegram sends back is
untrusted: `parse` answers None for anything that is not exactly a button of this kind, and the
handler still re-reads what the value points at and checks who pressed it.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import types
import typing
from typing import Any, ClassVar, Self

SEPARATOR = ":"
# Telegram's limit for callback_data, in bytes.
MAX_BYTES = 64
_NONE = "-"
_TEXT = re.compile(r"[A-Za-z0-9_-]{1,40}")
_INTEGER = re.compile(r"-?\d{1,12}")


class CallbackDataError(ValueError):
    """A button value that cannot be packed (too long, or a text with a separator)."""


def _encode(value: object) -> str:
    if value is None:
        return _NONE
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, enum.Enum):
        return str(value.value)
    text = str(value)
    if not isinstance(value, int) and not _TEXT.fullmatch(text):
        raise CallbackDataError(f"cannot put {text!r} into callback data")
    return text


def _decode(raw: str, kind: Any) -> object:
    """The value of `raw` as `kind`; ValueError when it is not one."""
    if typing.get_origin(kind) in (types.UnionType, typing.Union):
        options = [option for option in typing.get_args(kind) if option is not type(None)]
        if raw == _NONE and len(options) < len(typing.get_args(kind)):
            return None
        if len(options) != 1:
            raise TypeError(f"unsupported field type {kind!r}")
        kind = options[0]
    if kind is bool:
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if kind is int:
        if not _INTEGER.fullmatch(raw):
            raise ValueError(raw)
        return int(raw)
    if kind is str:
        if not _TEXT.fullmatch(raw):
            raise ValueError(raw)
        return raw
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        for member in kind:
            if str(member.value) == raw:
                return member
        raise ValueError(raw)
    raise TypeError(f"unsupported field type {kind!r}")


class CallbackData:
    """Base of every button value; subclasses are frozen dataclasses with a unique prefix."""

    prefix: ClassVar[str]
    _kinds: ClassVar[dict[str, type[CallbackData]]] = {}

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if SEPARATOR in prefix or not prefix:
            raise ValueError(f"bad callback prefix {prefix!r}")
        if prefix in CallbackData._kinds:
            raise ValueError(f"callback prefix {prefix!r} is used twice")
        cls.prefix = prefix
        CallbackData._kinds[prefix] = cls

    @classmethod
    def _field_types(cls) -> list[tuple[str, Any]]:
        hints = typing.get_type_hints(cls)
        return [(field.name, hints[field.name]) for field in dataclasses.fields(cls)]  # type: ignore[arg-type]

    def pack(self) -> str:
        """The callback data Telegram carries for this button (at most 64 bytes)."""
        parts = [self.prefix] + [_encode(getattr(self, name)) for name, _ in self._field_types()]
        data = SEPARATOR.join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise CallbackDataError(f"callback data of {self.prefix!r} is over {MAX_BYTES} bytes")
        return data

    @classmethod
    def parse(cls, data: object) -> Self | None:
        """The button value in `data`, or None when it is not exactly one of this kind."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        prefix, _, rest = data.partition(SEPARATOR)
        if prefix != cls.prefix:
            return None
        fields = cls._field_types()
        raw = rest.split(SEPARATOR) if rest or fields else []
        if not fields and data != cls.prefix:
            return None
        if len(raw) != len(fields):
            return None
        try:
            values = {
                name: _decode(part, kind) for (name, kind), part in zip(fields, raw, strict=True)
            }
        except ValueError:
            return None
        return cls(**values)

    @classmethod
    def matches(cls, data: object) -> bool:
        """The handler pattern: PTB calls it with the callback data of every button press."""
        return cls.parse(data) is not None

    @staticmethod
    def kinds() -> dict[str, type[CallbackData]]:
        """Every kind of button there is, by prefix (for tests that forge each kind)."""
        return dict(CallbackData._kinds)
