"""Telegram's text rules: parse_mode=HTML parsing (as tdlib does it, with its error messages),
entity offsets in UTF-16 code units, and the length limits after entity parsing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request
from .mentions import find_mentions

TEXT_MAX = 4096
CAPTION_MAX = 1024

# tag -> entity type; span is only valid as <span class="tg-spoiler">.
HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
PARSE_MODES = {"html": "HTML", "markdown": "Markdown", "markdownv2": "MarkdownV2"}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_ATTR = re.compile(r"\s*([a-zA-Z_:-][a-zA-Z0-9_:.-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of Telegram's entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int
    attrs: dict[str, str] = field(default_factory=dict)


def _can_t(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text and its entities, or ApiError with tdlib's description."""
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "&":
            match = _ENTITY.match(text, i)
            decoded = _decode_entity(match.group(1)) if match else None
            if match and decoded is not None:
                out.append(decoded)
                pos16 += utf16_len(decoded)
                i = match.end()
                continue
        if ch != "<":
            out.append(ch)
            pos16 += utf16_len(ch)
            i += 1
            continue
        offset = len(text[:i].encode("utf-8"))
        if i + 1 < n and text[i + 1] == "/":
            close = text.find(">", i)
            if close == -1:
                raise _can_t(f"Unclosed end tag at byte offset {offset}")
            name = text[i + 2 : close].strip().lower()
            if not stack:
                raise _can_t(f"Unexpected end tag at byte offset {offset}")
            opened = stack.pop()
            if name != opened.tag:
                raise _can_t(
                    f'Unmatched end tag at byte offset {offset}, expected "</{opened.tag}>", '
                    f'found "</{name}>"'
                )
            _emit(opened, pos16, stack, entities)
            i = close + 1
            continue
        j = i + 1
        while j < n and not text[j].isspace() and text[j] not in ">/":
            j += 1
        name = text[i + 1 : j].lower()
        if j >= n:
            raise _can_t(f"Unclosed start tag at byte offset {offset}")
        if name not in HTML_TAGS:
            raise _can_t(f'Unsupported start tag "{name}" at byte offset {offset}')
        close = text.find(">", j)
        if close == -1:
            raise _can_t(f"Unclosed start tag at byte offset {offset}")
        attrs = {
            key.lower(): _unescape(value.strip("\"'"))
            for key, value in _ATTR.findall(text[j:close].rstrip("/"))
        }
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise _can_t(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        stack.append(_Open(name, pos16, attrs))
        i = close + 1
    if stack:
        raise _can_t(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _unescape(value: str) -> str:
    """Attribute values (e.g. an href with &amp;) are entity-decoded too."""
    return _ENTITY.sub(lambda m: _decode_entity(m.group(1)) or m.group(0), value)


def _decode_entity(body: str) -> str | None:
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    else:
        return _NAMED.get(body)  # tdlib keeps an unknown named entity as literal text
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else None


def _emit(opened: _Open, end: int, stack: list[_Open], entities: list[dict[str, Any]]) -> None:
    length = end - opened.start
    if length <= 0:
        return  # empty entities are dropped
    kind = HTML_TAGS[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.start, "length": length}
    if kind == "text_link":
        if not opened.attrs.get("href"):
            return
        entity["url"] = opened.attrs["href"]
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = opened.attrs.get("emoji-id", "")
    elif kind == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    elif kind == "code":
        language = opened.attrs.get("class", "").removeprefix("language-")
        parent = stack[-1] if stack else None
        if language and parent is not None and parent.tag == "pre":
            parent.attrs["language"] = language  # <pre><code class="language-x"> is one pre
            return
    elif kind == "pre" and opened.attrs.get("language"):
        entity["language"] = opened.attrs["language"]
    entities.append(entity)


def render(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """Visible text + entities for a text or caption, with the mentions Telegram finds by
    itself. Markdown modes are not parsed: their markup counts towards the length (a
    conservative approximation)."""
    visible, found = _formatted(text, parse_mode, entities)
    found += find_mentions(visible, found)
    found.sort(key=lambda e: (e["offset"], -e["length"]))
    return visible, found


def _formatted(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    if entities is not None:
        return text, list(entities)  # explicit entities win over parse_mode, as in Telegram
    if parse_mode is None or parse_mode == "":
        return text, []
    mode = PARSE_MODES.get(parse_mode.lower())
    if mode is None:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if mode == "HTML":
        return parse_html(text)
    return text, []


def message_text(
    text: str | None, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """A message text checked against Telegram's 1-4096 characters after entity parsing."""
    if text is None:
        raise bad_request("message text is empty")
    visible, found = render(text, parse_mode, entities)
    if not visible.strip():
        raise bad_request("message text is empty")
    if len(visible) > TEXT_MAX:
        raise bad_request("message is too long")
    return visible, found


def caption_text(
    caption: str | None, parse_mode: str | None, entities: list[dict[str, Any]] | None
) -> tuple[str, list[dict[str, Any]]]:
    """A media caption checked against 0-1024 characters after entity parsing."""
    if caption is None:
        return "", []
    visible, found = render(caption, parse_mode, entities)
    if len(visible) > CAPTION_MAX:
        raise bad_request("message caption is too long")
    return visible, found
