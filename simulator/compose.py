"""Validation of POST /{user}/threads parameters into a `PostSpec`, with Meta's limits.

Limits (from Meta's publishing reference): text at most 500 characters counted in UTF-8
bytes, polls of 2-4 options of 1-25 characters on text posts only, topic tags of 1-50
characters without `.` or `&`, link attachments on text posts only, alt text at most 1,000
characters, at most 5 unique links per post, text attachments at most 10,000 characters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from .errors import GraphError, invalid_param, missing_param
from .models import CREATE_TO_PUBLISHED, PostSpec
from .params import parse_bool, parse_json_param, required
from .state import SimState

log = logging.getLogger(__name__)

TEXT_LIMIT_BYTES = 500
ALT_TEXT_LIMIT = 1000
TEXT_ATTACHMENT_LIMIT = 10_000
LINK_LIMIT = 5
POLL_KEYS = ("option_a", "option_b", "option_c", "option_d")
REPLY_CONTROLS = (
    "everyone",
    "accounts_you_follow",
    "mentioned_only",
    "parent_post_author_only",
    "followers_only",
)
GIF_URLS = {
    "GIPHY": "https://media.giphy.com/media/{}/giphy.gif",
    "TENOR": "https://media.tenor.com/{}/tenor.gif",  # older docs and Postman still list it
}
_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)


def _check_url(name: str, value: str) -> str:
    if not value.lower().startswith(("http://", "https://")):
        raise invalid_param(f"Param {name} must be a valid URL")
    return value


def _check_text(text: str) -> None:
    # Meta counts bytes, not characters: 250 "é" fit, 251 do not (a real, frequent failure).
    if len(text.encode("utf-8")) > TEXT_LIMIT_BYTES:
        raise invalid_param("Param text must be at most 500 characters long")


def _check_topic_tag(tag: str) -> None:
    if not 1 <= len(tag) <= 50 or "." in tag or "&" in tag:
        raise invalid_param(
            "Param topic_tag must be 1-50 characters long and cannot contain '.' or '&'"
        )


def _poll_options(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, dict) or any(key not in POLL_KEYS for key in raw):
        raise invalid_param("Param poll_attachment must be an object with option_a..option_d")
    options: list[str] = []
    for key in POLL_KEYS:
        value = raw.get(key)
        if value is None:
            break  # options are positional: option_c needs option_b, option_d needs option_c
        if not isinstance(value, str) or not 1 <= len(value) <= 25:
            raise invalid_param(f"Poll option {key} must be 1-25 characters long")
        options.append(value)
    if len(options) < 2 or len(options) != len(raw):
        raise invalid_param("Param poll_attachment must have 2 to 4 options, in order")
    return tuple(options)


def _gif_url(raw: Any) -> str:
    if not isinstance(raw, dict) or not isinstance(raw.get("gif_id"), str):
        raise invalid_param("Param gif_attachment must be an object with gif_id and provider")
    template = GIF_URLS.get(str(raw.get("provider", "")).upper())
    if template is None:
        raise invalid_param("Param gif_attachment.provider must be GIPHY")
    return template.format(raw["gif_id"])


def _text_attachment(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("plaintext"), str):
        raise invalid_param("Param text_attachment must be an object with plaintext")
    if len(raw["plaintext"]) > TEXT_ATTACHMENT_LIMIT:
        raise invalid_param("Param text_attachment.plaintext must be at most 10000 characters")
    return raw


def _reply_audience(params: Mapping[str, str]) -> str:
    raw = params.get("reply_control", "").strip()
    if not raw:
        return "EVERYONE"
    # The docs use lowercase; one client library sends uppercase. Accept both, report upper.
    if raw.lower() not in REPLY_CONTROLS:
        raise invalid_param("Param reply_control must be one of " + ", ".join(REPLY_CONTROLS))
    return raw.upper()


def _existing_post(state: SimState, params: Mapping[str, str], name: str) -> str | None:
    post_id = params.get(name, "").strip()
    if not post_id:
        return None
    if state.live_post(post_id) is None:
        raise invalid_param(f"Param {name} must be the id of an existing post")
    return post_id


def create_media_type(params: Mapping[str, str]) -> str:
    """The create-side media type (TEXT, IMAGE, VIDEO, CAROUSEL)."""
    media_type = params.get("media_type", "").strip()
    if not media_type:
        raise missing_param("media_type")
    if media_type not in CREATE_TO_PUBLISHED:
        raise invalid_param("Param media_type must be one of TEXT, IMAGE, VIDEO, CAROUSEL")
    return media_type


def compose_spec(
    state: SimState, params: Mapping[str, str], children: tuple[PostSpec, ...] = ()
) -> PostSpec:
    """Validate the post-level parameters of a container; raise code 100 on the first fault."""
    media_type = create_media_type(params)
    is_text = media_type == "TEXT"
    text = params.get("text", "")
    _check_text(text)

    link = params.get("link_attachment", "").strip() or None
    poll_raw = parse_json_param(params, "poll_attachment")
    text_attachment_raw = parse_json_param(params, "text_attachment")
    gif_raw = parse_json_param(params, "gif_attachment")
    for name, value in (
        ("link_attachment", link),
        ("poll_attachment", poll_raw),
        ("text_attachment", text_attachment_raw),
        ("gif_attachment", gif_raw),
    ):
        if value is not None and not is_text:
            raise invalid_param(f"Param {name} is only supported on TEXT posts")
    if poll_raw is not None and (link is not None or text_attachment_raw is not None):
        raise invalid_param("A poll cannot be combined with a link or text attachment")
    if is_text and not text.strip() and link is None:
        raise missing_param("text")

    links = {match.rstrip(".,;:!?)") for match in _URL.findall(text)}
    if link is not None:
        links.add(_check_url("link_attachment", link))
    if len(links) > LINK_LIMIT:
        raise GraphError(
            "THREADS_API__LINK_LIMIT_EXCEEDED: a post can contain at most 5 unique links",
            code=100,
            type="THApiException",
        )

    alt_text = params.get("alt_text") or None
    if alt_text is not None and (is_text or len(alt_text) > ALT_TEXT_LIMIT):
        raise invalid_param("Param alt_text must be at most 1000 characters, on media posts")
    topic_tag = params.get("topic_tag") or None
    if topic_tag is not None:
        _check_topic_tag(topic_tag)
    text_attachment = (
        None if text_attachment_raw is None else _text_attachment(text_attachment_raw)
    )
    text_entities = parse_json_param(params, "text_entities")
    if text_entities is not None and not isinstance(text_entities, list):
        raise invalid_param("Param text_entities must be a list")

    reply_approvals = parse_bool(params, "enable_reply_approvals", default=False)
    ghost = parse_bool(params, "is_ghost_post", default=False)
    if ghost and (not is_text or params.get("reply_to_id")):
        raise invalid_param("Param is_ghost_post is only supported on TEXT posts, not replies")

    media_url = None
    if media_type == "IMAGE":
        media_url = _check_url("image_url", required(params, "image_url"))
    elif media_type == "VIDEO":
        media_url = _check_url("video_url", required(params, "video_url"))

    return PostSpec(
        media_type=CREATE_TO_PUBLISHED[media_type],
        text=text,
        media_url=media_url,
        # The simulator renders no frames; the video URL stands in for its thumbnail.
        thumbnail_url=media_url if media_type == "VIDEO" else None,
        children=children,
        alt_text=alt_text,
        reply_approvals=reply_approvals,
        link_attachment_url=link,
        reply_to=_existing_post(state, params, "reply_to_id"),
        quote_of=_existing_post(state, params, "quote_post_id"),
        topic_tag=topic_tag,
        poll_options=() if poll_raw is None else _poll_options(poll_raw),
        is_spoiler_media=parse_bool(params, "is_spoiler_media"),
        text_entities=text_entities,
        text_attachment=text_attachment,
        gif_url=None if gif_raw is None else _gif_url(gif_raw),
        is_ghost_post=ghost,
        location_id=params.get("location_id") or None,
        reply_audience=_reply_audience(params),
    )
