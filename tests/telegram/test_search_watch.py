"""A search watch end to end on Telegram (issue 13): /watch #tag in a group, a matching post
by someone the bridge does not follow appears on the simulator, is delivered once, and the
next poll repeats nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.events import SourceKind
from simulator import Quota
from tests.telegram.conftest import ADMIN, GROUP, MEMBER, Bridge, BridgeFactory, reads


async def poll_search(bridge: Bridge, key: str) -> int:
    source = bridge.app.store.sources.find(SourceKind.SEARCH, key)
    assert source is not None, f"nobody watches {key}"
    return await bridge.app.poller.poll(source.id)


async def test_a_tag_watch_delivers_a_matching_post_once(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge()
    sim = bridge.sim
    sim.add_profile("carol", name="Carol", followers=5000)
    sim.add_post(
        "carol",
        text="yesterday's loaf",
        topic_tag="baking",
        timestamp=sim.now() - timedelta(hours=1),
    )

    watched = await bridge.command(GROUP, ADMIN, "/watch #baking")
    assert await poll_search(bridge, "tag:baking") == 0  # the baseline
    post = sim.add_post("carol", text="Fresh loaf, still warm", topic_tag="Baking")
    sim.add_post("carol", text="a loaf without the tag")
    assert await poll_search(bridge, "tag:baking") == 1
    assert await poll_search(bridge, "tag:baking") == 0  # nothing new: nothing again
    await bridge.delivered(GROUP, 2)
    await bridge.app.delivery.idle()
    listed = await bridge.command(GROUP, MEMBER, "/list")

    assert reads(watched).startswith(
        "Now watching public posts tagged #baking. New ones will appear here.\n"
        "#baking will be searched about every"
    )
    deliveries = [m for m in bridge.tg.sent_to(GROUP) if "loaf" in reads(m) and m is not watched]
    assert len(deliveries) == 1  # once, and neither the old post nor the untagged one
    (delivery,) = deliveries
    assert "Fresh loaf, still warm" in reads(delivery)
    assert reads(delivery).splitlines()[0] == "@carol"  # her profile was never looked up
    assert post.permalink in delivery.text
    assert reads(listed) == "This chat watches:\n• #baking (search)"
    assert (
        bridge.app.search.used()
        == 1
        == sim.state.quotas.usage(
            Quota.KEYWORD_SEARCH, bridge.app.ctx.me.id if bridge.app.ctx.me else ""
        )
    )
    assert bridge.app.discovery.used() == 0  # no profile lookup spent on the author


async def test_unwatch_a_search_as_typed(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge()
    await bridge.command(GROUP, ADMIN, '/watch "sourdough bread"')

    stopped = await bridge.command(GROUP, ADMIN, '/unwatch "sourdough bread"')
    listed = await bridge.command(GROUP, MEMBER, "/list")

    assert reads(stopped) == 'Stopped watching "sourdough bread" here.'
    assert reads(listed).startswith("This chat watches no Threads profiles yet.")
