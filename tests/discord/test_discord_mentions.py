"""Nothing Threads says pings anyone on Discord: not in a delivered post (covered in
test_discord_feed) and not in a command's answer that quotes Threads, such as a profile's
biography saying @everyone, @here or <@id>."""

from __future__ import annotations

from tests.discord.conftest import BOB, Bridge


async def test_an_answer_quoting_threads_pings_nobody(bridge: Bridge) -> None:
    biography = "hey @everyone and @here, ask <@1> or <@&2>"
    bridge.sim.add_profile("loud", name="Loud", followers=10, biography=biography)

    answer = await bridge.slash(BOB, "profile", username="loud")

    assert biography in answer.text
    assert answer.messages and all(not m.pings.anyone for m in answer.messages)
