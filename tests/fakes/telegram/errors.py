"""Telegram's error shapes: what a refused call answers, as an exception handlers can raise."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A refused Bot API call: HTTP `status`, Telegram's `description`, optional `parameters`."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram sends for this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    """400 with Telegram's `Bad Request: ` prefix."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """403 with Telegram's `Forbidden: ` prefix."""
    return ApiError(403, f"Forbidden: {detail}")


def too_many_requests(retry_after: int) -> ApiError:
    """429 flood error; `retry_after` is whole seconds, at least 1."""
    retry_after = max(1, int(retry_after))
    return ApiError(
        429,
        f"Too Many Requests: retry after {retry_after}",
        {"retry_after": retry_after},
    )


class FakeBug(AssertionError):
    """The fake itself misbehaved (e.g. a handler read a parameter it does not declare)."""
