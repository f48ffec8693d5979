"""Building posts from the Python API's `add_post` arguments (scenario setup, not the API).

Unlike POST /threads, this path does not enforce Meta's creation limits: tests use it to
put existing content in place, including content no client could create today.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace

from .models import CREATE_TO_PUBLISHED, PostSpec

log = logging.getLogger(__name__)

PUBLISHED_TYPES = ("TEXT_POST", "IMAGE", "VIDEO", "CAROUSEL_ALBUM")
_VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm")


def _media_kind(url: str) -> str:
    return "VIDEO" if url.lower().split("?")[0].endswith(_VIDEO_SUFFIXES) else "IMAGE"


def _media_spec(media_type: str, url: str, alt_text: str | None) -> PostSpec:
    return PostSpec(
        media_type=media_type,
        media_url=url,
        thumbnail_url=url if media_type == "VIDEO" else None,
        alt_text=alt_text,
    )


def authored_spec(
    *,
    text: str,
    media_type: str,
    media_urls: Sequence[str],
    reply_to: str | None,
    quote_of: str | None,
    topic_tag: str | None,
    alt_text: str | None,
) -> PostSpec:
    """A `PostSpec` for `add_post`; raises ValueError on arguments that make no post."""
    media_type = CREATE_TO_PUBLISHED.get(media_type, media_type)  # TEXT/CAROUSEL accepted too
    urls = tuple(media_urls)
    if media_type not in PUBLISHED_TYPES:
        # AUDIO, or a type Meta adds later: served as it is, with its one media_url.
        if not media_type.isupper() or len(urls) != 1:
            raise ValueError(
                f"media_type must be one of {PUBLISHED_TYPES}, or AUDIO (or another upper-case"
                f" type) with one media url, not {media_type!r}"
            )
        return PostSpec(
            media_type=media_type, text=text, media_url=urls[0], reply_to=reply_to,
            quote_of=quote_of, topic_tag=topic_tag,
        )  # fmt: skip
    base = PostSpec(
        media_type=media_type, text=text, reply_to=reply_to, quote_of=quote_of, topic_tag=topic_tag
    )
    if media_type == "TEXT_POST":
        if urls:
            raise ValueError("a TEXT_POST takes no media_urls")
        return base
    if media_type in ("IMAGE", "VIDEO"):
        if len(urls) != 1:
            raise ValueError(f"an {media_type} post takes exactly one media url")
        media = _media_spec(media_type, urls[0], alt_text)
        return replace(
            base, media_url=media.media_url, thumbnail_url=media.thumbnail_url, alt_text=alt_text
        )
    if not 2 <= len(urls) <= 20:
        raise ValueError("a CAROUSEL_ALBUM takes 2 to 20 media urls")
    return replace(base, children=tuple(_media_spec(_media_kind(u), u, alt_text) for u in urls))
