"""A page of a longer list: which items it shows, and where it stands among the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Place:
    """Where a page asked for stands: pages are counted from 1, and a page past the end (the
    list shrank since its button was drawn) shows the last one."""

    page: int
    pages: int
    offset: int

    @classmethod
    def of(cls, asked: int, *, count: int, size: int) -> Place:
        pages = max(1, -(-count // size))
        page = min(max(1, asked), pages)
        return cls(page, pages, (page - 1) * size)


@dataclass(frozen=True)
class Page(Generic[T]):
    """The items of one page, how many there are in all, and the page's place."""

    items: list[T]
    count: int
    page: int
    pages: int

    @classmethod
    def empty(cls) -> Page[T]:
        return cls([], 0, 1, 1)
