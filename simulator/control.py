"""The HTTP control API under `/__sim__/`, for processes that cannot call the Python API.

JSON in, JSON out, no token: the simulator binds to loopback by default and these routes
refuse anything but loopback peers. Control traffic is not recorded in the request log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .clock import format_timestamp
from .errors import json_response
from .models import SimPost, SimUser

if TYPE_CHECKING:
    from .server import ThreadsSimulator

log = logging.getLogger(__name__)

PREFIX = "/__sim__"
_LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")

ControlHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _user_json(user: SimUser) -> dict[str, Any]:
    return {"id": user.id, "username": user.username, "name": user.name, "token": user.token}


def _post_json(post: SimPost) -> dict[str, Any]:
    return {
        "id": post.id,
        "shortcode": post.shortcode,
        "permalink": post.permalink,
        "username": post.username,
        "text": post.text,
        "timestamp": format_timestamp(post.timestamp),
        "media_type": post.media_type,
    }


def _timestamp(raw: Any) -> datetime | None:
    """Unix seconds or an ISO 8601 string (Meta's `+0000` form included)."""
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return datetime.fromtimestamp(raw, UTC)
    moment = datetime.fromisoformat(str(raw))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    data = await request.json()
    if not isinstance(data, dict):
        raise ValueError("the request body must be a JSON object")
    return data


def _guarded(handler: ControlHandler) -> ControlHandler:
    """Loopback peers only; bad input becomes a 400 with the reason."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        if request.remote not in _LOOPBACK:
            return json_response({"error": "control API is loopback-only"}, status=403)
        try:
            return await handler(request)
        except (ValueError, KeyError, TypeError) as exc:
            return json_response({"error": f"{type(exc).__name__}: {exc}"}, status=400)

    return guarded


def control_routes(sim: ThreadsSimulator) -> list[web.RouteDef]:
    """The `/__sim__/` routes bound to one simulator."""

    async def add_account(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = sim.add_account(
            body["username"],
            body.get("name"),
            body.get("token"),
            biography=body.get("biography", ""),
            picture_url=body.get("picture_url"),
            is_verified=bool(body.get("is_verified", False)),
            followers=int(body.get("followers", 0)),
        )
        return json_response(_user_json(user))

    async def add_profile(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        user = sim.add_profile(
            body["username"],
            body.get("name"),
            followers=int(body.get("followers", 5000)),
            biography=body.get("biography", ""),
            is_verified=bool(body.get("is_verified", False)),
            picture_url=body.get("picture_url"),
        )
        return json_response(_user_json(user))

    async def add_post(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        post = sim.add_post(
            body["username"],
            text=body.get("text", ""),
            media_type=body.get("media_type", "TEXT_POST"),
            media_urls=tuple(body.get("media_urls", ())),
            timestamp=_timestamp(body.get("timestamp")),
            reply_to=body.get("reply_to"),
            quote_of=body.get("quote_of"),
            topic_tag=body.get("topic_tag"),
            alt_text=body.get("alt_text"),
        )
        return json_response(_post_json(post))

    async def add_failure(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        if body.get("kind") == "container":
            sim.fail_next_container(body.get("error_message", "FAILED_DOWNLOADING_VIDEO"))
        else:
            sim.fail_next(
                body.get("method", "*"),
                body.get("path", "*"),
                kind=body.get("kind", "server_error"),
                times=int(body.get("times", 1)),
                status=body.get("status"),
                body=body.get("body"),
                code=body.get("code"),
            )
        return json_response({"armed": True})

    async def advance_clock(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        sim.advance(float(body["seconds"]))
        return json_response({"now": format_timestamp(sim.now())})

    async def issue_auth_code(request: web.Request) -> web.StreamResponse:
        body = await _body(request)
        redirect_uri = body.get("redirect_uri", "https://example.com/cb")
        return json_response({"code": sim.issue_auth_code(body["username"], redirect_uri)})

    async def list_requests(request: web.Request) -> web.StreamResponse:
        return json_response({"data": [r.to_json() for r in sim.requests]})

    async def list_fetched(request: web.Request) -> web.StreamResponse:
        await sim.downloads_settled()
        return json_response({"data": [f.to_json() for f in sim.fetched]})

    async def clear_requests(request: web.Request) -> web.StreamResponse:
        cleared = len(sim.requests)
        sim.clear_requests()
        return json_response({"cleared": cleared})

    return [
        web.post(f"{PREFIX}/accounts", _guarded(add_account)),
        web.post(f"{PREFIX}/profiles", _guarded(add_profile)),
        web.post(f"{PREFIX}/posts", _guarded(add_post)),
        web.post(f"{PREFIX}/failures", _guarded(add_failure)),
        web.post(f"{PREFIX}/clock/advance", _guarded(advance_clock)),
        web.post(f"{PREFIX}/auth_codes", _guarded(issue_auth_code)),
        web.get(f"{PREFIX}/requests", _guarded(list_requests), allow_head=False),
        web.delete(f"{PREFIX}/requests", _guarded(clear_requests)),
        web.get(f"{PREFIX}/fetched", _guarded(list_fetched), allow_head=False),
    ]
