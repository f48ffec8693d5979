"""Housekeeping jobs: keep the Threads token alive, snapshot the quota, prune old rows.

Each job is a coroutine: the scheduler runs them on the event loop, where the database lives.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.runtime.alerts import Alerts
from bot.runtime.credentials import refresh_stored
from bot.threads.client import ThreadsClient
from bot.threads.errors import AuthError, ThreadsError
from bot.threads.models import PublishingLimit
from storage.store import Store

log = logging.getLogger(__name__)

DAY = 86400.0
REFRESH_WHEN_LEFT = 7 * DAY  # refresh once fewer than seven days remain...
REFRESH_MIN_AGE = 1 * DAY  # ...but never before Meta allows it (24 h after issue)
KEEP_FINISHED_ROWS = 30 * DAY


class Maintenance:
    """The jobs `BridgeApp` schedules (see `_schedule_housekeeping` there)."""

    def __init__(
        self,
        store: Store,
        threads: ThreadsClient,
        alerts: Alerts,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._threads = threads
        self._alerts = alerts
        self._clock = clock
        self._token_in_use: str | None = None
        self.last_quota: PublishingLimit | None = None

    def use_token(self, token: str) -> None:
        """The token the client was built with."""
        self._token_in_use = token

    async def pick_up_stored_token(self) -> bool:
        """Switch to a token `threads-bridge auth` stored while we run. True if it changed."""
        stored = self._store.tokens.get()
        if stored is None or stored.token == self._token_in_use:
            return False
        self._threads.set_access_token(stored.token)
        self._token_in_use = stored.token
        self._alerts.clear("token")
        log.info("now using the Threads token stored by %s", stored.source)
        return True

    async def refresh_token_if_due(self) -> None:
        stored = self._store.tokens.get()
        if stored is None:
            return
        now = self._clock()
        if now - stored.obtained_at < REFRESH_MIN_AGE:
            return
        # An unknown expiry (a token pasted into the configuration) is refreshed as soon as
        # Meta allows: that is how we learn when it expires.
        if stored.expires_at is not None and stored.expires_at - now > REFRESH_WHEN_LEFT:
            return
        try:
            refreshed = await refresh_stored(self._threads, self._store)
        except AuthError as exc:
            await self._token_trouble(
                f"The Threads token was rejected ({exc.reason}). Sign in again with "
                "`threads-bridge auth url` and `threads-bridge auth exchange`.",
                exc,
            )
            return
        except ThreadsError as exc:
            await self._token_trouble(
                f"Refreshing the Threads token failed ({exc.reason}); the bridge keeps running "
                "and tries again within the hour.",
                exc,
            )
            return
        self._token_in_use = refreshed.token
        self._alerts.clear("token")
        log.info("refreshed the Threads token; it now expires at %s", refreshed.expires_at)

    async def token_rejected(self, error: AuthError) -> None:
        """A poll or a command got 190: the token is dead until someone signs in again. The
        bridge keeps polling (each poll fails) and picks up a new token without a restart."""
        await self._token_trouble(
            f"Threads rejected the bridge's access token ({error.reason}). Until it is "
            "renewed, no new posts arrive and publishing fails; the bridge keeps trying. Sign "
            "in again with `threads-bridge auth url` and `threads-bridge auth exchange`: the "
            "running bridge uses the new token within a minute.",
            error,
        )

    async def snapshot_quota(self) -> None:
        try:
            self.last_quota = await self._threads.publishing_limit()
        except ThreadsError as exc:
            log.info("could not read the publishing quota: %s", exc.reason)

    async def prune(self) -> int:
        before = self._clock() - KEEP_FINISHED_ROWS
        removed = self._store.outbox.prune(before=before)
        if removed:
            log.info("pruned %d finished outbox rows", removed)
        # What the filters kept out is kept as long as what went out.
        forgotten = self._store.settings.prune(before=before)
        if forgotten:
            log.info("pruned %d filtered-post records", forgotten)
        return removed

    async def _token_trouble(self, text: str, error: ThreadsError) -> None:
        self._store.tokens.record_refresh_error(error.reason)
        await self._alerts.raise_alert("token", text)
