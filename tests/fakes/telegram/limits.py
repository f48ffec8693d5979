"""Telegram's flood control as published in the Bot FAQ (the real limits are not exact).

* overall: `overall_per_second` messages in any sliding 1 s window, across all chats;
* per chat: a token bucket of `chat_burst` messages refilled at `chat_per_second` (so about
  1 message/s with a burst of 3, and never more than 3 in a 1 s window);
* groups, supergroups and channels: `group_per_minute` messages in any sliding 60 s window.

Only accepted sending calls count (sendMediaGroup counts once). A refused call costs nothing.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .errors import too_many_requests


@dataclass
class RateLimits:
    """Tunable limits; set `enabled = False` to switch flood control off."""

    enabled: bool = True
    overall_per_second: int = 30
    chat_burst: int = 3
    chat_per_second: float = 1.0
    group_per_minute: int = 20


@dataclass
class _Bucket:
    tokens: float
    updated: float


class FloodGate:
    """Decides whether a sending call may go through now, else raises the 429 ApiError."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self._clock = clock
        self._overall: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}
        self._buckets: dict[int, _Bucket] = {}

    def now(self) -> float:
        return self._clock()

    def reset(self) -> None:
        """Forget all history (as if the bot had been quiet for a minute)."""
        self._overall.clear()
        self._groups.clear()
        self._buckets.clear()

    def admit(self, chat_id: int, chat_type: str) -> None:
        """Count one message to `chat_id`, or refuse it with 429 and retry_after."""
        if not self.limits.enabled:
            return
        now = self._clock()
        waits = [
            self._window_wait(self._overall, now, 1.0, self.limits.overall_per_second),
            self._bucket_wait(chat_id, now),
        ]
        group = None
        if chat_type != "private":
            group = self._groups.setdefault(chat_id, deque())
            waits.append(self._window_wait(group, now, 60.0, self.limits.group_per_minute))
        wait = max(waits)
        if wait > 0:
            raise too_many_requests(math.ceil(wait))
        self._overall.append(now)
        if group is not None:
            group.append(now)
        self._buckets[chat_id].tokens -= 1

    @staticmethod
    def _window_wait(window: deque[float], now: float, span: float, limit: int) -> float:
        while window and window[0] <= now - span:
            window.popleft()
        if len(window) < limit:
            return 0.0
        # The call may go once enough of the oldest entries have left the window.
        return window[len(window) - limit] + span - now

    def _bucket_wait(self, chat_id: int, now: float) -> float:
        burst, rate = self.limits.chat_burst, self.limits.chat_per_second
        bucket = self._buckets.setdefault(chat_id, _Bucket(float(burst), now))
        bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            return 0.0
        return (1 - bucket.tokens) / rate
