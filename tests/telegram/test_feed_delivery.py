"""Threads -> Telegram, end to end: what people in the chat see."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta

from tests.telegram.conftest import GROUP, PRIVATE, Bridge, BridgeFactory, reads


def feed(profile: str, chat: int, topic: int | None = None) -> dict[str, object]:
    entry: dict[str, object] = {"profile": profile, "telegram_chat": chat}
    if topic is not None:
        entry["telegram_topic"] = topic
    return entry


async def test_new_post_reaches_the_chat_with_author_and_link(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    bridge.sim.add_profile("bob", name="Bob Builder", followers=5000)
    await bridge.poll("bob")  # the baseline
    post = bridge.sim.add_post("bob", text="Fresh from Threads")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)

    assert message.method == "sendMessage"
    assert message.visible_text.splitlines()[0] == "Bob Builder (@bob)"
    assert "Fresh from Threads" in message.visible_text
    assert post.permalink in message.text


async def test_existing_posts_are_not_announced(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    bridge.sim.add_profile("bob", followers=5000)
    for n in range(5):
        bridge.sim.add_post(
            "bob", text=f"old news {n}", timestamp=bridge.sim.now() - timedelta(minutes=5)
        )

    await bridge.poll("bob")
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="actually new")
    await bridge.poll("bob")
    messages = await bridge.delivered(PRIVATE, 1)

    assert [m.visible_text.count("old news") for m in messages] == [0]
    assert "actually new" in messages[0].visible_text


async def test_catch_up_after_downtime_delivers_everything_oldest_first(
    start_bridge: BridgeFactory,
) -> None:
    first: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    first.sim.add_profile("bob", followers=5000)
    await first.poll("bob")
    await first.app.stop()
    for n in range(3):
        first.sim.advance(600)
        first.sim.add_post("bob", text=f"while you were away {n}")

    second: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    await second.poll("bob")
    messages = await second.delivered(PRIVATE, 3)

    assert [m.visible_text.split("\n\n")[1] for m in messages] == [
        f"while you were away {n}" for n in range(3)
    ]


async def test_threads_text_is_shown_not_interpreted(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="<b>@everyone</b> & <a href='x'>click</a>")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)

    assert "<b>@everyone</b> & <a href='x'>click</a>" in reads(message)
    assert message.parse_mode == "HTML"


async def test_an_at_name_in_a_post_notifies_nobody(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", GROUP)])
    bridge.tg.add_user(2001, "Someone", username="someone")
    bridge.tg.set_member(GROUP, 2001, "member")
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    text = (
        "ping @someone (cc @Someone_Else), mail me@example.com, see https://www.threads.com/@bob"
    )
    original = bridge.sim.add_post("bob", text=text)
    bridge.sim.add_post("bob", text="so true, @someone", quote_of=original.id)

    await bridge.poll("bob")
    messages = await bridge.delivered(GROUP, 2)

    assert text in reads(messages[0])
    assert "ping @someone" in reads(messages[1])  # the quoted excerpt
    assert "so true, @someone" in reads(messages[1])
    for message in messages:
        stored = bridge.tg.message(GROUP, message.message_id)
        assert stored is not None
        assert [e for e in stored.get("entities", []) if e["type"] == "mention"] == []


async def test_image_video_and_carousel(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    sim = bridge.sim
    sim.add_post("bob", text="a photo", media_type="IMAGE", media_urls=("https://c.ex/p.jpg",))
    sim.add_post("bob", text="a clip", media_type="VIDEO", media_urls=("https://c.ex/v.mp4",))
    album = tuple(f"https://c.ex/{n}.jpg" for n in range(12))
    sim.add_post("bob", text="an album", media_type="CAROUSEL_ALBUM", media_urls=album)

    await bridge.poll("bob")
    photo, video, group, rest = await bridge.delivered(PRIVATE, 4)

    assert (photo.method, photo.media) == ("sendPhoto", (("photo", "https://c.ex/p.jpg"),))
    assert "a photo" in (photo.visible_text or "")
    assert (video.method, video.media) == ("sendVideo", (("video", "https://c.ex/v.mp4"),))
    assert group.method == rest.method == "sendMediaGroup"
    assert [ref for _, ref in group.media + rest.media] == list(album)
    assert "an album" in (group.visible_text or "")


async def test_media_telegram_cannot_fetch_falls_back_to_links(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", PRIVATE)])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.tg.reject_url("https://c.ex/huge.mp4")
    bridge.sim.add_post(
        "bob", text="too big", media_type="VIDEO", media_urls=("https://c.ex/huge.mp4",)
    )

    await bridge.poll("bob")
    (message,) = await bridge.delivered(PRIVATE, 1)

    assert message.method == "sendMessage"
    assert "too big" in message.visible_text
    assert 'href="https://c.ex/huge.mp4"' in message.text


async def test_delivery_into_a_forum_topic(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("bob", GROUP, topic=77)])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    bridge.sim.add_post("bob", text="into the topic")

    await bridge.poll("bob")
    (message,) = await bridge.delivered(GROUP, 1)

    assert message.message_thread_id == 77


async def test_connected_account_is_read_without_discovery(start_bridge: BridgeFactory) -> None:
    bridge: Bridge = await start_bridge(feeds=[feed("me", PRIVATE)])
    await bridge.poll("me")
    bridge.sim.add_post("alice", text="my own news", media_type="TEXT_POST")
    bridge.sim.clear_requests()

    await bridge.poll("me")
    (message,) = await bridge.delivered(PRIVATE, 1)

    assert "my own news" in message.visible_text
    assert not [r for r in bridge.sim.requests if "profile_" in r.path]


def link_buttons(call_params: Mapping[str, str]) -> list[tuple[str, str]]:
    markup = json.loads(call_params.get("reply_markup", "null")) or {"inline_keyboard": []}
    return [(b["text"], b["url"]) for row in markup["inline_keyboard"] for b in row]


async def test_every_post_carries_reply_and_quote_on_threads_for_anyone(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(feeds=[{"profile": "bob", "telegram_chat": PRIVATE}])
    bridge.sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    text_post = bridge.sim.add_post("bob", text="words only")
    photo_post = bridge.sim.add_post(
        "bob", text="a view", media_type="IMAGE", media_urls=("https://c.ex/1.jpg",)
    )
    bridge.sim.add_post(
        "bob",
        text="an album",
        media_type="CAROUSEL_ALBUM",
        media_urls=("https://c.ex/a.jpg", "https://c.ex/b.jpg"),
    )

    await bridge.poll("bob")
    await bridge.delivered(PRIVATE, 3)

    intent = "https://www.threads.com/intent/post"
    for method, post in (("sendMessage", text_post), ("sendPhoto", photo_post)):
        (call,) = [c for c in bridge.tg.calls_to(method) if c.ok]
        code = post.permalink.rsplit("/", 1)[1]
        assert link_buttons(call.params) == [
            ("Reply on Threads", f"{intent}?reply_post_shortcode={code}"),
            ("Quote on Threads", f"{intent}?quote_post_shortcode={code}"),
        ]
    # Telegram takes no buttons on an album: it goes without rather than failing.
    (album,) = bridge.tg.calls_to("sendMediaGroup")
    assert album.ok and "reply_markup" not in album.params
