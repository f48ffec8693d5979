"""Meta's per-user request budgets, kept: every discovery request recorded in the ledger, each
public profile's poll interval planned to fit (jobs/discovery_plan.py), and the numbers
/watch, /status and /metrics report. The keyword-search budget is a second DiscoveryBudget
over the same ledger and planner (`search_allowance`): search watches share it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.config import ThreadsConfig
from bot.events import Source, SourceKind
from jobs.discovery_plan import (
    DAY,
    UPKEEP_PER_PROFILE,
    Activity,
    Plan,
    plan_intervals,
    still_counted,
    sustainable_rate,
)
from jobs.scheduler import PollScheduler
from storage.discovery import KEYWORD_SEARCH, PROFILE_DISCOVERY
from storage.store import Store

log = logging.getLogger(__name__)

WEEK = 7 * DAY
UNSEEN_KEY = "discovery spent elsewhere"
SEARCH_UNSEEN_KEY = "searches spent elsewhere"
# No command spends keyword searches; the reserve covers pages a catch-up adds to one poll.
SEARCH_RESERVE_SHARE = 0.05


@dataclass(frozen=True, slots=True)
class Allowance:
    """One of Meta's per-user budgets: the sources that spend it, the ledger's endpoints that
    count, its size, the part the plan leaves alone, and each source's daily upkeep."""

    kind: SourceKind
    endpoints: tuple[str, ...]
    budget: int
    reserve: int
    upkeep: float
    unseen_key: str  # where what a refusal taught is kept (bridge_state)


def discovery_allowance(settings: ThreadsConfig) -> Allowance:
    """Profile discovery: 1,000 profile_posts + profile_lookup a day, every call counted."""
    budget = settings.discovery_budget
    return Allowance(
        SourceKind.PROFILE,
        PROFILE_DISCOVERY,
        budget,
        min(settings.discovery_reserve, budget - 1),
        UPKEEP_PER_PROFILE,
        UNSEEN_KEY,
    )


def search_allowance(settings: ThreadsConfig) -> Allowance:
    """Keyword search: 2,200 queries a day; one that finds nothing is not counted (the
    ThreadsClient reports only the others), so the plan, which counts every poll, errs low."""
    budget = settings.search_budget
    reserve = min(int(budget * SEARCH_RESERVE_SHARE), budget - 1)
    return Allowance(SourceKind.SEARCH, KEYWORD_SEARCH, budget, reserve, 0.0, SEARCH_UNSEEN_KEY)


class DiscoveryBudget:
    def __init__(
        self,
        store: Store,
        settings: ThreadsConfig,
        *,
        clock: Callable[[], float] = time.time,
        allowance: Allowance | None = None,
    ) -> None:
        """`allowance`: which budget this is (default: profile discovery)."""
        self._store = store
        self.allowance = allowance or discovery_allowance(settings)
        self.kind = self.allowance.kind
        self.budget = self.allowance.budget
        self.reserve = self.allowance.reserve
        self.poll_interval = settings.poll_interval
        self.max_poll_interval = max(settings.max_poll_interval, settings.poll_interval)
        self._clock = clock
        self._plan: Plan | None = None
        self._planned_at = float("-inf")
        self.paused = False  # set while Meta refuses discovery (jobs/discovery_pause.py)
        # Learned from a refusal: when Meta stopped us, the requests we did not make (another
        # app's, an earlier run's) filled the rest of the window. Their times are unknown, so
        # they are taken as spread over the day before and leaving the window evenly.
        saved = store.state.get(self.allowance.unseen_key)
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
            self._store.state.put(self.allowance.unseen_key, list(self._unseen))
        except Exception:
            log.exception("could not save what the refusal taught")
        log.info(
            "%d %s requests spent elsewhere in the last 24 h; planning around them",
            unseen,
            self.kind.value,
        )

    def used(self) -> int:
        return self._store.discovery.used(self._clock(), self.allowance.endpoints)

    def left(self) -> int:
        """What the window has room for now, counting what a refusal said others spent."""
        elsewhere = still_counted(self._unseen, self._clock())
        return max(0, int(self.budget - self.used() - elsewhere))

    def fits(self) -> bool:
        return self.plan.fits

    def profiles(self) -> list[Source]:
        """The active sources that spend this budget (public profiles, or search watches)."""
        return [s for s in self._store.sources.active() if s.kind is self.kind]

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
                self._store.discovery.times(now, self.allowance.endpoints),
                now=now,
                limit=self.budget - self.reserve,
                elsewhere=self._unseen,
            ),
            poll_interval=self.poll_interval,
            max_poll_interval=self.max_poll_interval,
            upkeep=self.allowance.upkeep,
        )
        return self._plan

    @property
    def plan(self) -> Plan:
        return self._plan if self._plan is not None else self.replan()

    def interval(self, source: Source) -> float:
        """Seconds between polls of `source`: a source of another kind spends none of this
        budget (the connected account costs no discovery)."""
        if source.kind is not self.kind:
            return self.poll_interval
        planned = self.plan.interval(source.key)
        if planned is None and self._clock() - self._planned_at > 60:
            planned = self.replan().interval(source.key)  # watched since the last plan
        # Still not in the plan: a dormant source (its chats paused), which costs nothing.
        return planned if planned is not None else self.max_poll_interval


def interval_by_kind(*budgets: DiscoveryBudget) -> Callable[[Source], float]:
    """The scheduler's `interval_of`: each source's interval from the budget it spends (the
    first budget's poll_interval for a source that spends none)."""
    by_kind = {budget.kind: budget for budget in budgets}
    default = budgets[0]

    def interval(source: Source) -> float:
        return by_kind.get(source.kind, default).interval(source)

    return interval


class PlannedPolling:
    """The SourceWatcher the commands use: the scheduler, with the plans redone whenever a
    source is added or removed (every profile's, or search's, share changes)."""

    def __init__(self, scheduler: PollScheduler, *budgets: DiscoveryBudget) -> None:
        self._scheduler = scheduler
        self._budgets = budgets

    def watch(self, source: Source) -> None:
        for budget in self._budgets:
            budget.replan()
        self._scheduler.watch(source)
        self._scheduler.retime()

    def unwatch(self, source: Source) -> None:
        self._scheduler.unwatch(source)
        self.replan()

    def replan(self) -> None:
        """Plan again from the ledger and the sources' activity, and apply it."""
        for budget in self._budgets:
            budget.replan()
        self._scheduler.retime()

    async def replan_job(self) -> None:
        """The periodic re-plan (activity changes, spent calls leave the window)."""
        self.replan()
