"""The Threads error tree, classified from the Graph error body rather than the HTTP status.

    ThreadsError                      anything that went wrong talking to Threads
    +-- AuthError                     190 / 102: token expired, invalid or revoked; re-authorize
                                      (and 100 "does not exist" on /me: see `rejected_token`)
    +-- PermissionDenied              10, 200-299, 3: a scope or Advanced Access is missing
    +-- RateLimited                   4, 17, 32, 613, 341 and quota exhaustion: wait, then retry
    +-- NotReady                      24 / 4279009: the container is still processing
    +-- InvalidParameter              100 (and other 4xx-ish codes): fix the request, do not retry
    +-- TransientError                is_transient, 1, 2, HTTP 5xx, timeouts, connection errors
    +-- ContainerFailed               a media container ended in ERROR or EXPIRED
    +-- MediaDownloadFailed           1 / 2207052: Meta could not fetch the image; do not retry
    +-- PublishTimeout                a container did not finish processing within the bound
    +-- PublishOutcomeUnknown         publish may or may not have happened; reconcile, never repost

Meta uses `type: OAuthException` for errors that have nothing to do with tokens (code 24 "Media
Not Found", code 1 media failures), and transient failures arrive with 400 as often as with 500,
so the code, subcode and `is_transient` flag decide the class, never the status or the type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.threads.coerce import as_int

_AUTH_CODES = frozenset({190, 102})
_PERMISSION_CODES = frozenset({3, 10, *range(200, 300)})
_RATE_LIMIT_CODES = frozenset({4, 17, 32, 341, 613, *range(80001, 80009)})
_TRANSIENT_CODES = frozenset({1, 2})
_NOT_READY = (24, 4279009)
# Code 1 is Meta's "unknown error", transient in general; with subcode 2207052 it is Meta failing
# to download (or accept) `image_url` at container creation, which a retry does not fix.
_MEDIA_DOWNLOAD = (1, 2207052)
MEDIA_DOWNLOAD_REASON = (
    "Meta could not download the image; is [media] public_url reachable from the internet?"
)


class ThreadsError(Exception):
    """Base of every Threads failure.

    `reason` is a sentence safe to show a chat user; it never contains a token.
    """

    def __init__(
        self,
        reason: str,
        *,
        code: int | None = None,
        subcode: int | None = None,
        http_status: int | None = None,
        fbtrace_id: str | None = None,
        user_title: str | None = None,
        user_message: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.subcode = subcode
        self.http_status = http_status
        self.fbtrace_id = fbtrace_id
        self.user_title = user_title
        self.user_message = user_message

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed later without any change."""
        return False

    def __str__(self) -> str:
        parts = [self.reason]
        if self.code is not None:
            parts.append(f"(code {self.code}" + (f"/{self.subcode})" if self.subcode else ")"))
        return " ".join(parts)


class AuthError(ThreadsError):
    """The access token is expired, invalid or revoked (code 190)."""


class PermissionDenied(ThreadsError):
    """The token lacks a scope, or the app lacks Advanced Access, for this call."""


