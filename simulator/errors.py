"""Error responses shaped like graph.threads.net's.

Two shapes exist on the wire:

* the Graph envelope `{"error": {message, type, code, error_subcode?, is_transient,
  error_user_title?, error_user_msg?, fbtrace_id}}` used by every Graph endpoint;
* the flat OAuth shape `{"error_type", "code", "error_message"}` used only by the
  authorization-code exchange (POST /oauth/access_token).

Handlers raise `GraphError` / `FlatOAuthError`; the dispatcher turns them into responses.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from datetime import datetime
from typing import Any

from aiohttp import web

from .clock import format_timestamp

log = logging.getLogger(__name__)


# A UTF-16 surrogate without its other half (an emoji cut in two): Graph sends it as a `\ud83d`
# escape, which is valid JSON but cannot be encoded as UTF-8 as it is.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _compact_json(data: Any) -> str:
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    # Outside strings JSON has no such characters, so escaping them in place stays valid.
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """A JSON response serialised compactly, as Meta sends it."""
    return web.json_response(data, status=status, headers=headers, dumps=_compact_json)


def fbtrace_id() -> str:
    """A support trace id like `A-ptA4ve9FlWkRMi935kaIS` (different on every error)."""
    return "A" + secrets.token_urlsafe(17)[:22]


class SimError(Exception):
    """Base of the errors a handler may raise; knows its own HTTP rendering."""

    status: int = 400

    def body(self) -> dict[str, Any]:
        raise NotImplementedError

    def headers(self) -> dict[str, str]:
        return {}

    def response(self) -> web.Response:
        return json_response(self.body(), status=self.status, headers=self.headers())


class GraphError(SimError):
    """A Graph API error in the standard `{"error": {...}}` envelope."""

    def __init__(
        self,
        message: str,
        *,
        code: int,
        type: str = "OAuthException",  # the wire name, shadowing is harmless here
        subcode: int | None = None,
        status: int = 400,
        is_transient: bool = False,
        user_title: str | None = None,
        user_msg: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.type = type
        self.subcode = subcode
        self.status = status
        self.is_transient = is_transient
        self.user_title = user_title
        self.user_msg = user_msg

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"message": self.message, "type": self.type, "code": self.code}
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        error["is_transient"] = self.is_transient
        if self.user_title is not None:
            error["error_user_title"] = self.user_title
        if self.user_msg is not None:
            error["error_user_msg"] = self.user_msg
        error["fbtrace_id"] = fbtrace_id()
        return {"error": error}

    def headers(self) -> dict[str, str]:
        # Graph adds this header to token errors; some OAuth client libraries look for it.
        if self.code == 190:
            return {
                "WWW-Authenticate": f'OAuth "Facebook Platform" "invalid_token" "{self.message}"'
            }
        return {}


class FlatOAuthError(SimError):
    """The flat failure shape of POST /oauth/access_token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error_type": "OAuthException", "code": 400, "error_message": self.message}


# --- builders for the errors the simulator raises in more than one place -----------------------


def invalid_token() -> GraphError:
    return GraphError("Invalid OAuth access token - Cannot parse access token", code=190)


def revoked_token() -> GraphError:
    return GraphError(
        "Error validating access token: The user has not authorized application.",
        code=190,
        subcode=458,
    )


def resource_gone() -> GraphError:
    """What `/me` answers for a token whose app authorization or account is gone."""
    return GraphError("The requested resource does not exist", code=100)


def expired_token(expired_at: datetime, now: datetime) -> GraphError:
    return GraphError(
        f"Error validating access token: Session has expired on {format_timestamp(expired_at)}."
        f" The current time is {format_timestamp(now)}.",
        code=190,
        subcode=463,
    )


def nonexisting_field(name: str) -> GraphError:
    return GraphError(
        f"Tried accessing nonexisting field ({name})", code=100, type="THApiException"
    )


def invalid_param(message: str) -> GraphError:
    """Code 100: a parameter is missing, malformed or out of range (never retryable)."""
    return GraphError(message, code=100, type="THApiException")


def missing_param(name: str) -> GraphError:
    return invalid_param(f"The parameter {name} is required")


def unsupported_request(method: str, object_id: str) -> GraphError:
    """Graph's reply for an id that does not exist or that the token may not touch."""
    return GraphError(
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist,"
        " cannot be loaded due to missing permissions, or does not support this operation.",
        code=100,
        subcode=33,
        type="GraphMethodException",
    )


def media_not_found(media_id: str) -> GraphError:
    """24 / 4279009, what publishing a container that is not ready returns."""
    return GraphError(
        "The requested resource does not exist",
        code=24,
        subcode=4279009,
        user_title="Media Not Found",
        user_msg=f"The media with id {media_id} cannot be found.",
    )


def media_download_failed() -> GraphError:
    """1 / 2207052: Meta could not download image_url, or what it got is not a JPEG or PNG.

    The Threads reference reports this pair, with "An unknown error occurred", for image posts
    whose URL Meta cannot fetch or accept at container creation (threads-api.md §3, the code 1
    row at line 478, and §6 item 7 at lines 567-568). The user title and message are those
    Meta gives 2207052 ("Media download has failed.") on its Instagram Graph API. Not transient:
    the same URL fails again until its host is fixed.
    """
    return GraphError(
        "An unknown error occurred",
        code=1,
        subcode=2207052,
        user_title="Media download has failed.",
        user_msg="The media could not be downloaded from the URI provided.",
    )


def quota_exceeded(what: str, limit: int) -> GraphError:
    """A per-profile 24 h quota (posts, replies, deletes) is used up.

    Meta does not document the body. Code 4 is the Graph rate-limit code clients already
    back off on; `is_transient` is false because retrying soon cannot help: the window is a
    rolling 24 h, and `threads_publishing_limit` tells when room comes back.
    """
    return GraphError(
        f"The user has reached the limit of {limit} {what} in a rolling 24 hour window",
        code=4,
        user_title="Limit reached",
        user_msg=f"You can't create more than {limit} {what} in 24 hours. Try again later.",
    )


def user_rate_limited(what: str, limit: int) -> GraphError:
    """A per-user request budget (profile discovery, keyword search) is used up.

    Code 17 is Graph's "User request limit reached"; these budgets are documented per user,
    so the user-level code fits better than the app-level 4. Not transient: rolling 24 h.
    """
    return GraphError(
        f"User request limit reached: {limit} {what} requests per rolling 24 hours",
        code=17,
    )
