"""Turning a call's raw parameters into typed values, checked against the spec's field types.

PTB (like most clients) sends form or multipart bodies in which every non-string value is a
JSON string, so decoding is driven by the types the spec declares, recursively for objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from local_bot_api.errors import QUERY_TOO_OLD, ApiError, bad_request
from local_bot_api.spec import SCALARS, Field, Method, ObjectType, Spec

ARRAY_PREFIX = "Array of "

# Telegram's own words for the missing fields people hit most; others get a generic sentence.
_MISSING_WORDING = {
    "text": "message text is empty",
    "chat_id": "chat_id is empty",
    "message_id": "message identifier is not specified",
    "document": "there is no document in the request",
    "photo": "there is no photo in the request",
    "callback_query_id": QUERY_TOO_OLD,
}

_INTEGER = re.compile(r"-?\d+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (an InputFile)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


class _Mismatch(Exception):
    """A value does not fit a type; `path` says where, so the deepest failure can be reported."""

    def __init__(self, path: tuple[str, ...], reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def _where(path: tuple[str, ...]) -> str:
    text = ""
    for part in path:
        text += part if part.startswith("[") or not text else f".{part}"
    return text


def _must_be(path: tuple[str, ...], types: tuple[str, ...] | str) -> _Mismatch:
    names = types if isinstance(types, str) else " or ".join(types)
    return _Mismatch(path, f"{_where(path)} must be of type {names}")


def _missing(name: str) -> ApiError:
    return bad_request(_MISSING_WORDING.get(name, f"{name} is required"))


def decode_params(spec: Spec, method: Method, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Decode and validate every parameter of `method`; unknown parameters are kept as sent."""
    decoder = _Decoder(spec, raw)
    params = {k: v for k, v in raw.items() if method.field(k) is None}
    for f in method.fields:
        if f.name not in raw:
            if f.required:
                raise _missing(f.name)
            continue
        params[f.name] = decoder.top_level(f, raw[f.name])
    return params


class _Decoder:
    def __init__(self, spec: Spec, raw: Mapping[str, Any]) -> None:
        self._spec = spec
        self._uploads = {k: v for k, v in raw.items() if isinstance(v, UploadedFile)}

    def top_level(self, f: Field, value: Any) -> Any:
        try:
            return self._union(self._unjson(value, f.types, f.name), f.types, (f.name,))
        except _Mismatch as exc:
            raise bad_request(exc.reason) from None

    def _unjson(self, value: Any, types: tuple[str, ...], name: str) -> Any:
        """Form fields carry objects and arrays as JSON text; decode it where the spec wants one."""
        if not isinstance(value, str) or all(t in SCALARS for t in types):
            return value
        stripped = value.lstrip()
        if not stripped.startswith(("{", "[")):
            return value
        try:
            return json.loads(value)
        except ValueError:
            kind = "array" if stripped.startswith("[") else "object"
            raise bad_request(f"can't parse {name} JSON {kind}") from None

    def _union(self, value: Any, types: tuple[str, ...], path: tuple[str, ...]) -> Any:
        failures: list[_Mismatch] = []
        for type_name in types:
            try:
                return self._one(value, type_name, path)
            except _Mismatch as exc:
                failures.append(exc)
        if len(types) > 1 and all(f.path == path for f in failures):
            raise _must_be(path, types)
        # The candidate that got furthest is the one the caller most likely meant.
        raise max(failures, key=lambda f: len(f.path))

    def _one(self, value: Any, type_name: str, path: tuple[str, ...]) -> Any:
        if type_name.startswith(ARRAY_PREFIX):
            return self._array(value, type_name.removeprefix(ARRAY_PREFIX), path)
        if type_name in SCALARS:
            return self._scalar(value, type_name, path)
        object_type = self._spec.types.get(type_name)
        if object_type is None:
            raise _Mismatch(path, f"{_where(path)} has a type the spec does not define")
        return self._object(value, object_type, path)

    def _array(self, value: Any, item_type: str, path: tuple[str, ...]) -> list[Any]:
        if not isinstance(value, list):
            raise _must_be(path, ARRAY_PREFIX + item_type)
        return [self._one(item, item_type, (*path, f"[{i}]")) for i, item in enumerate(value)]

    def _object(self, value: Any, object_type: ObjectType, path: tuple[str, ...]) -> Any:
        if not isinstance(value, dict):
            raise _must_be(path, object_type.name)
        if object_type.subtypes:
            return self._union(value, self._candidates(value, object_type, path), path)
        decoded = dict(value)
        for f in object_type.fields:
            if f.name not in value:
                if f.required:
                    raise _Mismatch((*path, f.name), f"{_where((*path, f.name))} is required")
                continue
            decoded[f.name] = self._union(value[f.name], f.types, (*path, f.name))
        return decoded

    def _candidates(
        self, value: dict[str, Any], object_type: ObjectType, path: tuple[str, ...]
    ) -> tuple[str, ...]:
        subtypes = [self._spec.types[name] for name in object_type.subtypes]
        keyed = [(s.name, s.discriminator) for s in subtypes if s.discriminator]
        if len(keyed) != len(subtypes):
            return object_type.subtypes
        key = keyed[0][1][0]
        matching = tuple(name for name, disc in keyed if disc == (key, value.get(key)))
        if not matching:
            allowed = ", ".join(f'"{disc[1]}"' for _, disc in keyed)
            raise _Mismatch((*path, key), f"{_where((*path, key))} must be one of {allowed}")
        return matching

    def _scalar(self, value: Any, type_name: str, path: tuple[str, ...]) -> Any:
        if type_name == "InputFile":
            return self._input_file(value, path)
        if isinstance(value, UploadedFile):
            raise _must_be(path, type_name)
        converted = _convert_scalar(value, type_name)
        if converted is None:
            raise _must_be(path, type_name)
        return converted

    def _input_file(self, value: Any, path: tuple[str, ...]) -> UploadedFile:
        if isinstance(value, UploadedFile):
            return value
        if isinstance(value, str) and value.startswith("attach://"):
            upload = self._uploads.get(value.removeprefix("attach://"))
            if upload is not None:
                return upload
            raise _Mismatch(path, f"{_where(path)}: no file part named by {value}")
        raise _must_be(path, "InputFile")


def _convert_scalar(value: Any, type_name: str) -> Any:
    """Telegram's lenient scalar rules: numbers and booleans may arrive as strings."""
    if type_name == "String":
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return None
    if type_name == "Integer":
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return int(value)
        return None
    if type_name == "Float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                return None
        return None
    if type_name == "Boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower() if isinstance(value, str | int) else ""
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return None
    return None
