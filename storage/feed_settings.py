"""Per-subscription settings (m011): stored as JSON, read tolerantly; and the posts a filter
kept out, with the reason."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlite_utils import Database

from bot.events import FeedSettings
from storage.rows import many

_VERSION = 1
DEFAULT = FeedSettings()


def encode_settings(settings: FeedSettings) -> str | None:
    """The column's value: None for the defaults (nothing filtered, today's rendering)."""
    if settings == DEFAULT:
        return None
    return json.dumps(
        {
            "v": _VERSION,
            "include": list(settings.include),
            "exclude": list(settings.exclude),
            "regex": settings.regex,
            "replies": settings.replies,
            "reposts": settings.reposts,
            "quotes": settings.quotes,
            "media_only": settings.media_only,
            "template": settings.template,
        },
        ensure_ascii=False,
    )


def decode_settings(raw: str | None) -> FeedSettings:
    """Settings from the column; unknown keys ignored, missing or mistyped ones defaulted
    (a setting lost is better than a feed that stops)."""
    if not raw:
        return DEFAULT
    try:
        data = json.loads(raw)
    except ValueError:
        return DEFAULT
    if not isinstance(data, dict):
        return DEFAULT

    def words(key: str) -> tuple[str, ...]:
        value = data.get(key)
        return tuple(w for w in value if isinstance(w, str)) if isinstance(value, list) else ()

    def flag(key: str, default: bool) -> bool:
        value = data.get(key)
        return value if isinstance(value, bool) else default

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) and value else None

    return FeedSettings(
        include=words("include"),
        exclude=words("exclude"),
        regex=text("regex"),
        replies=flag("replies", True),
        reposts=flag("reposts", True),
        quotes=flag("quotes", True),
        media_only=flag("media_only", False),
        template=text("template"),
    )


@dataclass(frozen=True, slots=True)
class FilteredPost:
    """A post a subscription's filter kept out, and why."""

    subscription_id: int
    post_id: str
    reason: str
    at: float


class SubscriptionSettings:
    def __init__(self, db: Database) -> None:
        self._db = db

    def set(self, subscription_id: int, settings: FeedSettings) -> None:
        self._db.execute(
            "UPDATE subscriptions SET settings = ? WHERE id = ?",
            [encode_settings(settings), subscription_id],
        )

    def filtered(self, subscription_id: int, limit: int = 5) -> list[FilteredPost]:
        """The subscription's latest filtered posts, newest first."""
        rows = many(
            self._db,
            "SELECT subscription_id, post_id, reason, at FROM filtered "
            "WHERE subscription_id = ? ORDER BY id DESC LIMIT ?",
            [subscription_id, limit],
        )
        return [
            FilteredPost(r["subscription_id"], r["post_id"], r["reason"], r["at"]) for r in rows
        ]

    def why(self, post_id: str, subscription_ids: list[int]) -> list[FilteredPost]:
        """Why this post was kept out of these subscriptions (none: it was not filtered)."""
        if not subscription_ids:
            return []
        marks = ",".join("?" * len(subscription_ids))
        rows = many(
            self._db,
            "SELECT subscription_id, post_id, reason, at FROM filtered "  # noqa: S608
            f"WHERE post_id = ? AND subscription_id IN ({marks}) ORDER BY id",
            [post_id, *subscription_ids],
        )
        return [
            FilteredPost(r["subscription_id"], r["post_id"], r["reason"], r["at"]) for r in rows
        ]

    def prune(self, *, before: float) -> int:
        """Forget the filtered posts recorded before `before`."""
        return int(self._db.execute("DELETE FROM filtered WHERE at < ?", [before]).rowcount)
