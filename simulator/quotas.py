"""Rolling 24-hour quotas, measured on the simulator clock.

Limits are Meta's documented ones: 250 published posts, 1,000 replies and 100 deletes per
profile; 1,000 profile-discovery calls (profile_lookup + profile_posts share it) and 2,200
keyword searches per user.
"""

from __future__ import annotations

import logging
from collections import defaultdict, deque
from enum import StrEnum

from .clock import SimClock
from .errors import GraphError, quota_exceeded, user_rate_limited

log = logging.getLogger(__name__)

WINDOW_SECONDS = 24 * 3600


class Quota(StrEnum):
    POSTS = "posts"
    REPLIES = "replies"
    DELETES = "deletes"
    DISCOVERY = "profile discovery"
    KEYWORD_SEARCH = "keyword search"


LIMITS: dict[Quota, int] = {
    Quota.POSTS: 250,
    Quota.REPLIES: 1000,
    Quota.DELETES: 100,
    Quota.DISCOVERY: 1000,
    Quota.KEYWORD_SEARCH: 2200,
}

# Location search is documented (500 / 24 h) and reported by threads_publishing_limit, but the
# simulator has no location endpoints, so its usage is always 0.
LOCATION_SEARCH_LIMIT = 500


class QuotaLedger:
    """Event times per (quota, user id); usage is the count inside the rolling window."""

    def __init__(self, clock: SimClock) -> None:
        self._clock = clock
        self.limits = dict(LIMITS)  # a test or the demo may lower one (a small budget)
        self._events: dict[tuple[Quota, str], deque[float]] = defaultdict(deque)

    def usage(self, quota: Quota, user_id: str) -> int:
        cutoff = self._clock.now() - WINDOW_SECONDS
        # Events are not always appended in time order (seeded posts carry their own
        # timestamps), so count instead of trimming from the left.
        return sum(1 for at in self._events[(quota, user_id)] if at > cutoff)

    def record(self, quota: Quota, user_id: str, at: float | None = None) -> None:
        self._events[(quota, user_id)].append(self._clock.now() if at is None else at)

    def check(self, quota: Quota, user_id: str) -> None:
        """Raise the Graph error for `quota` when the user has no room left."""
        limit = self.limits[quota]
        if self.usage(quota, user_id) < limit:
            return
        log.info("simulated quota %s exhausted for user %s", quota.value, user_id)
        raise self._error(quota, limit)

    @staticmethod
    def _error(quota: Quota, limit: int) -> GraphError:
        if quota in (Quota.DISCOVERY, Quota.KEYWORD_SEARCH):
            return user_rate_limited(quota.value, limit)
        return quota_exceeded(quota.value, limit)
