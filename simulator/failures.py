"""Failure injection: make the next N matching Graph requests fail in a chosen way.

A rule matches by HTTP method and an fnmatch pattern on the path without the `/v1.0` prefix
("/me/threads", "/*/threads_publish", "*"). Kinds:

* `server_error` - HTTP 500 (or `status`) with Graph code 1 (or `code`, e.g. 2), transient;
* `timeout` - the response is held until the simulator stops, so the client times out;
* `lost_response` - the request is carried out, then its answer is held like `timeout`: the
  case where a publish happened but the client never heard of it;
* `rate_limit` - HTTP 400 with code 4 (or 17, 32, 613), transient;
* `auth` - HTTP 400 with code 190, as for a revoked token;
* `custom` - exactly `status` and `body`.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import GraphError, json_response

log = logging.getLogger(__name__)

KINDS = ("server_error", "timeout", "lost_response", "rate_limit", "auth", "custom")

_SERVER_MESSAGES = {
    1: "An unknown error has occurred.",
    2: "Service temporarily unavailable",
}
_RATE_LIMIT_MESSAGES = {
    4: "Application request limit reached",
    17: "User request limit reached",
    32: "Page request limit reached",
    613: "Calls to this api have exceeded the rate limit.",
}


@dataclass(slots=True)
class FailureRule:
    """One armed failure; `remaining` counts down as matching requests arrive."""

    method: str
    path: str
    kind: str
    remaining: int
    status: int | None = None
    body: Any = None
    code: int | None = None

    def matches(self, method: str, paths: Iterable[str]) -> bool:
        if self.method not in ("*", method.upper()):
            return False
        return any(fnmatch.fnmatchcase(path, self.path) for path in paths)

    def response(self) -> web.Response:
        """The canned response for every kind but `timeout`."""
        if self.kind == "custom":
            if isinstance(self.body, str | bytes):
                return web.Response(status=self.status or 500, body=self.body)
            return json_response(self.body, status=self.status or 500)
        return self.error().response()

    def error(self) -> GraphError:
        if self.kind == "server_error":
            code = self.code or 1
            return GraphError(
                _SERVER_MESSAGES.get(code, "An unexpected error has occurred."),
                code=code,
                status=self.status or 500,
                is_transient=True,
            )
        if self.kind == "rate_limit":
            code = self.code or 4
            return GraphError(
                _RATE_LIMIT_MESSAGES.get(code, "Request limit reached"),
                code=code,
                status=self.status or 400,
                is_transient=True,
            )
        if self.kind == "auth":
            return GraphError(
                "Invalid OAuth access token - Cannot parse access token",
                code=self.code or 190,
                status=self.status or 400,
            )
        # A held request that is released at stop(): the client has given up by then.
        return GraphError(
            "The request timed out", code=2, status=self.status or 504, is_transient=True
        )


class FailurePlan:
    """The armed rules, consumed in the order they were added."""

    def __init__(self) -> None:
        self._rules: list[FailureRule] = []

    def add(
        self,
        method: str,
        path: str,
        kind: str,
        *,
        times: int = 1,
        status: int | None = None,
        body: Any = None,
        code: int | None = None,
    ) -> FailureRule:
        if kind not in KINDS:
            raise ValueError(f"unknown failure kind {kind!r}; expected one of {KINDS}")
        if times < 1:
            raise ValueError("times must be at least 1")
        if kind == "custom" and (status is None or body is None):
            raise ValueError("a custom failure needs both status and body")
        rule = FailureRule(method.upper(), path, kind, times, status, body, code)
        self._rules.append(rule)
        log.debug("armed %s failure for %s %s x%d", kind, rule.method, path, times)
        return rule

    def take(self, method: str, paths: Iterable[str]) -> FailureRule | None:
        """The first armed rule matching the request, counted down (and dropped when spent)."""
        candidates = tuple(paths)
        for rule in self._rules:
            if rule.matches(method, candidates):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self._rules.remove(rule)
                return rule
        return None

    def clear(self) -> None:
        self._rules.clear()
