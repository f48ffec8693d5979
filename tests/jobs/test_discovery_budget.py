"""The discovery budget over real SQLite on a clock the test moves: the ledger's rolling
24 h across a reopen, and what a refusal teaches the plan about requests made elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ThreadsConfig
from bot.events import Destination, SourceKind
from jobs.discovery import DiscoveryBudget
from jobs.discovery_plan import DAY
from storage.store import Store

START = 1_800_000_000.0


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


def watched(store: Store, *keys: str) -> None:
    for key in keys:
        source = store.sources.ensure(SourceKind.PROFILE, key)
        chat = Destination("telegram", "1")
        store.subscriptions.add(source, chat, origin="chat", created_by=None)


def test_the_rolling_count_survives_a_reopen_and_forgets_after_a_day(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    for n in range(5):
        store.discovery.record(START + n * 3600, "profile_posts")
    store.close()

    reopened = Store.open(tmp_path / "b.db")

    assert reopened.discovery.used(START + 4 * 3600) == 5
    assert reopened.discovery.used(START + DAY + 1.5 * 3600) == 3  # two aged out
    assert reopened.discovery.frees_at(START + DAY + 1.5 * 3600) == START + 2 * 3600 + DAY
    reopened.close()


def test_a_refusal_counts_what_others_spent_until_it_ages_out(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "b.db")
    watched(store, "a", "b", "c", "d")
    clock = Clock()
    budget = DiscoveryBudget(store, ThreadsConfig(poll_interval=300), clock=clock)
    for _ in range(100):
        budget.record("profile_posts")
    normal = budget.replan()

    budget.refused()  # Meta said stop with 100 of ours in the window: 900 were not ours
    stopped = budget.replan()
    clock.now += DAY / 2
    halfway = budget.replan()
    clock.now += DAY / 2 + 1
    recovered = budget.replan()

    assert normal.fits and normal.calls_per_day == pytest.approx(800, rel=0.01)  # 100 stay a day
    assert stopped.calls_per_day == 0 and not stopped.fits  # everyone slowed to the minimum
    # Half of theirs have left, the rest leave at 900 a day and ours leave in 12 h: the plan
    # may go at the full 900 a day without the window ever going over.
    assert halfway.calls_per_day == pytest.approx(900, rel=0.01)
    assert halfway.fits
    assert recovered.calls_per_day == pytest.approx(900)  # ours and theirs have left
    assert budget.interval(store.sources.active()[0]) == recovered.intervals["a"]
    store.close()


def test_day_after_day_the_plan_spends_the_budget_and_never_overfills_the_window(
    tmp_path: Path,
) -> None:
    """Three days of polls at the planned intervals, re-planned every 10 minutes as the
    bridge does: each day spends close to budget - reserve, and no rolling 24 h ever holds
    more than that."""
    store = Store.open(tmp_path / "b.db")
    keys = [f"p{n}" for n in range(30)]
    watched(store, *keys)
    clock = Clock()
    budget = DiscoveryBudget(store, ThreadsConfig(poll_interval=300), clock=clock)
    sources = store.sources.active()
    next_poll = {s.key: START for s in sources}
    made: list[float] = []
    peak = 0
    for minute in range(3 * 24 * 60):
        clock.now = START + minute * 60
        if minute % 10 == 0:
            budget.replan()
        for source in sources:
            if next_poll[source.key] <= clock.now:
                budget.record("profile_posts")
                made.append(clock.now)
                next_poll[source.key] = clock.now + budget.interval(source)
        peak = max(peak, budget.used())

    per_day = [
        sum(1 for t in made if START + d * DAY <= t < START + (d + 1) * DAY) for d in range(3)
    ]
    assert peak <= 900 + 1  # one request goes out as a slot frees
    assert all(day >= 0.85 * 900 for day in per_day[1:]), per_day  # not half of it
    assert budget.plan.fits  # 30 quiet profiles fit in 900 a day at about every 50 min
    store.close()
