"""Photos and videos from Discord to Threads, end to end: `/threads post` with attachment
options and the "Cross-post to Threads" message menu, through the real discord.py. Discord's
attachment URLs carry no credential of the bot, so Meta (the simulator) is handed them as they
are and downloads the files from the fake Discord's CDN itself; the bridge fetches nothing."""

from __future__ import annotations

from typing import Any

from simulator import SimPost, SimUser
from tests.discord.conftest import BOB, GUILD, PUBLISHER, TEXT, Bridge, InteractionAnswer
from tests.fakes.discord.cdn import Upload
from tests.media_samples import JPEG, MP4, PNG, sha256

DEFERRED, ANSWERED = 5, 4
MENU = "Cross-post to Threads"


async def post(bridge: Bridge, user: int, **options: Any) -> InteractionAnswer:
    """`/threads post` with `options` (Uploads for the media options) as `user`."""
    sent = await bridge.discord.invoke_slash(
        GUILD, TEXT, user, "threads", subcommand="post", options=options
    )
    return await bridge.answer_to(sent)


def top_level(bridge: Bridge) -> list[SimPost]:
    return [p for p in bridge.sim.posts_by("alice") if not p.is_carousel_item]


async def test_an_image_attachment_is_published_from_discord_s_own_url(
    bridge: Bridge, alice: SimUser
) -> None:
    answer = await post(
        bridge,
        PUBLISHER,
        text="Sunrise at the lake",
        media1=Upload("lake.jpg", JPEG, "image/jpeg"),
    )

    (published,) = top_level(bridge)
    assert answer.callbacks == [DEFERRED]
    assert answer.text == f"Published on Threads: {published.permalink}"
    assert (published.media_type, published.text) == ("IMAGE", "Sunrise at the lake")
    # Meta was given the attachment's signed CDN URL and downloaded exactly the file sent.
    fetched = published.spec.fetched
    assert fetched is not None and fetched.sha256 == sha256(JPEG)
    (download,) = bridge.discord.cdn.downloads
    assert fetched.url.startswith(f"{bridge.discord.url}{download}?ex=")
    assert "&hm=" in fetched.url and bridge.discord.token not in fetched.url
    assert not published.spec.is_spoiler_media


async def test_three_attachments_become_a_carousel_in_their_order(
    bridge: Bridge, alice: SimUser
) -> None:
    answer = await post(
        bridge,
        PUBLISHER,
        text="Our week #travel",
        media1=Upload("day1.png", PNG, "image/png"),
        media2=Upload("day2.jpg", JPEG, "image/jpeg"),
        media3=Upload("day3.mp4", MP4, "video/mp4"),
    )

    (published,) = top_level(bridge)
    assert answer.text == f"Published on Threads: {published.permalink}"
    assert published.media_type == "CAROUSEL_ALBUM"
    assert [c.media_type for c in published.spec.children] == ["IMAGE", "IMAGE", "VIDEO"]
    await bridge.sim.downloads_settled()
    fetched = [c.fetched.sha256 for c in published.spec.children if c.fetched]
    assert fetched == [sha256(PNG), sha256(JPEG), sha256(MP4)]
    assert (published.text, published.spec.topic_tag) == ("Our week #travel", "travel")


async def test_media_alone_needs_no_text_and_a_spoiler_stays_hidden(
    bridge: Bridge, alice: SimUser
) -> None:
    answer = await post(
        bridge, PUBLISHER, media1=Upload("finale.png", PNG, "image/png", spoiler=True)
    )

    (published,) = top_level(bridge)
    assert answer.text == f"Published on Threads: {published.permalink}"
    assert (published.media_type, published.text) == ("IMAGE", "")
    assert published.spec.is_spoiler_media


async def test_neither_text_nor_media_is_answered_with_the_usage(
    bridge: Bridge, alice: SimUser
) -> None:
    answer = await post(bridge, PUBLISHER)
    assert answer.text.startswith("Usage: /post") and top_level(bridge) == []


