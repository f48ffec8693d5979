"""A search watch end to end on Telegram (issue 13): /watch #tag in a group, a matching post
by someone the bridge does not follow appears on the simulator, is delivered once, and the
next poll repeats nothing; when Meta refuses searches, search watches pause (the admins told
once) while profiles keep flowing, and what matched meanwhile arrives after a probe."""

from __future__ import annotations

from datetime import timedelta

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bot.events import SourceKind
from simulator import Quota
from tests.fakes.telegram import FakeTelegram
from tests.telegram.conftest import (
    ADMIN,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    Bridge,
    BridgeFactory,
    reads,
)


def texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [reads(m) for m in tg.sent_to(chat)]


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


async def test_refused_searches_pause_search_watches_only_and_matches_arrive_after_a_probe(
    start_bridge: BridgeFactory, tg: FakeTelegram
) -> None:
    bridge: Bridge = await start_bridge(
        health_port=0,
        feeds=[{"profile": "bob", "telegram_chat": PRIVATE}],
        telegram={"admins": [PUBLISHER]},
    )
    sim = bridge.sim
    sim.add_profile("bob", followers=5000)
    sim.add_profile("carol", followers=5000)
    await bridge.poll("bob")
    await bridge.command(PRIVATE, PUBLISHER, "/watch #baking")
    await poll_search(bridge, "tag:baking")
    sim.set_quota(Quota.KEYWORD_SEARCH, 0)  # another app spent this account's searches
    sim.add_post("carol", text="loaf while refused", topic_tag="baking")
    sim.add_post("bob", text="bob while searches are refused")

    await poll_search(bridge, "tag:baking")
    await tg.wait_for(
        lambda fake: any(t.startswith("Meta refuses keyword") for t in texts(fake, PRIVATE)), 15
    )
    await bridge.poll("bob")  # profile discovery is another budget: it keeps flowing
    await tg.wait_for(lambda fake: any("bob while" in t for t in texts(fake, PRIVATE)), 15)
    status = reads(await bridge.command(PRIVATE, PUBLISHER, "/status"))
    async with httpx.AsyncClient() as http:
        page = await http.get(f"http://127.0.0.1:{bridge.app.health.port}/metrics")
    metrics = {
        (s.name, tuple(s.labels.values())): s.value
        for family in text_string_to_metric_families(page.text)
        for s in family.samples
    }

    assert bridge.app.search_pause.paused and not bridge.app.discovery_pause.paused
    assert "Keyword searches (Meta allows 2,200 a day)" in status
    assert "; paused: Meta refuses them, trying again with backoff" in status
    assert metrics[("threads_bridge_search_paused", ())] == 1
    assert metrics[("threads_bridge_discovery_paused", ())] == 0
    assert metrics[("threads_bridge_poll_interval_seconds", ("#baking",))] == 3600

    sim.set_quota(Quota.KEYWORD_SEARCH, 2200)  # the budget is back
    bridge.app.scheduler.run_soon("search probe")

    await tg.wait_for(
        lambda fake: any("loaf while refused" in t for t in texts(fake, PRIVATE)), 15
    )
    assert not bridge.app.search_pause.paused
    notices = [t for t in texts(tg, PRIVATE) if t.startswith("Meta refuses keyword searches")]
    assert len(notices) == 1  # told once
