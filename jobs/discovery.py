"""Meta's profile-discovery budget, kept: every discovery request recorded in the ledger, each
public profile's poll interval planned to fit (jobs/discovery_plan.py), and the numbers
/watch, /status and /metrics report."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.config import ThreadsConfig
from bot.events import Source, SourceKind
from jobs.discovery_plan import (
    DAY,
    Activity,
    Plan,
    plan_intervals,
    still_counted,
    sustainable_rate,
)
from jobs.scheduler import PollScheduler
from storage.store import Store

log = logging.getLogger(__name__)

WEEK = 7 * DAY
UNSEEN_KEY = "discovery spent elsewhere"


class DiscoveryBudget:
    def __init__(
        self, store: Store, settings: ThreadsConfig, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._store = store
        self.budget = settings.discovery_budget
        self.reserve = min(settings.discovery_reserve, settings.discovery_budget - 1)
        self.poll_interval = settings.poll_interval
        self.max_poll_interval = max(settings.max_poll_interval, settings.poll_interval)
        self._clock = clock
        self._plan: Plan | None = None
        self._planned_at = float("-inf")
        self.paused = False  # set while Meta refuses discovery (jobs/discovery_pause.py)
        # Learned from a refusal: when Meta stopped us, the requests we did not make (another
        # app's, an earlier run's) filled the rest of the window. Their times are unknown, so
        # they are taken as spread over the day before and leaving the window evenly.
        saved = store.state.get(UNSEEN_KEY)
        self._unseen: tuple[int, float] | None = (
            (int(saved[0]), float(saved[1])) if saved else None
        )

    def record(self, endpoint: str) -> None:
        """A discovery request went out (the ThreadsClient's discovery listener)."""
        try:
            self._store.discovery.record(self._clock(), endpoint)
        except Exception:  # a full disk must not fail the request itself
            log.exception("could not record a discovery request")

    def refused(self) -> None:
        """Meta refused a discovery request although the ledger had room: someone else spent
        the rest of the budget. The plan counts those requests too until they age out."""
        unseen = max(0, self.budget - self.used())
        self._unseen = (unseen, self._clock())
        try:
            self._store.state.put(UNSEEN_KEY, list(self._unseen))
        except Exception:
            log.exception("could not save what the refusal taught")
        log.info("%d lookups spent elsewhere in the last 24 h; planning around them", unseen)

    def used(self) -> int:
        return self._store.discovery.used(self._clock())

    def left(self) -> int:
        """What the window has room for now, counting what a refusal said others spent."""
        elsewhere = still_counted(self._unseen, self._clock())
        return max(0, int(self.budget - self.used() - elsewhere))

    def fits(self) -> bool:
        return self.plan.fits

    def profiles(self) -> list[Source]:
        return [s for s in self._store.sources.active() if s.kind is SourceKind.PROFILE]

    def replan(self) -> Plan:
        now = self._clock()
        activity = []
        for source in self.profiles():
            posts, last = self._store.feed.activity(source.id, now - WEEK)
            activity.append(Activity(source.key, posts, last))
        self._planned_at = now
        self._plan = plan_intervals(
            activity,
            now=now,
            calls_per_day=sustainable_rate(
                self._store.discovery.times(now),
                now=now,
                limit=self.budget - self.reserve,
                elsewhere=self._unseen,
            ),
            poll_interval=self.poll_interval,
            max_poll_interval=self.max_poll_interval,
        )
        return self._plan

    @property
    def plan(self) -> Plan:
        return self._plan if self._plan is not None else self.replan()

    def interval(self, source: Source) -> float:
        """Seconds between polls of `source`: the connected account costs no discovery."""
        if source.kind is not SourceKind.PROFILE:
            return self.poll_interval
        planned = self.plan.interval(source.key)
        if planned is None and self._clock() - self._planned_at > 60:
            planned = self.replan().interval(source.key)  # watched since the last plan
        # Still not in the plan: a dormant source (its chats paused), which costs nothing.
        return planned if planned is not None else self.max_poll_interval


class PlannedPolling:
    """The SourceWatcher the commands use: the scheduler, with the discovery plan redone
    whenever a source is added or removed (every profile's share changes)."""

    def __init__(self, scheduler: PollScheduler, budget: DiscoveryBudget) -> None:
        self._scheduler = scheduler
        self._budget = budget

    def watch(self, source: Source) -> None:
        self._budget.replan()
        self._scheduler.watch(source)
        self._scheduler.retime()

    def unwatch(self, source: Source) -> None:
        self._scheduler.unwatch(source)
        self.replan()

    def replan(self) -> None:
        """Plan again from the ledger and the profiles' activity, and apply it."""
        self._budget.replan()
        self._scheduler.retime()

    async def replan_job(self) -> None:
        """The periodic re-plan (activity changes, spent calls leave the window)."""
        self.replan()
