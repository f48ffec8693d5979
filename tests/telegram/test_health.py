"""/healthz and /metrics over HTTP, and log lines (readable or JSON) that never carry a secret."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.telegram import TelegramAdapter
from bot.runtime.logs import redact, setup_logging
from tests.telegram.conftest import PRIVATE, Bridge, BridgeFactory


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_healthz_follows_the_scheduler_and_the_adapters(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(health_port=0)
    url = f"http://127.0.0.1:{bridge.app.health.port}/healthz"
    async with httpx.AsyncClient() as http:
        healthy = await http.get(url)
        (telegram,) = [a for a in bridge.app.adapters if isinstance(a, TelegramAdapter)]
        await telegram.stop()
        broken = await http.get(url)

    assert healthy.status_code == 200
    assert healthy.json() == {
        "status": "ok",
        "scheduler": True,
        "adapters": {"telegram": True},
        "media": {"store": "off"},
    }
    assert broken.status_code == 503
    assert broken.json()["adapters"] == {"telegram": False}


async def test_metrics_count_polls_posts_deliveries_errors_and_quota(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(
        health_port=0, feeds=[{"profile": "bob", "telegram_chat": PRIVATE}]
    )
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="counted")
    await bridge.poll("bob")
    await bridge.delivered(PRIVATE, 1)
    await bridge.app.delivery.idle()
    bridge.sim.fail_next("GET", "/profile_posts", kind="rate_limit")
    await bridge.poll("bob")
    await bridge.app.maintenance.snapshot_quota()

    async with httpx.AsyncClient() as http:
        page = await http.get(f"http://127.0.0.1:{bridge.app.health.port}/metrics")
    metrics = samples(page.text)

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/plain")
    assert metrics[("threads_bridge_polls_total", (("result", "ok"),))] >= 2
    assert metrics[("threads_bridge_polls_total", (("result", "error"),))] == 1
    assert metrics[("threads_bridge_posts_seen_total", ())] == 1
    assert metrics[("threads_bridge_deliveries", (("state", "delivered"),))] == 1
    assert metrics[("threads_bridge_outbox_depth", ())] == 0
    assert metrics[("threads_bridge_api_errors_total", (("error_class", "RateLimited"),))] == 1
    assert metrics[("threads_bridge_publishing_quota_remaining", (("kind", "posts"),))] == 250
    assert metrics[("threads_bridge_adapter_connected", (("platform", "telegram"),))] == 1
    # Every discovery request Meta saw, the rate-limited one included, and the pause it caused.
    spent = sum(
        r.path.endswith(("/profile_posts", "/profile_lookup")) for r in bridge.sim.requests
    )
    assert metrics[("threads_bridge_discovery_used", ())] == spent
    assert metrics[("threads_bridge_discovery_remaining", ())] == 1000 - spent
    assert metrics[("threads_bridge_discovery_paused", ())] == 1
    assert metrics[("threads_bridge_poll_interval_seconds", (("source", "@bob"),))] == 3600


@pytest.mark.parametrize("json_lines", [False, True])
def test_log_lines_never_carry_a_secret(
    json_lines: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    setup_logging("INFO", json_lines=json_lines)
    redact("tok-1234567890-secret")
    log = logging.getLogger("tests.secrets")
    log.warning("calling https://api.telegram.org/bottok-1234567890-secret/getMe")
    try:
        raise RuntimeError("failed with tok-1234567890-secret")
    except RuntimeError:
        log.exception("and a traceback")

    err = capsys.readouterr().err
    assert "tok-1234567890-secret" not in err
    assert "https://api.telegram.org/bot***/getMe" in err
    if json_lines:
        first, second = (json.loads(line) for line in err.strip().splitlines()[:2])
        assert first["level"] == "WARNING" and first["logger"] == "tests.secrets"
        assert "RuntimeError: failed with ***" in second["exception"]
