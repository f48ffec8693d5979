"""The fan-out benchmark still runs end to end and prints its figures (no timing asserted:
speed targets are the benchmark's business, not the tests')."""

from __future__ import annotations

import pytest

from bench.fanout import run


@pytest.mark.parametrize("platform", ["telegram", "discord"])
async def test_benchmark_prints_its_figures(
    platform: str, capsys: pytest.CaptureFixture[str]
) -> None:
    await run(platform, chats=3, posts=2, latency=(0.0, 0.0))
    printed = capsys.readouterr().out
    assert f"{platform} fan-out: 3 chats x 2 posts = 6 messages" in printed
    for figure in ("delivery time", "rate", "429 answers", "bridge CPU"):
        assert figure in printed