async def test_a_gif_or_a_text_file_is_refused_in_words_and_nothing_is_published(
    bridge: Bridge, alice: SimUser
) -> None:
    gif = await post(
        bridge,
        PUBLISHER,
        text="look",
        media1=Upload("dance.gif", b"GIF89a" + bytes(64), "image/gif"),
    )
    txt = await post(
        bridge,
        PUBLISHER,
        text="notes",
        media1=Upload("lake.jpg", JPEG, "image/jpeg"),
        media2=Upload("notes.txt", b"hello", "text/plain; charset=utf-8"),
    )

    assert gif.text == "Threads takes JPEG or PNG images; this one is image/gif."
    assert txt.text == (
        "Threads posts take photos and videos only (JPEG, PNG, MP4 or MOV); notes.txt is not one."
    )
    assert top_level(bridge) == [] and bridge.sim.fetched == []
    assert bridge.discord.cdn.downloads == []  # refused before anyone fetched anything


async def test_a_member_is_refused_ephemerally_and_nothing_is_fetched(
    bridge: Bridge, alice: SimUser
) -> None:
    answer = await post(bridge, BOB, text="mine", media1=Upload("me.jpg", JPEG, "image/jpeg"))

    assert answer.callbacks == [ANSWERED] and answer.ephemeral
    assert answer.text.startswith("Only configured publishers can publish to Threads.")
    assert top_level(bridge) == [] and bridge.sim.fetched == []
    assert bridge.discord.cdn.downloads == []
    (audit,) = bridge.app.store.audit.entries()
    assert (audit["user_id"], audit["action"], audit["result"]) == (str(BOB), "post", "refused")


async def test_the_context_menu_cross_posts_a_members_message(
    bridge: Bridge, alice: SimUser
) -> None:
    written = bridge.discord.write_message(
        TEXT, BOB, "Our new mural", [Upload("mural.png", PNG, "image/png")]
    )

    refused = await bridge.answer_to(
        await bridge.discord.invoke_message_command(GUILD, TEXT, BOB, MENU, written)
    )
    done = await bridge.answer_to(
        await bridge.discord.invoke_message_command(GUILD, TEXT, PUBLISHER, MENU, written)
    )

    assert refused.ephemeral and refused.text.startswith("Only configured publishers")
    (published,) = top_level(bridge)
    assert done.callbacks == [DEFERRED] and not done.ephemeral
    assert done.text == f"Cross-posted on Threads: {published.permalink}"
    assert (published.media_type, published.text) == ("IMAGE", "Our new mural")
    assert published.spec.fetched is not None
    assert published.spec.fetched.sha256 == sha256(PNG)
    audit = [(a["user_id"], a["action"], a["result"]) for a in bridge.app.store.audit.entries()]
    assert sorted(audit) == sorted(
        [(str(BOB), "crosspost", "refused"), (str(PUBLISHER), "crosspost", "ok")]
    )
    ok = next(a for a in bridge.app.store.audit.entries() if a["result"] == "ok")
    assert ok["detail"] == "[1 photo] Our new mural"


async def test_the_context_menu_on_a_text_message_publishes_its_text(
    bridge: Bridge, alice: SimUser
) -> None:
    written = bridge.discord.write_message(TEXT, BOB, "Words only, from Discord")

    done = await bridge.answer_to(
        await bridge.discord.invoke_message_command(GUILD, TEXT, PUBLISHER, MENU, written)
    )

    (published,) = top_level(bridge)
    assert done.text == f"Cross-posted on Threads: {published.permalink}"
    assert (published.media_type, published.text) == ("TEXT_POST", "Words only, from Discord")


async def test_an_image_over_8_mb_is_refused_by_the_size_discord_reports(
    bridge: Bridge, alice: SimUser
) -> None:
    big = JPEG + bytes(9 * 1024 * 1024)
    answer = await post(bridge, PUBLISHER, media1=Upload("huge.jpg", big, "image/jpeg"))

    assert answer.text == "An image on Threads is at most 8 MB; this one is 9 MB."
    assert top_level(bridge) == [] and bridge.discord.cdn.downloads == []


async def test_the_post_options_reach_threads(bridge: Bridge, alice: SimUser) -> None:
    """Who may reply, a link preview and a ||spoiler||, chosen in Discord's own options."""
    answer = await post(
        bridge,
        PUBLISHER,
        text="Launch on ||Friday||",
        replies="followers",
        link="https://example.com/launch",
    )

    (published,) = top_level(bridge)
    assert answer.text == f"Published on Threads: {published.permalink}"
    assert published.text == "Launch on Friday"
    assert published.spec.reply_audience == "FOLLOWERS_ONLY"
    assert published.spec.link_attachment_url == "https://example.com/launch"
    assert published.spec.text_entities == [{"entity_type": "SPOILER", "offset": 10, "length": 6}]
