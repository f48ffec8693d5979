"""One flood wait per chat: a 429 to a delivery holds that chat's command answers too, and a
429 to an answer holds its deliveries. Times are the fake's own receive times, compared with
the retry_after it set."""

from __future__ import annotations

from tests.fakes.telegram import RecordedCall
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory

WAIT = 2  # seconds, as the fake's 429 says


def refused(bridge: Bridge) -> RecordedCall:
    (call,) = [c for c in bridge.tg.calls_to("sendMessage") if c.status == 429]
    return call


async def test_an_answer_waits_out_a_deliverys_flood_wait(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", retry_after=WAIT)
    bridge.sim.add_post("bob", text="held back")
    await bridge.poll("bob")
    await bridge.tg.wait_for(lambda fake: fake.flood_errors == 1)

    answer = await bridge.command(PRIVATE, PUBLISHER, "/help")

    assert "/watch USERNAME" in answer.visible_text
    assert answer.time >= refused(bridge).time + WAIT
    (delivered,) = [m for m in await bridge.delivered(PRIVATE, 2) if "held back" in (m.text or "")]
    assert delivered.time >= refused(bridge).time + WAIT


async def test_a_delivery_waits_out_an_answers_flood_wait(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.fail_next("sendMessage", retry_after=WAIT)
    bridge.tg.send_command(PRIVATE, PUBLISHER, "/help")
    await bridge.tg.wait_for(lambda fake: fake.flood_errors == 1)
    bridge.sim.add_post("bob", text="after the wait")

    await bridge.poll("bob")
    messages = await bridge.delivered(PRIVATE, 2)

    (delivered,) = [m for m in messages if "after the wait" in (m.text or "")]
    (answer,) = [m for m in messages if "/watch USERNAME" in (m.visible_text or "")]
    assert delivered.time >= refused(bridge).time + WAIT
    assert answer.time >= refused(bridge).time + WAIT
