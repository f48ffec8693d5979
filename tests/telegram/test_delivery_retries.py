"""Failed sends: retried with backoff, given up after repeated failure, flood waits honoured,
and a publication cut short by a crash is settled at the next start."""

from __future__ import annotations

import json
from dataclasses import asdict

from adapters.telegram import TelegramAdapter
from bot.events import ChatUser, Destination
from bot.threads.containers import ContainerRequest
from jobs.delivery import DeliveryWorker
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory


async def quick_worker(bridge: Bridge) -> DeliveryWorker:
    """The bridge's own Telegram adapter, store and clock, with a worker that retries in
    milliseconds rather than minutes."""
    await bridge.app.delivery.stop()
    (adapter,) = [a for a in bridge.app.adapters if isinstance(a, TelegramAdapter)]
    worker = DeliveryWorker(
        bridge.app.store,
        {"telegram": adapter},
        max_attempts=3,
        backoff_base=0.05,
        clock=bridge.app.clock,
    )
    bridge.app.delivery = worker  # the app wakes, and at the end stops, this one
    worker.start()
    return worker


async def test_temporary_failures_are_retried(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    worker = await quick_worker(bridge)
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", status=502, description="Bad Gateway", times=2)
    bridge.sim.add_post("bob", text="third time lucky")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)
    await worker.idle()

    assert "third time lucky" in message.visible_text
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 1}


async def test_repeated_failure_gives_up_on_that_post_only(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    worker = await quick_worker(bridge)
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", status=500, times=3)
    bridge.sim.add_post("bob", text="doomed")
    await bridge.poll("bob")
    await worker.idle()
    bridge.sim.add_post("bob", text="but this one arrives")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)
    await worker.idle()

    assert "but this one arrives" in message.visible_text
    assert bridge.app.store.outbox.counts_by_state() == {"dead": 1, "delivered": 1}


async def test_flood_wait_is_honoured(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", retry_after=1)
    bridge.sim.add_post("bob", text="patience")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)

    refused, accepted = bridge.tg.calls_to("sendMessage")
    assert refused.status == 429
    assert accepted.time - refused.time >= 1.0
    assert "patience" in message.visible_text


async def test_publication_interrupted_by_a_crash_is_finished_once(
    start_bridge: BridgeFactory, tmp_path: object
) -> None:
    first: Bridge = await start_bridge()
    request = ContainerRequest("TEXT", text="said before the crash")
    container = await first.app.threads.create_container(request)
    publications = first.app.store.publications
    chat = Destination("telegram", str(PRIVATE))
    publication = publications.start(chat, ChatUser(str(PUBLISHER), "Pat"), "post", "x")
    publications.add_container(publication, container, json.dumps(asdict(request)))
    await first.app.stop()

    second: Bridge = await start_bridge()
    (notice,) = await second.delivered(PRIVATE, 1)

    (post,) = second.sim.posts_by("alice")
    assert post.text == "said before the crash"
    assert notice.visible_text == f"Published on Threads after a restart: {post.permalink}"
    assert second.app.store.publications.unsettled() == []
