"""/healthz and /metrics on the media store: off, S3, or the relay, running or not (its port
taken by another program: the bridge runs on, text still posts, and /healthz says so)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from simulator import ThreadsSimulator
from tests.media_samples import JPEG
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory, reads
from tests.telegram.test_health import samples

SERVED = ("threads_bridge_media_files_served_total", ())
RUNNING = ("threads_bridge_media_relay_running", ())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port another program listens on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


async def health_and_metrics(bridge: Bridge) -> tuple[httpx.Response, dict[Any, float]]:
    base = f"http://127.0.0.1:{bridge.app.health.port}"
    async with httpx.AsyncClient() as http:
        health = await http.get(f"{base}/healthz")
        metrics = await http.get(f"{base}/metrics")
    return health, samples(metrics.text)


async def answer_to_photo(bridge: Bridge, caption: str) -> str:
    before = len(bridge.tg.sent_to(PRIVATE))
    bridge.tg.send_media(PRIVATE, PUBLISHER, [("photo", JPEG)], caption)
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(PRIVATE)) > before, timeout=15)
    return reads(bridge.tg.sent_to(PRIVATE)[before])


async def test_a_running_relay_is_healthy_and_counts_the_files_meta_fetched(
    start_bridge: BridgeFactory, sim: ThreadsSimulator
) -> None:
    port = free_port()
    media = {"public_url": f"http://127.0.0.1:{port}", "listen_port": port}
    bridge: Bridge = await start_bridge(health_port=0, media=media)
    health, before = await health_and_metrics(bridge)

    answer = await answer_to_photo(bridge, "/post Counted")
    _, after = await health_and_metrics(bridge)

    assert answer.startswith("Published on Threads: ")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "scheduler": True,
        "adapters": {"telegram": True},
        "media": {"store": "relay", "running": True},
    }
    assert (before[RUNNING], before[SERVED]) == (1, 0)
    assert (after[RUNNING], after[SERVED]) == (1, len(sim.fetched))
    assert len(sim.fetched) == 1


async def test_a_relay_whose_port_is_taken_degrades_health_and_text_still_posts(
    start_bridge: BridgeFactory, taken_port: int
) -> None:
    media = {"public_url": f"http://127.0.0.1:{taken_port}", "listen_port": taken_port}
    bridge: Bridge = await start_bridge(health_port=0, media=media)

    health, metrics = await health_and_metrics(bridge)
    text = await bridge.command(PRIVATE, PUBLISHER, "/post words only")

    assert health.status_code == 200  # the bridge is up: not a reason to restart it
    assert health.json() == {
        "status": "degraded",
        "scheduler": True,
        "adapters": {"telegram": True},
        "media": {"store": "relay", "running": False},
    }
    assert metrics[RUNNING] == 0
    assert reads(text).startswith("Published on Threads: ")


async def test_a_chat_adapter_down_is_unhealthy_whatever_the_media(
    start_bridge: BridgeFactory, taken_port: int
) -> None:
    media = {"public_url": f"http://127.0.0.1:{taken_port}", "listen_port": taken_port}
    bridge: Bridge = await start_bridge(health_port=0, media=media)
    for adapter in bridge.app.adapters:
        await adapter.stop()

    health, _ = await health_and_metrics(bridge)

    assert health.status_code == 503
    assert health.json()["status"] == "unhealthy"


@pytest.mark.parametrize(
    ("media", "store"),
    [
        ({}, "off"),
        ({"backend": "s3", "bucket": "media", "endpoint": "http://127.0.0.1:9"}, "s3"),
    ],
)
async def test_media_off_or_on_s3_is_said_and_has_no_relay_metrics(
    start_bridge: BridgeFactory, media: dict[str, str], store: str
) -> None:
    bridge: Bridge = await start_bridge(health_port=0, media=media)

    health, metrics = await health_and_metrics(bridge)

    assert health.status_code == 200
    assert health.json()["status"] == "ok"
    assert health.json()["media"] == {"store": store}
    assert RUNNING not in metrics and SERVED not in metrics
