"""The machine-readable Bot API specification the server checks every call against."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SPEC_FILE = "telegram-bot-api-10.1.json"
SCALARS = frozenset({"Integer", "Float", "Boolean", "String", "InputFile"})

# Subtypes of an abstract type (BotCommandScope, MenuButton, ...) are told apart by one field
# whose description says which value it must have.
_DISCRIMINATOR = re.compile(r'(?:must be|always) "?([\w-]+)"?')


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[str, ...]
    required: bool


@dataclass(frozen=True)
class Method:
    name: str
    returns: tuple[str, ...]
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class ObjectType:
    name: str
    fields: tuple[Field, ...]
    subtypes: tuple[str, ...]
    # (field name, value) that identifies this type among its siblings, if the spec states one
    discriminator: tuple[str, str] | None


@dataclass(frozen=True)
class Spec:
    version: str
    methods: dict[str, Method]
    types: dict[str, ObjectType]
    _by_lower: dict[str, Method]

    def method(self, name: str) -> Method | None:
        """Look a method up the way Telegram does: the name is case-insensitive."""
        return self._by_lower.get(name.lower())


def _fields(raw: list[dict[str, Any]]) -> tuple[Field, ...]:
    return tuple(
        Field(name=f["name"], types=tuple(f["types"]), required=bool(f["required"])) for f in raw
    )


def _discriminator(raw_fields: list[dict[str, Any]]) -> tuple[str, str] | None:
    for f in raw_fields:
        if f["name"] in ("type", "source", "status"):
            match = _DISCRIMINATOR.search(str(f["description"]))
            if match:
                return str(f["name"]), match.group(1)
    return None


def parse_spec(data: dict[str, Any]) -> Spec:
    methods = {
        name: Method(
            name=name,
            returns=tuple(raw.get("returns", [])),
            fields=_fields(raw.get("fields", [])),
        )
        for name, raw in data["methods"].items()
    }
    types = {
        name: ObjectType(
            name=name,
            fields=_fields(raw.get("fields", [])),
            subtypes=tuple(raw.get("subtypes", [])),
            discriminator=_discriminator(raw.get("fields", [])),
        )
        for name, raw in data["types"].items()
    }
    return Spec(
        version=str(data.get("version", "")),
        methods=methods,
        types=types,
        _by_lower={name.lower(): m for name, m in methods.items()},
    )


@cache
def load_spec() -> Spec:
    """The spec shipped inside this package, so a clean clone needs nothing else."""
    package = resources.files(__package__ or "local_bot_api")
    text = package.joinpath(SPEC_FILE).read_text(encoding="utf-8")
    return parse_spec(json.loads(text))
