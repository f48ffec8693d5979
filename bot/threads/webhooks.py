"""Threads webhooks as Meta sends them: the verification handshake, the signature and the event
envelope. Pure functions; the HTTP side is bot/runtime/webhooks.py.

Meta verifies a callback URL with `GET ?hub.mode=subscribe&hub.challenge=N&hub.verify_token=T`
and wants the challenge back. Each event is a POST of one JSON envelope (not Graph's
object/entry/changes shape):

    {"app_id": "...", "topic": "moderate", "target_id": "...", "time": 1723226877,
     "values": {"field": "replies", "value": {"id": "...", ...}}}

signed with the app secret: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SIGNATURE_HEADER = "X-Hub-Signature-256"
_PREFIX = "sha256="


class MalformedEvent(ValueError):
    """A signed body that is not a Threads webhook event (the message says what is missing)."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One event: which field fired (replies, mentions, publish, delete) and the post's id."""

    field: str
    media_id: str  # the reply, the mentioning post, the published or the deleted post
    target_id: str | None = None
    sent_at: int | None = None  # Unix seconds
    username: str | None = None


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta sends for `body`: `sha256=<hex>`."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return _PREFIX + digest


def signature_matches(body: bytes, header: str | None, app_secret: str) -> bool:
    """Whether `header` (X-Hub-Signature-256) signs exactly these bytes, compared in
    constant time."""
    if header is None or not header.startswith(_PREFIX):
        return False
    return hmac.compare_digest(sign(body, app_secret), _PREFIX + header[len(_PREFIX) :].lower())


def verification_answer(query: Mapping[str, str], verify_token: str) -> str | None:
    """The challenge to send back to a verification request, or None to refuse it."""
    token = query.get("hub.verify_token", "")
    if query.get("hub.mode") != "subscribe" or "hub.challenge" not in query:
        return None
    if not hmac.compare_digest(token.encode("utf-8"), verify_token.encode("utf-8")):
        return None
    return query["hub.challenge"]


def parse_event(payload: object) -> WebhookEvent:
    """The event in one envelope; MalformedEvent when it has no field or no post id."""
    if not isinstance(payload, Mapping):
        raise MalformedEvent("not a JSON object")
    values = payload.get("values")
    if not isinstance(values, Mapping):
        raise MalformedEvent("no values")
    field = values.get("field")
    value = values.get("value")
    if not isinstance(field, str) or not field:
        raise MalformedEvent("no values.field")
    if not isinstance(value, Mapping):
        raise MalformedEvent("no values.value")
    media_id = _text(value.get("id"))
    if media_id is None:
        raise MalformedEvent("no values.value.id")
    sent_at = payload.get("time")
    return WebhookEvent(
        field=field,
        media_id=media_id,
        target_id=_text(payload.get("target_id")),
        sent_at=sent_at if isinstance(sent_at, int) and not isinstance(sent_at, bool) else None,
        username=_text(value.get("username")),
    )


def _text(value: Any) -> str | None:
    """An id as Graph sends it: a numeric string (or, carelessly, a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    return value if isinstance(value, str) and value else None
