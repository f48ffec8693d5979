"""FeedItem <-> JSON for the posts table: the delivery worker renders from what was stored,
so a post is fetched from Threads once, however many chats receive it.

Stored JSON outlives the code that wrote it: rows queued by an older release are delivered by
a newer one (and, after a downgrade, the other way round). So the JSON carries a `version`,
and decoding is tolerant: keys it does not know are ignored, keys that are missing take their
defaults, and a value of the wrong type is dropped to its default rather than failing the row.
Only JSON that names no post at all is unreadable (`UnreadableItem`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import MISSING, asdict, fields
from datetime import datetime
from typing import Any, TypeVar

from bot.events import FeedItem, Media, MediaKind, Poll, Post, Profile

# 1: the unversioned JSON of the first releases; 2: the same fields, with this key.
VERSION = 2

T = TypeVar("T")


class UnreadableItem(ValueError):
    """Stored JSON that cannot become a FeedItem (not JSON, or no post id in it)."""


def encode_item(item: FeedItem) -> str:
    return json.dumps({"version": VERSION, **asdict(item)}, default=_default, ensure_ascii=False)


def decode_item(text: str) -> FeedItem:
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as exc:
        raise UnreadableItem(f"stored post is not JSON: {exc}") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("post"), Mapping):
        raise UnreadableItem("stored JSON holds no post")
    # Every version so far keeps the same field names; a rename gets an upgrade step here,
    # keyed on data.get("version", 1).
    author = data.get("author")
    related = data.get("related")
    return FeedItem(
        post=_post(data["post"]),
        author=_profile(author) if isinstance(author, Mapping) else None,
        related=_post(related) if isinstance(related, Mapping) and related.get("id") else None,
        moderated=data.get("moderated") is True,
    )


def _default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def _build(
    cls: Callable[..., T],
    data: Mapping[str, Any],
    convert: Mapping[str, Callable[[Any], Any]],
    fallback: Mapping[str, Any],
) -> T:
    """`cls(**data)` over the fields `cls` has: unknown keys are ignored; a missing key, or
    one whose value does not convert (by `convert`, else by the field's declared type),
    takes the field's default, else `fallback`."""
    values: dict[str, Any] = {}
    for field in fields(cls):  # type: ignore[arg-type]
        if field.name in data:
            to_value = convert.get(field.name) or _BY_TYPE.get(str(field.type), _scalar)
            try:
                values[field.name] = to_value(data[field.name])
                continue
            except (TypeError, ValueError):
                pass
        if field.default is MISSING and field.default_factory is MISSING:
            values[field.name] = fallback[field.name]
    return cls(**values)


def _scalar(value: Any) -> Any:
    if isinstance(value, Mapping | list):
        raise TypeError("a single value was expected")
    return value


def _str(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # an id or a name written as a number
    raise TypeError("text was expected")


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise TypeError("true or false was expected")


def _number(kind: type[int] | type[float]) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return kind(value)
        raise TypeError("a number was expected")

    return convert


# Converters by declared type (annotations are strings under `from __future__`).
_BY_TYPE: dict[str, Callable[[Any], Any]] = {
    "str": _str,
    "str | None": lambda v: None if v is None else _str(v),
    "bool": _bool,
    "int | None": _number(int),
    "float | None": _number(float),
}


def _kind(value: Any) -> MediaKind:
    try:
        return MediaKind(value)
    except ValueError:
        return MediaKind.TEXT  # a kind this release does not know still shows its text


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _post(data: Mapping[str, Any]) -> Post:
    if data.get("id") is None:
        raise UnreadableItem("stored post has no id")
    return _build(
        Post,
        data,
        {
            "kind": _kind,
            "timestamp": _when,
            "media": lambda v: tuple(_media(m) for m in v if isinstance(m, Mapping)),
            "poll": lambda v: _poll(v) if isinstance(v, Mapping) else None,
            "ghost_expires_at": _when,
            "spoilers": lambda v: tuple((int(a), int(b)) for a, b in v),
        },
        {"id": str(data["id"]), "kind": MediaKind.TEXT},
    )


def _media(data: Mapping[str, Any]) -> Media:
    return _build(Media, data, {"kind": _kind}, {"kind": MediaKind.IMAGE, "url": None})


def _poll(data: Mapping[str, Any]) -> Poll:
    return _build(
        Poll,
        data,
        {
            "options": lambda v: tuple(_str(x) for x in v),
            "percentages": lambda v: tuple(_number(float)(x) for x in v),
            "expires_at": _when,
        },
        {"options": ()},
    )


def _profile(data: Mapping[str, Any]) -> Profile:
    return _build(Profile, data, {}, {"id": None, "username": ""})
