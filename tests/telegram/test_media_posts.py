"""Photos, albums and videos from Telegram to Threads, end to end: the real python-telegram-bot
downloads the file from the fake Bot API's file endpoint, the bridge's relay serves it under a
signed URL, the simulator is handed that URL (never one holding the bot token)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.runtime.logs import setup_logging
from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.media_samples import JPEG, MP4, PNG, sha256
from tests.telegram.conftest import GROUP, MEMBER, PRIVATE, PUBLISHER, Bridge, reads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def relay_port() -> int:
    return free_port()


@pytest.fixture
async def bridge(start_bridge: Any, relay_port: int) -> Bridge:
    """The bridge with its media relay on loopback, public_url pointing at it (on a real
    server, a reverse proxy's HTTPS address)."""
    media = {"public_url": f"http://127.0.0.1:{relay_port}", "listen_port": relay_port}
    result: Bridge = await start_bridge(media=media)
    return result


async def answer_to_media(
    bridge: Bridge, chat: int, user: int, files: list[tuple[str, bytes]], caption: str, **kw: Any
) -> str:
    before = len(bridge.tg.sent_to(chat))
    bridge.tg.send_media(chat, user, files, caption, **kw)
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(chat)) > before, timeout=15)
    return reads(bridge.tg.sent_to(chat)[before])


def database_files(directory: Path) -> list[bytes]:
    """The database and its journal files, as bytes."""
    return [path.read_bytes() for path in directory.glob("bridge.db*") if path.is_file()]


def top_level(sim: ThreadsSimulator) -> list[Any]:
    return [p for p in sim.posts_by("alice") if not p.is_carousel_item]


async def test_a_photo_captioned_post_is_published_and_the_token_goes_nowhere(
    bridge: Bridge,
    tg: FakeTelegram,
    sim: ThreadsSimulator,
    alice: SimUser,
    relay_port: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("DEBUG")  # the bridge's own log, as an operator reads it

    answer = await answer_to_media(
        bridge, GROUP, PUBLISHER, [("photo", JPEG)], "/post Sunrise at the lake"
    )

    (post,) = top_level(sim)
    assert answer == f"Published on Threads: {post.permalink}"
    assert (post.media_type, post.text) == ("IMAGE", "Sunrise at the lake")
    # Meta (the simulator) downloaded exactly the photo sent, from the relay, which then
    # forgot it: the URL answers 404 now.
    assert post.spec.fetched is not None
    assert post.spec.fetched.sha256 == sha256(JPEG)
    async with httpx.AsyncClient() as http:
        assert (await http.get(post.spec.fetched.url)).status_code == 404
    # The full-size photo was downloaded (Telegram lists a thumbnail first), through the file
    # endpoint beside api_base.
    (path,) = tg.file_downloads
    assert tg.state.file_by_path(path).data == JPEG  # type: ignore[union-attr]
    media_url = post.spec.media_url
    assert media_url is not None
    assert media_url.startswith(f"http://127.0.0.1:{relay_port}/media/")
    # No bot token in the URL given to Meta, in the answer, in any log line or in the database.
    token = tg.token
    assert token not in media_url
    assert token not in answer
    log = capsys.readouterr().err
    assert "staged image/jpeg of" in log  # the log did run
    assert token not in log
    assert all(token.encode() not in data for data in database_files(tmp_path))


async def test_an_album_becomes_a_carousel_in_order(
    bridge: Bridge, sim: ThreadsSimulator, alice: SimUser
) -> None:
    answer = await answer_to_media(
        bridge,
        PRIVATE,
        PUBLISHER,
        [("photo", JPEG), ("photo", PNG), ("video", MP4)],
        "/post Our week #travel",
    )

    (post,) = top_level(sim)
    assert answer == f"Published on Threads: {post.permalink}"
    assert post.media_type == "CAROUSEL_ALBUM"
    assert [child.media_type for child in post.spec.children] == ["IMAGE", "IMAGE", "VIDEO"]
    await sim.downloads_settled()
    fetched = [child.fetched.sha256 for child in post.spec.children if child.fetched]
    assert fetched == [sha256(JPEG), sha256(PNG), sha256(MP4)]
    assert (post.text, post.spec.topic_tag) == ("Our week #travel", "travel")


async def test_a_spoiler_photo_is_published_as_spoiler_media(
    bridge: Bridge, sim: ThreadsSimulator, alice: SimUser
) -> None:
    await answer_to_media(
        bridge, PRIVATE, PUBLISHER, [("photo", JPEG)], "/post The finale", spoiler=True
    )
    (post,) = top_level(sim)
    assert post.spec.is_spoiler_media


async def test_crosspost_publishes_a_members_photo_and_refuses_members(
    bridge: Bridge, tg: FakeTelegram, sim: ThreadsSimulator, alice: SimUser
) -> None:
    tg.set_member(GROUP, tg.bot_user.id, "administrator")  # sees every message in the group
    (written,) = tg.send_media(GROUP, MEMBER, [("photo", PNG)], "Our new mural")

    refused = await bridge.command(GROUP, MEMBER, "/crosspost", reply_to=written["message_id"])
    done = await bridge.command(GROUP, PUBLISHER, "/crosspost", reply_to=written["message_id"])

    assert "Only configured publishers" in reads(refused)
    (post,) = top_level(sim)
    assert reads(done) == f"Cross-posted on Threads: {post.permalink}"
    assert (post.media_type, post.text) == ("IMAGE", "Our new mural")


async def test_a_file_over_telegrams_download_limit_is_refused_in_words(
    bridge: Bridge, sim: ThreadsSimulator, alice: SimUser
) -> None:
    big_video = MP4 + b"\0" * (21 * 1024 * 1024)
    answer = await answer_to_media(bridge, PRIVATE, PUBLISHER, [("video", big_video)], "/post x")
    assert answer.startswith("Telegram lets bots download files of up to 20 MB")
    assert top_level(sim) == []


async def test_without_public_url_photos_are_refused_and_text_still_works(
    start_bridge: Any, tg: FakeTelegram, sim: ThreadsSimulator, alice: SimUser
) -> None:
    bridge = await start_bridge()
    answer = await answer_to_media(bridge, PRIVATE, PUBLISHER, [("photo", JPEG)], "/post x")
    assert "[media] public_url" in answer
    text = await bridge.command(PRIVATE, PUBLISHER, "/post words only")
    assert reads(text).startswith("Published on Threads: ")
