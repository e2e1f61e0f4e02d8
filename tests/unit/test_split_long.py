"""Texts longer than one Telegram message are cut between lines."""

from __future__ import annotations

from handlers.common import split_long


def test_a_short_text_stays_whole() -> None:
    assert split_long("one\ntwo") == ["one\ntwo"]


def test_a_long_text_is_cut_between_lines_within_the_limit() -> None:
    lines = [f"• Borger {number} – via Lars Holm, +45 20 12 34 56" for number in range(200)]
    parts = split_long("\n".join(lines), limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert "\n".join(parts).split("\n") == lines


def test_one_enormous_line_is_cut_hard() -> None:
    parts = split_long("x" * 2500, limit=1000)
    assert [len(part) for part in parts] == [1000, 1000, 500]
