"""Discord's error shapes: `{"message", "code"[, "errors"]}` with the HTTP status, raised by
handlers as `DiscordError`; `FormErrors` builds the nested `errors` tree of a 50035."""

from __future__ import annotations

from typing import Any


class DiscordError(Exception):
    """A refused REST call: HTTP `status`, Discord's `message` and JSON error `code`."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int = 0,
        errors: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {message} (code {code})")
        self.status = status
        self.message = message
        self.code = code
        self.errors = errors

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors:
            body["errors"] = self.errors
        return body


class FakeBug(AssertionError):
    """The fake itself misbehaved; answered as a loud 500 and recorded."""


def not_found() -> DiscordError:
    return DiscordError(404, "404: Not Found")


def unauthorized() -> DiscordError:
    return DiscordError(401, "401: Unauthorized")


def unknown(what: str, code: int) -> DiscordError:
    """`Unknown Channel` (10003), `Unknown Message` (10008), ... as 404."""
    return DiscordError(404, f"Unknown {what}", code)


def missing_access() -> DiscordError:
    return DiscordError(403, "Missing Access", 50001)


UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_WEBHOOK = 10015
UNKNOWN_INTERACTION = 10062


class FormErrors:
    """Collects field errors into Discord's nested tree:
    `{"embeds": {"0": {"title": {"_errors": [{"code": ..., "message": ...}]}}}}`."""

    def __init__(self) -> None:
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_long(self, path: tuple[str | int, ...], limit: int) -> None:
        self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def __bool__(self) -> bool:
        return bool(self.tree)

    def raise_if_any(self) -> None:
        if self.tree:
            raise invalid_form_body(self.tree)


def invalid_form_body(errors: dict[str, Any]) -> DiscordError:
    return DiscordError(400, "Invalid Form Body", 50035, errors)


def field_error(path: tuple[str | int, ...], code: str, message: str) -> DiscordError:
    """A 50035 with one field error."""
    errors = FormErrors()
    errors.add(path, code, message)
    return invalid_form_body(errors.tree)
