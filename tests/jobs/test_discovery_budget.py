"""The discovery budget over real SQLite on a clock the test moves: the ledger's rolling
24 h across a reopen, and what a refusal teaches the plan about requests made elsewhere."""

from __future__ import annotations

from pathlib import Path

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

    assert normal.fits and normal.calls_left == 800
    assert stopped.calls_left == 0 and not stopped.fits  # everyone slowed to the minimum
    assert halfway.calls_left == 1000 - 100 - 100 - 450
    assert halfway.fits
    assert recovered.calls_left == 900  # ours and theirs have left the window
    assert budget.interval(store.sources.active()[0]) == recovered.intervals["a"]
    store.close()
