"""Threads failures in words a chat user can act on."""

from __future__ import annotations

from bot.threads.errors import (
    AuthError,
    ContainerFailed,
    InvalidParameter,
    MediaDownloadFailed,
    NotReady,
    PermissionDenied,
    PublishOutcomeUnknown,
    PublishTimeout,
    RateLimited,
    ThreadsError,
    TransientError,
)
from bot.threads.publish import ChainIncomplete


def explain(error: ThreadsError) -> str:
    if isinstance(error, ChainIncomplete):
        links = ", ".join(p.permalink or p.id for p in error.published)
        return f"{error.reason}. Already published: {links}"
    if isinstance(error, AuthError):
        return (
            "The bridge's Threads login has expired or was revoked. "
            "The operator needs to renew the access token."
        )
    if isinstance(error, PermissionDenied):
        return f"Threads refused: the app is missing a permission for this ({error.reason})."
    if isinstance(error, RateLimited):
        return "Threads is limiting how often we can do that right now. Try again later."
    if isinstance(error, MediaDownloadFailed):
        return error.reason
    if isinstance(error, ContainerFailed | PublishTimeout):
        return _sentence(error.reason)
    if isinstance(error, PublishOutcomeUnknown):
        return (
            "Threads did not confirm the post. It may have been published: check the profile "
            "before trying again."
        )
    if isinstance(error, NotReady):
        return "Threads was not ready to publish. Try again in a minute."
    if isinstance(error, TransientError):
        return "Threads is having trouble right now. Try again in a minute."
    if isinstance(error, InvalidParameter):
        return f"Threads refused the request: {error.reason}"
    return f"Threads answered with an error: {error.reason}"


def _sentence(reason: str) -> str:
    return reason if reason.endswith((".", "?", "!")) else reason + "."
