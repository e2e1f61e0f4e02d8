"""Plain snapshots of ORM rows: what repositories hand upwards instead of live objects."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Snapshot = TypeVar("Snapshot", bound="DataclassInstance")


def snapshot(kind: type[Snapshot], row: object, **computed: Any) -> Snapshot:
    """A `kind` dataclass filled from the row's attributes of the same names; `computed`
    gives the fields that are not plain columns (tuples of lists, related ids)."""
    values = {
        field.name: computed[field.name] if field.name in computed else getattr(row, field.name)
        for field in dataclasses.fields(kind)
    }
    return kind(**values)
