"""The built-in relay over real HTTP: only a URL the bridge signed, unexpired, gets the file;
nothing can be listed or guessed; old files go; the key survives a restart."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.config import parse_config
from bot.media.relay import PROBE_PATH, MediaRelay
from bot.media.staging import MediaStoreError
from bot.runtime.media import build_relay
from storage.store import Store
from tests.media_samples import JPEG, PNG
from tests.virtual_time import SkipAheadClock


@pytest.fixture
def clock() -> SkipAheadClock:
    return SkipAheadClock()


@pytest.fixture
async def relay(tmp_path: Path, clock: SkipAheadClock) -> AsyncIterator[MediaRelay]:
    async with MediaRelay(tmp_path / "media", b"s" * 32, None, lifetime=600, clock=clock) as r:
        yield r


async def get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(url)


async def test_a_signed_url_serves_the_file_with_its_type(relay: MediaRelay) -> None:
    staged = await relay.stage(PNG, "image/png")
    answer = await get(staged.url)
    assert (answer.status_code, answer.content) == (200, PNG)
    assert answer.headers["content-type"] == "image/png"
    assert staged.size == len(PNG)


async def test_anything_but_the_exact_signed_url_is_a_404(relay: MediaRelay) -> None:
    staged = await relay.stage(JPEG, "image/jpeg")
    parts = urlsplit(staged.url)
    query = parse_qs(parts.query)
    base = f"{relay.url}{parts.path}"
    later = int(query["expires"][0]) + 3600
    tries = [
        f"{base}?expires={query['expires'][0]}&sig={'0' * 64}",  # forged signature
        f"{base}?expires={later}&sig={query['sig'][0]}",  # extended expiry
        f"{base}?sig={query['sig'][0]}",  # no expiry
        base,  # no signature at all
        f"{relay.url}/media/",  # a listing
        f"{relay.url}/media/..%2F..%2Fetc%2Fpasswd?expires=1&sig=x",  # a path out
        f"{relay.url}/",
    ]
    assert [(await get(url)).status_code for url in tries] == [404] * len(tries)


async def test_an_expired_url_is_gone_and_a_reissued_one_works(
    relay: MediaRelay, clock: SkipAheadClock
) -> None:
    staged = await relay.stage(JPEG, "image/jpeg")
    clock.advance(601)
    assert (await get(staged.url)).status_code == 410
    fresh = await relay.reissue(staged)
    assert fresh.url != staged.url
    assert (await get(fresh.url)).content == JPEG


async def test_released_files_are_gone_and_old_ones_are_swept(
    relay: MediaRelay, clock: SkipAheadClock, tmp_path: Path
) -> None:
    released = await relay.stage(JPEG, "image/jpeg")
    await relay.release(released.key)
    await relay.release(released.key)  # twice is harmless
    assert (await get(released.url)).status_code == 404
    in_flight = await relay.stage(PNG, "image/png")
    # A file from before a restart (nobody holds it) is swept once its URL has expired.
    (tmp_path / "media" / f"{int(clock.time()) - 10}-orphan.png").write_bytes(PNG)
    clock.advance(601)
    assert relay.sweep() == 1
    assert [p.name for p in (tmp_path / "media").iterdir()] == [in_flight.key]


async def test_two_files_get_unrelated_unguessable_names(relay: MediaRelay) -> None:
    first = await relay.stage(JPEG, "image/jpeg")
    second = await relay.stage(JPEG, "image/jpeg")
    assert first.key != second.key
    random_part = first.key.split("-", 1)[1].removesuffix(".jpg")
    assert len(random_part) >= 32  # 192 bits, URL-safe base64


async def test_only_photos_and_videos_are_staged(relay: MediaRelay) -> None:
    with pytest.raises(MediaStoreError, match="does not serve text/html"):
        await relay.stage(b"<html>", "text/html")


async def test_a_relay_that_is_not_running_says_so(tmp_path: Path) -> None:
    stopped = MediaRelay(tmp_path / "media", b"s" * 32, "https://bridge.example")
    with pytest.raises(MediaStoreError, match="not running"):
        await stopped.stage(JPEG, "image/jpeg")


async def test_the_probe_proves_the_url_reaches_this_relay(relay: MediaRelay) -> None:
    answer = await get(f"{relay.url}{PROBE_PATH}?nonce=abc")
    assert answer.text == relay.probe_answer("abc")
    assert relay.probe_answer("abc") != relay.probe_answer("abd")


async def test_the_signing_key_is_kept_in_the_database_across_restarts(tmp_path: Path) -> None:
    config = parse_config(
        {
            "storage": {"path": str(tmp_path / "bridge.db")},
            "media": {"public_url": "https://bridge.example/relay"},
        },
        env={},
    )
    clock = SkipAheadClock()
    signatures = []
    for _ in range(2):  # two runs of the bridge on one database
        store = Store.open(config.storage.path)
        try:
            signatures.append(build_relay(config, store, clock).signature("k.jpg", 1))
        finally:
            store.close()
    assert signatures[0] == signatures[1]
    store = Store.open(config.storage.path)
    try:
        async with build_relay(config, store, clock) as relay:
            staged = await relay.stage(JPEG, "image/jpeg")
    finally:
        store.close()
    assert staged.url.startswith("https://bridge.example/relay/media/")  # Meta's way in
