"""Reading request parameters the way graph.threads.net accepts them.

Meta's examples send everything as query string or `application/x-www-form-urlencoded` form
fields; both are merged here (form wins on a clash). JSON request bodies are not read: whether
Meta accepts them is unverified, and a client that sends one should fail loudly in tests.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from .errors import invalid_param, missing_param

log = logging.getLogger(__name__)

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def read_form(request: web.Request) -> dict[str, str]:
    """Form fields of the body (text fields only), or {} for any other body."""
    if request.content_type not in _FORM_TYPES or not request.can_read_body:
        return {}
    form = await request.post()
    return {key: value for key, value in form.items() if isinstance(value, str)}


def merge_params(query: Mapping[str, str], form: Mapping[str, str]) -> dict[str, str]:
    merged = dict(query)
    merged.update(form)
    return merged


def bearer_token(request: web.Request) -> str | None:
    """The token from `Authorization: Bearer <t>` (Graph also accepts the `OAuth` scheme)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() in ("bearer", "oauth") and value.strip():
        return value.strip()
    return None


def presented_token(request: web.Request, params: Mapping[str, str]) -> str | None:
    """The access token of a request: header first, then the `access_token` parameter."""
    return bearer_token(request) or params.get("access_token") or None


def canonical_headers(request: web.Request) -> dict[str, str]:
    """Headers with canonical capitalisation (`Authorization`), whatever the client sent."""
    return {
        "-".join(part.capitalize() for part in key.split("-")): value
        for key, value in request.headers.items()
    }


def required(params: Mapping[str, str], name: str) -> str:
    value = params.get(name, "").strip()
    if not value:
        raise missing_param(name)
    return value


def parse_bool(params: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("true", "1"):
        return True
    if lowered in ("false", "0"):
        return False
    raise invalid_param(f"Param {name} must be a boolean")


def parse_json_param(params: Mapping[str, str], name: str) -> Any:
    """An object-valued parameter (poll_attachment, text_entities, ...), sent as JSON text."""
    raw = params.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise invalid_param(f"Param {name} must be a JSON encoded string") from exc


def parse_csv(params: Mapping[str, str], name: str) -> list[str]:
    raw = params.get(name, "")
    return [part.strip() for part in raw.split(",") if part.strip()]
