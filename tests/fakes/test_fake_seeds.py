"""Every random choice in the fakes comes from a generator seeded by a constructor argument,
so a run replays the same latencies (never the module-level random)."""

from __future__ import annotations

import random

from tests.fakes.discord import FakeDiscord
from tests.fakes.telegram import FakeTelegram

LATENCY = (0.01, 0.2)


def _telegram_delays(seed: int) -> list[float]:
    fake = FakeTelegram(latency=LATENCY, seed=seed, spec=False)
    return [fake._dispatcher.next_delay() for _ in range(5)]


def _discord_delays(seed: int) -> list[float]:
    fake = FakeDiscord(seed=seed, spec=False)
    fake.latency = LATENCY
    return [fake._dispatcher.next_delay() for _ in range(5)]


def test_same_seed_gives_the_same_telegram_latencies() -> None:
    first = _telegram_delays(7)
    random.seed(123)  # the module-level generator must not matter
    assert _telegram_delays(7) == first
    assert _telegram_delays(8) != first
    assert all(LATENCY[0] <= delay <= LATENCY[1] for delay in first)


def test_same_seed_gives_the_same_discord_latencies() -> None:
    first = _discord_delays(7)
    random.seed(123)
    assert _discord_delays(7) == first
    assert _discord_delays(8) != first
    assert all(LATENCY[0] <= delay <= LATENCY[1] for delay in first)


def test_the_default_seed_is_fixed() -> None:
    one, two = (FakeTelegram(latency=LATENCY, spec=False) for _ in range(2))
    assert [one._dispatcher.next_delay() for _ in range(5)] == [
        two._dispatcher.next_delay() for _ in range(5)
    ]
