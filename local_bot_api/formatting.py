"""Telegram's HTML parse mode: plain text plus entities, or Telegram's own error for bad markup.

This follows the scanner in tdlib (td/telegram/MessageEntity.cpp, parse_html) rather than a
browser-style HTML parser, because Telegram rejects what browsers forgive: a bare "<" in text
("a < b") is an "Unsupported start tag" error there, and that is the bug tests should catch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn

from local_bot_api.errors import bad_request

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACES = frozenset(" \t\r\n\v\f")
_SPECIAL = re.compile(r"[&<]")
_NUMERIC = re.compile(r"#(x[0-9a-fA-F]+|[0-9]+);?")
_NAMED = re.compile(r"([a-zA-Z]*);?")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.-]*")


@dataclass
class Formatted:
    """Message text as Telegram stores it: plain text and entities in UTF-16 code units."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _is_space(char: str) -> bool:
    # The end of the text counts as a space, as the NUL terminator does in tdlib.
    return char == "" or char in _SPACES


def format_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> Formatted:
    """Apply a parse mode the way Telegram does, then trim surrounding whitespace."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        parsed = _HtmlParser(text).run()
    elif mode in ("", "markdown", "markdownv2"):
        # Markdown is not parsed here: the text stays as sent (this project formats with HTML).
        parsed = Formatted(text, list(entities or []))
    else:
        raise bad_request("unsupported parse_mode")
    return _strip(parsed)


def _strip(formatted: Formatted) -> Formatted:
    text = formatted.text
    stripped = text.strip()
    if stripped == text:
        return formatted
    start = utf16_len(text[: len(text) - len(text.lstrip())])
    end = start + utf16_len(stripped)
    entities = []
    for entity in formatted.entities:
        left = max(entity["offset"], start)
        right = min(entity["offset"] + entity["length"], end)
        if right > left:
            entities.append({**entity, "offset": left - start, "length": right - left})
    return Formatted(stripped, entities)


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self._s = source
        self._out: list[str] = []
        self._utf16 = 0
        self._stack: list[_Open] = []
        self._entities: list[dict[str, Any]] = []

    def run(self) -> Formatted:
        i = 0
        while i < len(self._s):
            special = _SPECIAL.search(self._s, i)
            if special is None:
                self._emit(self._s[i:])
                break
            self._emit(self._s[i : special.start()])
            i = special.start()
            if self._s[i] == "&":
                i = self._entity(i)
            elif self._at(i + 1) == "/":
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self._stack:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self._stack[-1].tag}"')
        self._entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return Formatted("".join(self._out), self._entities)

    def _at(self, i: int) -> str:
        return self._s[i] if i < len(self._s) else ""

    def _emit(self, text: str) -> None:
        if text:
            self._out.append(text)
            self._utf16 += utf16_len(text)

    def _fail(self, reason: str) -> NoReturn:
        raise bad_request(f"can't parse entities: {reason}")

    def _byte_offset(self, i: int) -> int:
        return len(self._s[:i].encode("utf-8"))

    def _entity(self, i: int) -> int:
        """Decode an HTML entity at i; an "&" that starts none is kept as a plain character."""
        decoded, end = decode_entity(self._s, i)
        self._emit(decoded if decoded is not None else "&")
        return end if decoded is not None else i + 1

    def _start_tag(self, begin: int) -> int:
        i = begin + 1
        while not _is_space(self._at(i)) and self._at(i) != ">":
            i += 1
        if self._at(i) == "":
            self._fail(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        tag = self._s[begin + 1 : i].lower()
        if tag not in _ENTITY_TYPES:
            self._fail(f'Unsupported start tag "{tag}" at byte offset {self._byte_offset(begin)}')
        argument = ""
        while self._at(i) != ">":
            while self._at(i) != "" and _is_space(self._at(i)):
                i += 1
            if self._at(i) == ">":
                break
            name, value, i = self._attribute(tag, begin, i)
            argument = _argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            self._fail(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset(begin)}'
            )
        self._stack.append(_Open(tag, argument, self._utf16))
        return i + 1

    def _attribute(self, tag: str, begin: int, i: int) -> tuple[str, str | None, int]:
        name_begin = i
        while not _is_space(self._at(i)) and self._at(i) not in ("=", ">"):
            i += 1
        name = self._s[name_begin:i].lower()
        if not name:
            self._fail(
                f'Empty attribute name in the tag "{tag}" at byte offset {self._byte_offset(begin)}'
            )
        while self._at(i) != "" and _is_space(self._at(i)):
            i += 1
        if self._at(i) != "=":
            if tag == "blockquote" and name == "expandable":
                return name, None, i
            self._fail(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" at '
                f"byte offset {self._byte_offset(begin)}"
            )
        i += 1
        while self._at(i) != "" and _is_space(self._at(i)):
            i += 1
        if self._at(i) == "":
            self._fail(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        if self._at(i) in ("'", '"'):
            value, i = self._quoted(i)
        else:
            token = _NAME_TOKEN.match(self._s, i)
            assert token is not None  # the pattern matches the empty string
            value, i = token.group().lower(), token.end()
            if not _is_space(self._at(i)) and self._at(i) != ">":
                self._fail(f"Unexpected end of name token at byte offset {self._byte_offset(i)}")
        if self._at(i) == "":
            self._fail(f"Unclosed start tag at byte offset {self._byte_offset(begin)}")
        return name, value, i

    def _quoted(self, i: int) -> tuple[str, int]:
        quote = self._s[i]
        i += 1
        value: list[str] = []
        while self._at(i) not in (quote, ""):
            if self._s[i] == "&":
                decoded, end = decode_entity(self._s, i)
                if decoded is not None:
                    value.append(decoded)
                    i = end
                    continue
            value.append(self._s[i])
            i += 1
        if self._at(i) == quote:
            i += 1
        return "".join(value), i

    def _end_tag(self, begin: int) -> int:
        if not self._stack:
            self._fail(f"Unexpected end tag at byte offset {self._byte_offset(begin)}")
        i = begin + 2
        while not _is_space(self._at(i)) and self._at(i) != ">":
            i += 1
        name = self._s[begin + 2 : i].lower()
        while self._at(i) != "" and _is_space(self._at(i)):
            i += 1
        if self._at(i) != ">":
            self._fail(f"Unclosed end tag at byte offset {self._byte_offset(begin)}")
        opened = self._stack.pop()
        if name and name != opened.tag:
            self._fail(
                f"Unmatched end tag at byte offset {self._byte_offset(begin)}, expected "
                f'"</{opened.tag}>", found "</{name}>"'
            )
        self._close(opened)
        return i + 1

    def _close(self, opened: _Open) -> None:
        length = self._utf16 - opened.offset
        parent = self._stack[-1] if self._stack else None
        if opened.tag == "code" and parent is not None and parent.tag == "pre":
            # <pre><code class="language-x"> is one pre entity with a language in Telegram.
            parent.argument = parent.argument or opened.argument
            return
        if length == 0:
            return
        entity: dict[str, Any] = {
            "type": _ENTITY_TYPES[opened.tag],
            "offset": opened.offset,
            "length": length,
        }
        if opened.tag == "a":
            entity["url"] = opened.argument
        elif opened.tag == "pre" and opened.argument:
            entity["language"] = opened.argument
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.argument
        elif opened.tag == "blockquote" and opened.argument:
            entity["type"] = "expandable_blockquote"
        self._entities.append(entity)


def _argument(tag: str, name: str, value: str | None, current: str) -> str:
    if value is None:  # the bare "expandable" flag of a blockquote
        return "1"
    if tag == "a" and name == "href":
        return value
    if tag == "code" and name == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and name == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and name == "emoji-id":
        return value
    return current


def decode_entity(text: str, i: int) -> tuple[str | None, int]:
    """Decode the HTML entity starting at text[i] == "&"; (None, i) if there is none."""
    numeric = _NUMERIC.match(text, i + 1)
    if numeric is not None:
        digits = numeric.group(1)
        code = int(digits[1:], 16) if digits.startswith("x") else int(digits)
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None, i
        return chr(code), numeric.end()
    named = _NAMED.match(text, i + 1)
    assert named is not None  # the pattern matches the empty string
    char = _NAMED_ENTITIES.get(named.group(1))
    return (char, named.end()) if char is not None else (None, i)
