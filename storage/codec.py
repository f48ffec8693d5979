"""FeedItem <-> JSON for the posts table: the delivery worker renders from what was stored,
so a post is fetched from Threads once, however many chats receive it."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.events import FeedItem, Media, MediaKind, Poll, Post, Profile


def encode_item(item: FeedItem) -> str:
    return json.dumps(asdict(item), default=_default, ensure_ascii=False)


def decode_item(text: str) -> FeedItem:
    data = json.loads(text)
    return FeedItem(
        post=_post(data["post"]),
        author=Profile(**data["author"]) if data.get("author") else None,
        related=_post(data["related"]) if data.get("related") else None,
    )


def _default(value: object) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def _post(data: dict[str, Any]) -> Post:
    poll = data.get("poll")
    return Post(
        **{
            **data,
            "kind": MediaKind(data["kind"]),
            "timestamp": _when(data.get("timestamp")),
            "media": tuple(
                Media(**{**m, "kind": MediaKind(m["kind"])}) for m in data.get("media", ())
            ),
            "poll": Poll(
                options=tuple(poll["options"]),
                percentages=tuple(poll["percentages"]),
                total_votes=poll["total_votes"],
                expires_at=_when(poll["expires_at"]),
            )
            if poll
            else None,
        }
    )


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