class RateLimited(ThreadsError):
    """A rate limit or a publishing quota was hit; the call may succeed later."""

    def __init__(self, reason: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(reason, **kw)
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return True


class NotReady(ThreadsError):
    """The container is not ready to publish yet (24 / 4279009)."""

    @property
    def retryable(self) -> bool:
        return True


class InvalidParameter(ThreadsError):
    """The request itself is wrong: too long a text, a bad id, an unknown field."""


class TransientError(ThreadsError):
    """A temporary failure on Meta's side or on the way there."""

    @property
    def retryable(self) -> bool:
        return True


class ContainerFailed(ThreadsError):
    """A media container ended in ERROR (with Meta's error_message) or EXPIRED."""

    def __init__(self, reason: str, *, container_id: str, status: str, **kw: Any) -> None:
        super().__init__(reason, **kw)
        self.container_id = container_id
        self.status = status


class MediaDownloadFailed(ThreadsError):
    """Meta could not download a media URL when the container was created (1 / 2207052).

    Meta fetches `image_url` itself, from the open internet: the file host must be reachable
    from there and serve a JPEG or PNG. Sending the same request again does not help.
    """


class PublishTimeout(ThreadsError):
    """A container was still processing when the wait bound ran out."""

    def __init__(self, reason: str, *, container_id: str, **kw: Any) -> None:
        super().__init__(reason, **kw)
        self.container_id = container_id


class PublishOutcomeUnknown(ThreadsError):
    """Publishing failed in a way that does not tell whether the post went out.

    The container id is kept so the outcome can be settled from the container's status.
    """

    def __init__(self, reason: str, *, container_id: str, **kw: Any) -> None:
        super().__init__(reason, **kw)
        self.container_id = container_id


def classify_graph_error(status: int, body: Mapping[str, Any] | None) -> ThreadsError:
    """Turn an error response into the matching ThreadsError subclass.

    `body` is the decoded JSON (or None when it was not JSON). Handles both the Graph envelope
    `{"error": {...}}` and the flat shape the OAuth code exchange uses.
    """
    error = _error_object(body)
    if error is None:
        reason = f"Threads answered HTTP {status} without an error description"
        if status >= 500 or status == 429:
            return TransientError(reason, http_status=status)
        return ThreadsError(reason, http_status=status)

    code = as_int(error.get("code"))
    subcode = as_int(error.get("error_subcode"))
    message = str(error.get("message") or error.get("error_message") or "unknown error")
    kw: dict[str, Any] = {
        "code": code,
        "subcode": subcode,
        "http_status": status,
        "fbtrace_id": error.get("fbtrace_id"),
        "user_title": error.get("error_user_title"),
        "user_message": error.get("error_user_msg"),
    }
    if code in _AUTH_CODES:
        return AuthError(f"The Threads access token was rejected: {message}", **kw)
    if (code, subcode) == _NOT_READY:
        return NotReady(message, **kw)
    if (code, subcode) == _MEDIA_DOWNLOAD:
        return MediaDownloadFailed(MEDIA_DOWNLOAD_REASON, **kw)
    if code in _RATE_LIMIT_CODES:
        return RateLimited(f"Threads rate limit reached: {message}", **kw)
    if code in _PERMISSION_CODES:
        return PermissionDenied(f"Threads refused permission: {message}", **kw)
    if error.get("is_transient") is True or code in _TRANSIENT_CODES:
        return TransientError(f"Threads had a temporary problem: {message}", **kw)
    if code == 100 or (code is not None and status < 500):
        return InvalidParameter(message, **kw)
    if status >= 500:
        return TransientError(f"Threads had a temporary problem: {message}", **kw)
    return ThreadsError(message, **kw)


def rejected_token(error: InvalidParameter) -> AuthError | None:
    """The AuthError a code-100 "does not exist" answer on `/me` stands for, else None.

    `/me` always exists for a working token, yet a token that has died (app removed, account
    gone) can get code 100 "The requested resource does not exist" there instead of 190. Read
    as a bad parameter it would be logged and forgotten; it is a token to renew. Other 100s
    (a field Threads does not know, a bad value) stay bad requests.
    """
    reason = error.reason.lower()
    if error.code != 100 or "does not exist" not in reason or "field" in reason:
        return None
    return AuthError(
        f"The Threads access token was rejected: /me answered {error.reason!r}, "
        "which Threads says for a token that no longer works",
        code=error.code,
        subcode=error.subcode,
        http_status=error.http_status,
        fbtrace_id=error.fbtrace_id,
        user_title=error.user_title,
        user_message=error.user_message,
    )


def _error_object(body: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    if not isinstance(body, Mapping):
        return None
    nested = body.get("error")
    if isinstance(nested, Mapping):
        return nested
    if "error_message" in body or "error_type" in body:
        return body  # the flat OAuth shape
    return None
