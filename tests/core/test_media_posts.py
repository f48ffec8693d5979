"""/post with photos and videos, and /crosspost, through the real Bridge: the file goes through
the real media relay (loopback), the Publisher makes the containers on the simulator, and the
relay forgets the file once Meta has it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import SYSTEM_CLOCK
from bot.commands import Context
from bot.events import Attachment, ChatMessage, ChatUser, Platform
from bot.media.pipeline import MediaPipeline
from bot.media.relay import MediaRelay
from simulator import SimUser, ThreadsSimulator
from storage.store import Store
from tests.core.conftest import GROUP, MEMBER, PUBLISHER, RecordingAdapter
from tests.media_samples import JPEG, MP4, PNG, sha256
from tests.virtual_time import SkipAheadClock

FILES = {"photo-1": JPEG, "photo-2": PNG, "clip": MP4, "not-a-photo": b"GIF89a..."}


@pytest.fixture
async def relay(tmp_path: Path) -> AsyncIterator[MediaRelay]:
    server = MediaRelay(tmp_path / "media", b"k" * 32, None, lifetime=3600)
    await server.start()  # no public_url: on loopback the relay's own address is public
    yield server
    await server.stop()


@pytest.fixture
def downloads() -> list[str]:
    return []


@pytest.fixture
def media_ctx(ctx: Context, relay: MediaRelay, downloads: list[str]) -> Context:
    """The pipeline as BridgeApp builds it, with Telegram's downloader replaced by the files
    a chat would hold (the adapter's real download is tested in tests/telegram/)."""
    pipeline = MediaPipeline(relay, clock=SYSTEM_CLOCK)

    async def fetch(attachment: Attachment) -> bytes:
        downloads.append(attachment.ref)
        return FILES[attachment.ref]

    pipeline.register(Platform.TELEGRAM, fetch)
    ctx.media = pipeline
    return ctx


def photo(ref: str, **kw: object) -> Attachment:
    return Attachment(Platform.TELEGRAM, "IMAGE", ref, content_type="image/jpeg", **kw)  # type: ignore[arg-type]


def staged_files(relay_dir: Path) -> list[Path]:
    return list(relay_dir.iterdir()) if relay_dir.is_dir() else []


async def test_a_photo_with_post_is_published_through_the_relay_and_then_forgotten(
    media_ctx: Context,
    relay: MediaRelay,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    store: Store,
    tmp_path: Path,
) -> None:
    reply = await telegram_chat.send(
        GROUP, PUBLISHER, "/post Sunrise at the lake #nature", attachments=(photo("photo-1"),)
    )

    assert reply.ok, reply.text
    (post,) = sim.posts_by("alice")
    assert reply.text == f"Published on Threads: {post.permalink}"
    assert post.media_type == "IMAGE"
    assert post.text == "Sunrise at the lake #nature"
    assert post.spec.topic_tag == "nature"
    assert post.spec.media_url is not None
    assert post.spec.media_url.startswith(relay.url + "/media/")
    assert staged_files(tmp_path / "media") == []  # released once Meta had it
    (entry,) = store.audit.entries()
    assert (entry["action"], entry["detail"], entry["result"]) == (
        "post",
        "[1 photo] Sunrise at the lake #nature",
        "ok",
    )


async def test_several_attachments_become_one_carousel(
    media_ctx: Context, telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    clip = Attachment(Platform.TELEGRAM, "VIDEO", "clip", content_type="video/mp4", duration=12)
    reply = await telegram_chat.send(
        GROUP,
        PUBLISHER,
        "/post Our week",
        attachments=(photo("photo-1"), photo("photo-2", spoiler=True), clip),
    )

    assert reply.ok, reply.text
    (post,) = [p for p in sim.posts_by("alice") if not p.is_carousel_item]
    assert post.media_type == "CAROUSEL_ALBUM"
    assert [child.media_type for child in post.spec.children] == ["IMAGE", "IMAGE", "VIDEO"]
    assert post.spec.is_spoiler_media  # one was sent behind a spoiler in chat


async def test_media_that_meta_would_refuse_is_refused_before_anything_is_downloaded(
    media_ctx: Context,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    downloads: list[str],
) -> None:
    big = photo("photo-1", size=9 * 1024 * 1024)
    long_clip = Attachment(
        Platform.TELEGRAM, "VIDEO", "clip", content_type="video/mp4", duration=400
    )
    gif = Attachment(Platform.TELEGRAM, "IMAGE", "x", content_type="image/gif")
    sticker = Attachment(Platform.TELEGRAM, "OTHER", "s", name="sticker.webp")

    answers = [
        (await telegram_chat.send(GROUP, PUBLISHER, "/post hi", attachments=(a,))).text
        for a in (big, long_clip, gif, sticker)
    ]

    assert answers == [
        "An image on Threads is at most 8 MB; this one is 9 MB.",
        "A video on Threads is at most 5 minutes; this one is 6.7 minutes.",
        "Threads takes JPEG or PNG images; this one is image/gif.",
        "Threads posts take photos and videos only (JPEG, PNG, MP4 or MOV); sticker.webp is "
        "not one.",
    ]
    assert downloads == []
    assert sim.posts_by("alice") == []


async def test_a_file_that_is_not_what_it_claims_is_refused_after_download(
    media_ctx: Context, telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    reply = await telegram_chat.send(
        GROUP, PUBLISHER, "/post hi", attachments=(photo("not-a-photo"),)
    )
    assert (reply.ok, reply.text) == (
        False,
        "Threads takes JPEG or PNG images; this file is neither.",
    )
    assert sim.posts_by("alice") == []


async def test_without_a_media_store_the_operator_is_named(
    ctx: Context, telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    reply = await telegram_chat.send(GROUP, PUBLISHER, "/post hi", attachments=(photo("p"),))
    assert not reply.ok
    assert "[media] public_url" in reply.text
    assert sim.posts_by("alice") == []


async def test_crosspost_publishes_the_answered_message_and_audits_who(
    media_ctx: Context,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    store: Store,
) -> None:
    written = ChatMessage(
        "Doors open at 7 tonight", (photo("photo-1"),), ChatUser("555", "Sam"), "900"
    )
    refused = await telegram_chat.send(
        GROUP, MEMBER, "/crosspost", reply_to="900", answered=written
    )
    done = await telegram_chat.send(
        GROUP, PUBLISHER, "/crosspost", reply_to="900", answered=written
    )
    text_only = await telegram_chat.send(
        GROUP,
        PUBLISHER,
        "/crosspost",
        reply_to="901",
        answered=ChatMessage("Just words", (), ChatUser("555", "Sam"), "901"),
    )
    nothing = await telegram_chat.send(
        GROUP, PUBLISHER, "/crosspost", reply_to="902", answered=ChatMessage("", ())
    )
    unseen = await telegram_chat.send(GROUP, PUBLISHER, "/crosspost", reply_to="903")

    assert not refused.ok and "Only configured publishers" in refused.text
    posts = {p.text: p for p in sim.posts_by("alice")}
    assert done.text == f"Cross-posted on Threads: {posts['Doors open at 7 tonight'].permalink}"
    assert posts["Doors open at 7 tonight"].media_type == "IMAGE"
    assert text_only.text == f"Cross-posted on Threads: {posts['Just words'].permalink}"
    assert not nothing.ok and "nothing Threads can carry" in nothing.text
    assert not unseen.ok and "cannot see the message" in unseen.text
    audited = [(e["user_id"], e["action"], e["result"]) for e in reversed(store.audit.entries())]
    assert audited == [
        (MEMBER.id, "crosspost", "refused"),
        (PUBLISHER.id, "crosspost", "ok"),
        (PUBLISHER.id, "crosspost", "ok"),
    ]


async def test_a_url_that_expired_before_meta_fetched_it_is_reissued_not_failed(
    ctx: Context,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    tmp_path: Path,
) -> None:
    """The second file of an album takes longer to download than the first one's URL lives
    (a slow platform, a big video): Meta is refused the first URL, and the bridge hands it a
    fresh one instead of failing the post."""
    clock = SkipAheadClock()
    relay = MediaRelay(tmp_path / "media", b"k" * 32, None, lifetime=60, clock=clock)
    pipeline = MediaPipeline(relay, clock=clock)

    async def slow_fetch(attachment: Attachment) -> bytes:
        if attachment.ref == "photo-2":
            clock.advance(120)  # the first photo's URL has expired meanwhile
        return FILES[attachment.ref]

    pipeline.register(Platform.TELEGRAM, slow_fetch)
    ctx.media = pipeline
    async with relay:
        reply = await telegram_chat.send(
            GROUP, PUBLISHER, "/post Two", attachments=(photo("photo-1"), photo("photo-2"))
        )

    assert reply.ok, reply.text
    (post,) = [p for p in sim.posts_by("alice") if not p.is_carousel_item]
    assert [child.fetched.sha256 for child in post.spec.children if child.fetched] == [
        sha256(JPEG),
        sha256(PNG),
    ]
    refused = [f for f in sim.fetched if f.status == 410]
    assert len(refused) == 1  # the expired URL, answered "Gone" by the relay


async def test_meta_unable_to_reach_the_relay_is_told_in_words(
    ctx: Context,
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    tmp_path: Path,
) -> None:
    """public_url names an address Meta cannot reach (here: a closed port)."""
    relay = MediaRelay(tmp_path / "media", b"k" * 32, "http://127.0.0.1:9", lifetime=60)
    pipeline = MediaPipeline(relay)

    async def fetch(attachment: Attachment) -> bytes:
        return FILES[attachment.ref]

    pipeline.register(Platform.TELEGRAM, fetch)
    ctx.media = pipeline
    async with relay:
        reply = await telegram_chat.send(
            GROUP, PUBLISHER, "/post hi", attachments=(photo("photo-1"),)
        )
    assert (reply.ok, reply.text) == (
        False,
        "Meta could not download the image; is [media] public_url reachable from the internet?",
    )
    assert list((tmp_path / "media").iterdir()) == []  # nothing left behind
