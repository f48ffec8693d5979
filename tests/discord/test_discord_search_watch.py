"""A search watch end to end on Discord (issue 13): `/threads watch #tag` in a channel, a
matching post by someone the bridge does not follow appears on the simulator, is delivered
once as an embed, and the next poll repeats nothing."""

from __future__ import annotations

from datetime import timedelta

from bot.events import SourceKind
from tests.discord.conftest import ALICE, GUILD, TEXT, Bridge, BridgeFactory


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

    watched = await bridge.slash(ALICE, "watch", username="#baking")
    assert await poll_search(bridge, "tag:baking") == 0  # the baseline
    post = sim.add_post("carol", text="Fresh loaf, still warm", topic_tag="baking")
    sim.add_post("carol", text="a loaf without the tag")
    assert await poll_search(bridge, "tag:baking") == 1
    assert await poll_search(bridge, "tag:baking") == 0  # nothing new: nothing again
    (message,) = await bridge.delivered(TEXT, 1)
    await bridge.app.delivery.idle()
    listed = await bridge.slash(ALICE, "list")
    suggested = await bridge.discord.autocomplete(
        GUILD, TEXT, ALICE, "threads", "unwatch", "username", ""
    )
    await bridge.discord.wait_for(
        lambda fake: fake.autocomplete_choices(suggested.id) is not None, timeout=10
    )

    assert watched.text == (
        "Now watching public posts tagged #baking. New ones will appear here.\n"
        "\\#baking will be searched about every 1 h: the only search watch drawing on Meta's "
        "2,200 daily keyword searches (one that finds nothing is free)."
    )
    assert len(bridge.feed_messages(TEXT)) == 1  # once, and neither older nor untagged posts
    (embed,) = message.embeds
    assert embed["description"] == "🏷️ baking\n\nFresh loaf, still warm"  # its topic tag line
    assert embed["author"]["name"] == "@carol"  # her profile was never looked up
    assert embed["url"] == post.permalink
    assert listed.text == "This chat watches:\n• #baking (search)"
    assert bridge.discord.autocomplete_choices(suggested.id) == []  # a search is no username
