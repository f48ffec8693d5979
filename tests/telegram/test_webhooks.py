"""Threads webhooks end to end: Meta's signed `publish` event for a post on the simulator
reaches the bridge's health server over HTTP and is delivered once, through the real
python-telegram-bot, to a chat watching "me"; the same post polled afterwards is not
delivered again; a tampered event delivers nothing; a `delete` event takes a delivered
post's message out of the chat."""

from __future__ import annotations

import json

import httpx

from bot.events import SourceKind
from bot.threads.webhooks import sign
from simulator import SimPost
from tests.telegram.conftest import PRIVATE, Bridge, BridgeFactory, reads

APP_SECRET = "telegram-e2e-app-secret"
PATH = "/threads/webhook"


def publish_event(post: SimPost, field: str = "publish") -> bytes:
    return json.dumps(
        {
            "app_id": "123456",
            "topic": "interaction",
            "target_id": post.id,
            "time": 1723226877,
            "subscription_id": "234567",
            "has_uid_field": False,
            "values": {
                "value": {
                    "id": post.id,
                    "media_type": post.media_type,
                    "permalink": post.permalink,
                    "timestamp": post.timestamp.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "username": post.username,
                },
                "field": field,
            },
        }
    ).encode()


async def start_with_webhooks(start_bridge: BridgeFactory) -> Bridge:
    bridge: Bridge = await start_bridge(
        health_port=0,
        threads={"app_secret": APP_SECRET},
        server={"health_port": 9108},  # health_port=0 above: a free port instead
        webhooks={"path": PATH, "verify_token": "e2e-verify"},
        feeds=[{"profile": "me", "telegram_chat": PRIVATE}],
    )
    # The scheduled polls of "me" are held: only the webhook, or the poll the test runs
    # itself, can find the post.
    bridge.app.scheduler.pause(SourceKind.ME)
    await bridge.poll("me")  # the baseline
    return bridge


async def post_event(bridge: Bridge, body: bytes, signature: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(
            f"{bridge.app.health.url}{PATH}",
            content=body,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
        )


def showing(bridge: Bridge, text: str) -> list[str]:
    return [reads(m) for m in bridge.tg.sent_to(PRIVATE) if text in reads(m)]


async def test_a_signed_publish_event_is_delivered_once_and_not_again_by_the_poll(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_with_webhooks(start_bridge)
    post = bridge.sim.add_post("alice", text="Fresh from the webhook")
    body = publish_event(post)

    answer = await post_event(bridge, body, sign(body, APP_SECRET))
    await bridge.delivered(PRIVATE, 1)
    again = await post_event(bridge, body, sign(body, APP_SECRET))  # Meta sends one twice
    assert bridge.app.webhooks is not None
    await bridge.app.webhooks.idle()
    queued_by_poll = await bridge.poll("me")
    await bridge.app.delivery.idle()

    assert (answer.status_code, again.status_code, queued_by_poll) == (200, 200, 0)
    (message,) = bridge.tg.sent_to(PRIVATE)
    assert "Fresh from the webhook" in reads(message)


async def test_a_tampered_event_is_refused_and_delivers_nothing(
    start_bridge: BridgeFactory,
) -> None:
    bridge = await start_with_webhooks(start_bridge)
    private = bridge.sim.add_post("alice", text="a forged announcement")
    genuine = bridge.sim.add_post("alice", text="the genuine announcement")
    tampered = publish_event(private)
    genuine_body = publish_event(genuine)

    refused = await post_event(bridge, tampered, sign(genuine_body, APP_SECRET))
    accepted = await post_event(bridge, genuine_body, sign(genuine_body, APP_SECRET))
    await bridge.delivered(PRIVATE, 1)
    assert bridge.app.webhooks is not None
    await bridge.app.webhooks.idle()
    await bridge.app.delivery.idle()

    assert (refused.status_code, accepted.status_code) == (403, 200)
    assert [reads(m) for m in bridge.tg.sent_to(PRIVATE)] == showing(bridge, "genuine")
    assert showing(bridge, "forged") == []


async def test_a_delete_event_removes_the_delivered_message(start_bridge: BridgeFactory) -> None:
    bridge = await start_with_webhooks(start_bridge)
    post = bridge.sim.add_post("alice", text="Soon deleted")
    await bridge.poll("me")
    (message,) = await bridge.delivered(PRIVATE, 1)
    await bridge.app.delivery.idle()
    bridge.sim.delete_post(post.id)
    body = publish_event(post, "delete")

    answer = await post_event(bridge, body, sign(body, APP_SECRET))
    assert bridge.app.webhooks is not None
    await bridge.app.webhooks.idle()

    assert answer.status_code == 200
    assert bridge.tg.state.message(PRIVATE, message.message_id) is None
