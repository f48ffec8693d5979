"""Discord's rate limits as the fake models them: fixed windows per route bucket and major
parameter, plus the global per-token limit, reported in X-RateLimit-* headers.

* global: `global_per_second` requests per second for calls made with the bot token
  (interaction callbacks and webhook calls by token are exempt, as on Discord);
* channel messages (POST /channels/{id}/messages): 5 per 5 s per channel;
* webhook executes (POST /webhooks/{id}/{token}, incl. interaction followups): 5 per 2 s per
  webhook;
* every other route: `route_default` per route and major parameter (generous);
* interaction callbacks: not limited.

A request answered 429 costs nothing; any other answer (errors included) counts, as on
Discord. The published numbers are only "about"; clients should read the headers.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import DiscordError

MESSAGES = "channel-messages"
WEBHOOK = "webhook-execute"
DEFAULT = "route"
K = TypeVar("K")


@dataclass
class RateLimits:
    """Tunable limits as (requests, per seconds); `enabled = False` switches them off (and
    the X-RateLimit-* headers with them)."""

    enabled: bool = True
    global_per_second: int = 50
    channel_messages: tuple[int, float] = (5, 5.0)
    webhook_executes: tuple[int, float] = (5, 2.0)
    route_default: tuple[int, float] = (50, 1.0)

    def for_bucket(self, bucket: str) -> tuple[int, float]:
        if bucket == MESSAGES:
            return self.channel_messages
        if bucket == WEBHOOK:
            return self.webhook_executes
        return self.route_default


class RateLimited(DiscordError):
    """A 429 with Discord's body; `headers` go on the response (Via included, so clients
    treat it as Discord's own limit rather than a Cloudflare ban)."""

    def __init__(self, retry_after: float, *, is_global: bool, headers: dict[str, str]) -> None:
        super().__init__(429, "You are being rate limited.")
        self.retry_after = max(0.001, round(retry_after, 3))
        self.is_global = is_global
        self.headers = headers | {
            "Retry-After": str(max(1, math.ceil(self.retry_after))),
            "X-RateLimit-Scope": "global" if is_global else "user",
            "Via": "1.1 google",
        }
        if is_global:
            self.headers["X-RateLimit-Global"] = "true"

    def body(self) -> dict[str, object]:
        return {"message": self.message, "retry_after": self.retry_after, "global": self.is_global}


@dataclass
class _Window:
    start: float
    count: int = 0


@dataclass
class RateLimiter:
    limits: RateLimits
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    _windows: dict[tuple[str, str], _Window] = field(default_factory=dict)
    _global: dict[str, _Window] = field(default_factory=dict)

    def reset(self) -> None:
        """Forget all history (as after a quiet minute)."""
        self._windows.clear()
        self._global.clear()

    def admit(self, bucket: str | None, major: str, *, token_global: str | None) -> dict[str, str]:
        """Count one request, or raise RateLimited. Returns the X-RateLimit-* headers."""
        if not self.limits.enabled:
            return {}
        now = self.clock()
        if token_global is not None:
            window = self._current(self._global, token_global, now, 1.0)
            if window.count >= self.limits.global_per_second:
                raise RateLimited(window.start + 1.0 - now, is_global=True, headers={})
        if bucket is None:
            if token_global is not None:
                self._global[token_global].count += 1
            return {}
        limit, per = self.limits.for_bucket(bucket)
        window = self._current(self._windows, (bucket, major), now, per)
        reset_after = window.start + per - now
        if window.count >= limit:
            headers = self._headers(bucket, limit, 0, reset_after)
            raise RateLimited(reset_after, is_global=False, headers=headers)
        window.count += 1
        if token_global is not None:
            self._global[token_global].count += 1
        return self._headers(bucket, limit, limit - window.count, reset_after)

    def _current(self, table: dict[K, _Window], key: K, now: float, per: float) -> _Window:
        window = table.get(key)
        if window is None or now >= window.start + per:
            window = table[key] = _Window(now)
        return window

    def _headers(
        self, bucket: str, limit: int, remaining: int, reset_after: float
    ) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": f"{self.wall() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": hashlib.sha256(bucket.encode()).hexdigest()[:32],
        }
