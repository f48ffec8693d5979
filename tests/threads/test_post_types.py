"""Modern post types read back through the real client from the simulator: text attachments,
spoilers, polls (and their results), GIFs, topic tags, link attachments, ghost posts, AUDIO
and media types Meta has not documented yet."""

from __future__ import annotations

from datetime import timedelta

import httpx

from bot.events import MediaKind
from bot.threads.client import ThreadsClient
from bot.threads.models import POST_FIELDS
from simulator import SimUser, ThreadsSimulator


async def test_every_read_asks_for_the_modern_fields(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    sim.add_profile("bob")
    post = sim.add_post("bob", text="hi")
    await client.user_threads()
    await client.profile_posts("bob")
    await client.media(post.id)
    for request in sim.requests:
        asked = request.query["fields"]
        for field in ("text_entities", "text_attachment", "ghost_post_status", "gif_url"):
            assert field in asked, (request.path, field)
    assert "ghost_post_expiration_timestamp" in POST_FIELDS


async def test_text_attachment_spoilers_topic_and_link_are_parsed(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob")
    body = "Chapter one. " * 700  # 9,100 characters
    sim.add_post(
        "bob",
        text="The butler did it, read on",
        text_attachment=body,
        spoilers=[(4, 6)],
        topic_tag="Mysteries",
        link_attachment_url="https://example.com/story",
    )
    (post,) = (await client.profile_posts("bob")).items
    assert post.text_attachment == body
    assert post.spoilers == ((4, 6),)
    assert post.text[4:10] == "butler"
    assert post.topic_tag == "Mysteries"
    assert post.link_attachment_url == "https://example.com/story"
    assert post.ghost_expires_at is None


async def test_a_poll_reads_its_options_then_its_results(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob")
    made = sim.add_post("bob", text="Tea or coffee?", poll_options=["Tea", "Coffee", "Water"])
    fresh = await client.media(made.id)
    assert fresh.poll is not None
    assert fresh.poll.options == ("Tea", "Coffee", "Water")
    assert fresh.poll.total_votes == 0

    sim.set_poll_votes(made.id, [1, 2, 1])
    later = await client.media(made.id)
    assert later.poll is not None
    assert later.poll.total_votes == 4
    assert later.poll.percentages == (0.25, 0.5, 0.25)
    assert later.poll.expires_at == made.timestamp + timedelta(hours=24)


async def test_gif_spoiler_media_audio_and_unknown_types(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.add_profile("bob")
    sim.add_post("bob", text="mood", gif_url="https://media.giphy.com/media/abc/giphy.gif")
    sim.add_post(
        "bob", media_type="IMAGE", media_urls=["https://cdn.example/a.jpg"], is_spoiler_media=True
    )
    sim.add_post(
        "bob", text="listen", media_type="AUDIO", media_urls=["https://cdn.example/a.m4a"]
    )
    sim.add_post("bob", text="new", media_type="HOLOGRAM", media_urls=["https://cdn.example/h"])
    hologram, audio, image, gif = (await client.profile_posts("bob")).items
    assert gif.gif_url == "https://media.giphy.com/media/abc/giphy.gif"
    assert image.is_spoiler_media and image.media[0].kind is MediaKind.IMAGE
    assert audio.kind is MediaKind.AUDIO
    assert [(m.kind, m.url) for m in audio.media] == [
        (MediaKind.AUDIO, "https://cdn.example/a.m4a")
    ]
    assert hologram.kind is MediaKind.OTHER
    assert [m.url for m in hologram.media] == ["https://cdn.example/h"]


async def test_a_ghost_post_carries_its_expiry_and_is_archived_after_a_day(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    made = sim.add_post("alice", text="gone tomorrow", ghost=True)
    (post,) = (await client.user_threads()).items
    assert post.ghost_expires_at == made.timestamp + timedelta(hours=24)
    sim.advance(24 * 3600)
    async with httpx.AsyncClient() as raw:
        answer = await raw.get(
            f"{sim.base_url}/{made.id}",
            params={"fields": "ghost_post_status,ghost_post_expiration_timestamp"},
            headers={"Authorization": f"Bearer {alice.token}"},
        )
    assert answer.json()["ghost_post_status"] == "ARCHIVED"
