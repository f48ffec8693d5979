"""Threads webhooks end to end on Discord: Meta's signed `publish` event reaches the bridge's
health server over HTTP and the post is delivered once, through the real discord.py, into a
channel watching "me"; Meta sending it again and a poll afterwards deliver nothing more; an
event signed with another secret is refused and delivers nothing."""

from __future__ import annotations

import socket
from typing import Any

import httpx

from bot.events import SourceKind
from bot.threads.webhooks import sign
from tests.discord.conftest import TEXT, Bridge
from tests.telegram.test_webhooks import PATH, publish_event

APP_SECRET = "discord-e2e-app-secret"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_with_webhooks(start_bridge: Any) -> Bridge:
    bridge: Bridge = await start_bridge(
        threads={"app_secret": APP_SECRET},
        server={"health_port": free_port()},
        webhooks={"path": PATH, "verify_token": "e2e-verify"},
        feeds=[{"profile": "me", "discord_channel": TEXT}],
    )
    bridge.app.scheduler.pause(SourceKind.ME)  # only the webhook (or the test's poll) finds it
    await bridge.poll("me")  # the baseline
    return bridge


async def post_event(bridge: Bridge, body: bytes, signature: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(
            f"{bridge.app.health.url}{PATH}",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )


async def test_a_signed_publish_event_is_delivered_once_into_the_channel(
    start_bridge: Any,
) -> None:
    bridge = await start_with_webhooks(start_bridge)
    post = bridge.sim.add_post("alice", text="Fresh from the webhook")
    body = publish_event(post)

    answer = await post_event(bridge, body, sign(body, APP_SECRET))
    await bridge.delivered(TEXT, 1)
    again = await post_event(bridge, body, sign(body, APP_SECRET))  # Meta sends one twice
    assert bridge.app.webhooks is not None
    await bridge.app.webhooks.idle()
    queued_by_poll = await bridge.poll("me")
    await bridge.app.delivery.idle()

    assert (answer.status_code, again.status_code, queued_by_poll) == (200, 200, 0)
    (message,) = bridge.feed_messages(TEXT)
    assert message.embeds[0]["description"] == "Fresh from the webhook"


async def test_an_event_signed_with_another_secret_is_refused(start_bridge: Any) -> None:
    bridge = await start_with_webhooks(start_bridge)
    body = publish_event(bridge.sim.add_post("alice", text="a forged announcement"))

    refused = await post_event(bridge, body, sign(body, "not-the-app-secret"))
    unsigned = await post_event(bridge, body, "")
    assert bridge.app.webhooks is not None
    await bridge.app.webhooks.idle()
    await bridge.app.delivery.idle()

    assert (refused.status_code, unsigned.status_code) == (403, 403)
    assert bridge.feed_messages(TEXT) == []
