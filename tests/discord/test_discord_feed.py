"""Threads -> Discord, end to end: channels, webhooks, forums, and nothing that pings."""

from __future__ import annotations

from tests.discord.conftest import FORUM, GUILD, NEWS, TEXT, Bridge, BridgeFactory
from tests.fakes.discord import FakeDiscord


def buttons(message: object) -> list[dict[str, object]]:
    rows = message.components
    return [c for row in rows for c in row.get("components", [])]


async def test_commands_are_synced_to_the_guild(bridge: Bridge) -> None:
    group, menu = bridge.discord.commands(GUILD)
    assert (group["name"], menu["name"], menu["type"]) == ("threads", "Cross-post to Threads", 3)
    assert [o["name"] for o in group["options"]] == [
        "watch",
        "unwatch",
        "list",
        "pause",
        "resume",
        "preview",
        "settings",
        "why",
        "post",
        "poll",
        "reply",
        "quote",
        "repost",
        "delete",
        "schedule",
        "queue",
        "cancel",
        "timezone",
        "profile",
        "status",
        "insights",
        "autopost",
    ]


async def test_post_reaches_a_channel_once_as_an_embed_that_pings_nobody(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": TEXT}])
    bridge.sim.add_profile(
        "bob", name="Bob Builder", followers=5000, picture_url="https://cdn.example/bob.jpg"
    )
    await bridge.poll("bob")
    post = bridge.sim.add_post(
        "bob",
        text="@everyone look <@&1> and <@1>",
        media_type="IMAGE",
        media_urls=("https://c.ex/p.jpg",),
    )

    await bridge.poll("bob")
    await bridge.poll("bob")  # a second poll finds nothing new
    (message,) = await bridge.delivered(TEXT, 1)
    await bridge.app.delivery.idle()

    (embed,) = message.embeds
    assert embed["author"]["name"] == "Bob Builder (@bob)"
    assert embed["author"]["icon_url"] == "https://cdn.example/bob.jpg"
    assert embed["description"] == "@everyone look <@&1> and <@1>"
    assert embed["image"]["url"] == "https://c.ex/p.jpg"
    assert embed["url"] == post.permalink
    assert "timestamp" in embed
    assert message.allowed_mentions == {"parse": []}
    assert not message.pings.anyone
    link, reply_intent, quote_intent, reply = buttons(message)
    assert (link["label"], link["url"]) == ("Open on Threads", post.permalink)
    code = post.permalink.rsplit("/", 1)[1]
    assert (reply_intent["label"], reply_intent["url"]) == (
        "Reply on Threads",
        f"https://www.threads.com/intent/post?reply_post_shortcode={code}",
    )
    assert (quote_intent["label"], quote_intent["url"]) == (
        "Quote on Threads",
        f"https://www.threads.com/intent/post?quote_post_shortcode={code}",
    )
    assert (reply["label"], reply["custom_id"]) == ("Reply", f"threads:reply:{post.id}")
    assert len(bridge.feed_messages(TEXT)) == 1


async def test_webhook_delivery_speaks_as_the_threads_author(
    discord_fake: FakeDiscord, start_bridge: BridgeFactory
) -> None:
    webhook_id, _, url = discord_fake.add_webhook(TEXT)
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_webhook": url}])
    bridge.sim.add_profile(
        "bob", name="Bob Builder", followers=5000, picture_url="https://cdn.example/bob.jpg"
    )
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="via webhook @here")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(TEXT, 1)

    assert message.via == "webhook" and message.webhook_id == webhook_id
    assert (message.username, message.avatar_url) == ("Bob Builder", "https://cdn.example/bob.jpg")
    assert message.embeds[0]["description"] == "via webhook @here"
    assert message.allowed_mentions == {"parse": []} and not message.pings.anyone


async def test_forum_channel_gets_a_thread_per_post(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": FORUM}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="Launch day!\nEverything you need to know.")
    bridge.sim.add_post("bob", text="Second thoughts")

    await bridge.poll("bob")
    await bridge.discord.wait_for(
        lambda fake: len(fake.calls_to("POST", f"/channels/{FORUM}/threads")) >= 2,
        timeout=30,
    )

    threads = bridge.discord.calls_to("POST", f"/channels/{FORUM}/threads")
    assert all(c.json["message"]["allowed_mentions"] == {"parse": []} for c in threads)
    names = [c.json["name"] for c in bridge.discord.calls_to("POST", f"/channels/{FORUM}/threads")]
    assert names == ["Launch day!", "Second thoughts"]


async def test_announcement_channel(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": NEWS}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="news")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(NEWS, 1)

    assert message.embeds[0]["description"] == "news"


async def test_a_channel_that_is_gone_is_paused(
    discord_fake: FakeDiscord, start_bridge: BridgeFactory
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": TEXT}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    discord_fake.forbid_channel(TEXT)
    bridge.sim.add_post("bob", text="nobody will see this")

    await bridge.poll("bob")
    await discord_fake.wait_for(
        lambda fake: any(c.status == 403 for c in fake.calls_to("POST", "*/messages")), timeout=15
    )
    await bridge.app.delivery.idle()

    (subscription,) = bridge.app.store.subscriptions.for_chat("discord", str(TEXT))
    assert subscription.paused_reason is not None and "403" in subscription.paused_reason
    assert bridge.app.store.outbox.counts_by_state() == {"dropped": 1}


async def test_a_429_is_waited_out_and_delivered_once(
    discord_fake: FakeDiscord, start_bridge: BridgeFactory
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "discord_channel": TEXT}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    limited = {"message": "You are being rate limited.", "retry_after": 0.2, "global": False}
    discord_fake.fail_next(
        "POST",
        f"/channels/{TEXT}/messages",
        429,
        limited,
        headers={"Via": "1.1 google", "Retry-After": "1"},
    )
    # Without Via, discord.py takes it for a Cloudflare block and gives up at once: the
    # bridge's own worker then waits Retry-After.
    discord_fake.fail_next(
        "POST", f"/channels/{TEXT}/messages", 429, limited, headers={"Retry-After": "1"}
    )
    bridge.sim.add_post("bob", text="worth the wait")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(TEXT, 1)
    await bridge.app.delivery.idle()

    statuses = [c.status for c in discord_fake.calls_to("POST", f"/channels/{TEXT}/messages")]
    assert statuses == [429, 429, 200]
    assert message.embeds[0]["description"] == "worth the wait"
    assert bridge.app.store.outbox.counts_by_state() == {"delivered": 1}
