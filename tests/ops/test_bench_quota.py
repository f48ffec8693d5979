"""The quota benchmark still runs end to end and prints its figures; the planner stays within
the budget and misses no post (the delays themselves are the benchmark's business)."""

from __future__ import annotations

import pytest

from bench.quota import SETTINGS, run


async def test_benchmark_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    results = await run([3], hours=4, step=30)

    printed = capsys.readouterr().out
    assert "quota benchmark: 4 simulated hours" in printed
    assert "3 profiles, " in printed
    for figure in ("calls", "ledger", "median", "p95", "missed", "planner", "uniform"):
        assert figure in printed
    assert "than uniform's (goal: at least 30% lower)" in printed
    planner, uniform = results[3]
    assert planner.delays, "the trace made no post"
    assert 3 <= planner.calls <= SETTINGS.discovery_budget - SETTINGS.discovery_reserve
    assert planner.ledger == planner.calls
    assert planner.missed == 0
    assert uniform.missed == 0
    assert uniform.calls <= planner.calls
