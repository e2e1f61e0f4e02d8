"""Telegram's HTML parse mode as the local Bot API applies it."""

import pytest

from local_bot_api.errors import ApiError
from local_bot_api.formatting import format_text


def parse(text: str):
    return format_text(text, "HTML")


def error(text: str) -> str:
    with pytest.raises(ApiError) as caught:
        parse(text)
    return caught.value.description


def test_tags_become_entities_in_utf16_units():
    formatted = parse("<b>Hej</b> 😀 <i>du</i> &lt;3")

    assert formatted.text == "Hej 😀 du <3"
    assert formatted.entities == [
        {"type": "bold", "offset": 0, "length": 3},
        {"type": "italic", "offset": 7, "length": 2},
    ]


def test_links_code_blocks_spoilers_and_quotes():
    formatted = parse(
        '<a href="https://x.dk/?a=1&amp;b=2">link</a> '
        '<pre><code class="language-python">x = 1</code></pre> '
        '<span class="tg-spoiler">s</span> <blockquote expandable>q</blockquote>'
    )

    assert formatted.text == "link x = 1 s q"
    assert formatted.entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.dk/?a=1&b=2"},
        {"type": "pre", "offset": 5, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 11, "length": 1},
        {"type": "expandable_blockquote", "offset": 13, "length": 1},
    ]


def test_surrounding_whitespace_is_trimmed_with_the_entities():
    formatted = parse("  <b> hej </b>\n")

    assert formatted.text == "hej"
    assert formatted.entities == [{"type": "bold", "offset": 0, "length": 3}]


def test_numeric_entities_and_a_lone_ampersand():
    assert parse("AT&T &#197;&#x41;").text == "AT&T ÅA"


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("3 < 5", 'Unsupported start tag "" at byte offset 2'),
        ("æ <div>x</div>", 'Unsupported start tag "div" at byte offset 3'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b", "Unclosed start tag at byte offset 0"),
    ],
)
def test_bad_markup_gets_telegrams_error(markup: str, reason: str):
    assert error(markup) == f"Bad Request: can't parse entities: {reason}"


def test_other_parse_modes():
    assert format_text("*bold*", "MarkdownV2").text == "*bold*"
    assert format_text("<b>", None).text == "<b>"
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode")
