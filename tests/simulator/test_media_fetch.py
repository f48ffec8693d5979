"""The simulator downloads image_url / video_url as Meta does, and fails containers as Meta
does when it cannot: an image in the create call (1 / 2207052), a video in the container's
status (FAILED_DOWNLOADING_VIDEO, FAILED_PROCESSING_VIDEO)."""

from __future__ import annotations

import httpx
import pytest

from bot.threads.client import ThreadsClient
from bot.threads.containers import ContainerRequest
from bot.threads.errors import ContainerFailed, MediaDownloadFailed
from bot.threads.publish import MediaItem, Publisher, WaitPolicy
from simulator import FetchedMedia, SimUser, ThreadsSimulator
from tests.media_host import MediaHost
from tests.media_samples import JPEG, MP4, NOT_MEDIA, PNG, sha256

from .helpers import create, create_id, graph_error, publish, status_of

QUICK = WaitPolicy(first_interval=0.02, max_interval=0.05, timeout=5.0)
IMAGE_SENTENCE = (
    "Meta could not download the image; is [media] public_url reachable from the internet?"
)
VIDEO_SENTENCE = (
    "Meta could not download the video; is [media] public_url reachable from the internet?"
)
MB = 1024 * 1024


@pytest.fixture
def publisher(client: ThreadsClient) -> Publisher:
    return Publisher(client, wait=QUICK)


def creates(sim: ThreadsSimulator) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and r.path.endswith("/threads"))


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("cat.jpg", JPEG, "image/jpeg"), ("cat.png", PNG, "image/png")],
)
async def test_an_image_is_downloaded_and_its_bytes_recorded(
    sim: ThreadsSimulator,
    alice: SimUser,
    publisher: Publisher,
    media_host: MediaHost,
    name: str,
    data: bytes,
    content_type: str,
) -> None:
    url = media_host.add(name, data, content_type)

    post = await publisher.media(MediaItem("IMAGE", url), text="cat")

    fetched = sim.fetched
    assert fetched == [
        FetchedMedia(
            url=url,
            kind="IMAGE",
            status=200,
            size=len(data),
            sha256=sha256(data),
            content_type=content_type,
            declared_type=content_type,
        )
    ]
    published = sim.get_post(post.id)
    assert published is not None and published.spec.fetched == fetched[0]
    assert media_host.hits[name] == 1  # fetched once, when the container was created


async def test_a_missing_image_fails_the_create_call_as_meta_does(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    missing = media_host.url_for("gone.jpg")

    error = graph_error(await create(api, media_type="IMAGE", image_url=missing))

    del error["fbtrace_id"]
    assert error == {
        "message": "An unknown error occurred",
        "type": "OAuthException",
        "code": 1,
        "error_subcode": 2207052,
        "is_transient": False,
        "error_user_title": "Media download has failed.",
        "error_user_msg": "The media could not be downloaded from the URI provided.",
    }
    assert [(f.url, f.status, f.error, f.sha256) for f in sim.fetched] == [
        (missing, 404, "HTTP 404", None)
    ]
    assert sim.state.containers == {}  # no container was made


async def test_the_client_names_the_media_host_when_an_image_cannot_be_downloaded(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    missing = media_host.url_for("gone.jpg")

    with pytest.raises(MediaDownloadFailed) as caught:
        await publisher.media(MediaItem("IMAGE", missing), text="cat")

    assert caught.value.reason == IMAGE_SENTENCE
    assert not caught.value.retryable
    assert creates(sim) == 1 and media_host.hits["gone.jpg"] == 1  # not tried again
    assert sim.posts_by("alice") == []


@pytest.mark.parametrize(
    ("data", "sniffed"), [(NOT_MEDIA, None), (MP4, "video/mp4")], ids=["html", "video"]
)
async def test_bytes_that_are_not_a_jpeg_or_png_are_refused_whatever_the_header_says(
    sim: ThreadsSimulator,
    alice: SimUser,
    client: ThreadsClient,
    media_host: MediaHost,
    data: bytes,
    sniffed: str | None,
) -> None:
    url = media_host.add("photo.jpg", data, "image/jpeg")

    with pytest.raises(MediaDownloadFailed, match=r"could not download the image"):
        await client.create_container(ContainerRequest("IMAGE", image_url=url))

    [fetched] = sim.fetched
    assert (fetched.status, fetched.declared_type, fetched.error) == (200, "image/jpeg", None)
    assert (fetched.content_type, fetched.sha256) == (sniffed, sha256(data))
    assert sim.state.containers == {}


async def test_an_unreachable_host_is_a_failed_download(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    url = "http://127.0.0.1:9/photo.jpg"  # the discard port: nothing listens there

    with pytest.raises(MediaDownloadFailed):
        await client.create_container(ContainerRequest("IMAGE", image_url=url))

    [fetched] = sim.fetched
    assert (fetched.url, fetched.status, fetched.size) == (url, None, 0)
    assert fetched.error is not None and fetched.error.startswith("ClientConnector")


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_images_over_8_mb_are_refused_without_reading_on(
    sim: ThreadsSimulator,
    alice: SimUser,
    client: ThreadsClient,
    media_host: MediaHost,
    chunked: bool,
) -> None:
    limit = JPEG + bytes(8 * MB - len(JPEG))
    at_limit = media_host.add("limit.jpg", limit, "image/jpeg", chunked=chunked)
    over = media_host.add("over.jpg", limit + bytes(8 * MB), "image/jpeg", chunked=chunked)

    await client.create_container(ContainerRequest("IMAGE", image_url=at_limit))
    with pytest.raises(MediaDownloadFailed):
        await client.create_container(ContainerRequest("IMAGE", image_url=over))

    accepted, refused = sim.fetched
    assert (accepted.size, accepted.sha256) == (8 * MB, sha256(limit))
    assert refused.error == "larger than the 8 MB limit" and refused.sha256 is None
    if chunked:  # reading stops within one chunk past the limit, not at the end (16 MB)
        assert 8 * MB < refused.size <= 8 * MB + 64 * 1024
    else:  # told by Content-Length: nothing is read
        assert refused.size == 0


async def test_redirects_are_followed(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    media_host.add("new.png", PNG, "image/png")
    old = media_host.redirect("old.png", "new.png")

    await publisher.media(MediaItem("IMAGE", old))

    [fetched] = sim.fetched
    assert (fetched.url, fetched.status, fetched.sha256) == (old, 200, sha256(PNG))
    assert (media_host.hits["old.png"], media_host.hits["new.png"]) == (1, 1)


async def test_a_carousel_downloads_every_image(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    items = [
        MediaItem("IMAGE", media_host.add("one.jpg", JPEG, "image/jpeg")),
        MediaItem("IMAGE", media_host.add("two.png", PNG, "image/png")),
    ]

    post = await publisher.carousel(items, text="two")

    assert [(f.url, f.sha256) for f in sim.fetched] == [
        (items[0].url, sha256(JPEG)),
        (items[1].url, sha256(PNG)),
    ]
    album = sim.get_post(post.id)
    assert album is not None
    assert [child.fetched.sha256 for child in album.spec.children if child.fetched] == [
        sha256(JPEG),
        sha256(PNG),
    ]


async def test_a_video_is_finished_only_once_downloaded_and_processed(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=30)
    url = media_host.add("clip.mp4", MP4, "video/mp4", held=True)

    container_id = await create_id(api, media_type="VIDEO", video_url=url)  # answered at once
    sim.advance(30)
    downloading = await status_of(api, container_id)
    too_early = graph_error(await publish(api, container_id))
    media_host.release("clip.mp4")
    await sim.downloads_settled()
    finished = await status_of(api, container_id)
    published = await publish(api, container_id)

    assert downloading["status"] == "IN_PROGRESS"  # processing time is over, the download not
    assert (too_early["code"], too_early["error_subcode"]) == (24, 4279009)
    assert finished["status"] == "FINISHED"
    post = sim.get_post(published.json()["id"])
    assert post is not None and post.spec.fetched is not None
    assert (post.spec.fetched.kind, post.spec.fetched.sha256) == ("VIDEO", sha256(MP4))
    assert post.spec.fetched.content_type == "video/mp4"


async def test_a_video_that_cannot_be_downloaded_fails_its_container(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=30)  # a failed download shows without waiting for it
    missing = media_host.url_for("gone.mp4")

    with pytest.raises(ContainerFailed) as caught:
        await publisher.media(MediaItem("VIDEO", missing), text="clip")

    assert caught.value.reason == VIDEO_SENTENCE
    assert caught.value.status == "ERROR"
    container = sim.state.containers[caught.value.container_id]
    assert container.error_message == "FAILED_DOWNLOADING_VIDEO"
    assert [(f.kind, f.status) for f in sim.fetched] == [("VIDEO", 404)]
    assert sim.posts_by("alice") == []


async def test_a_video_that_is_not_mp4_fails_in_processing(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=30)
    url = media_host.add("clip.mp4", NOT_MEDIA, "video/mp4")

    container_id = await create_id(api, media_type="VIDEO", video_url=url)
    await sim.downloads_settled()
    processing = await status_of(api, container_id)
    sim.advance(30)

    assert processing["status"] == "IN_PROGRESS"
    assert await status_of(api, container_id) == {
        "id": container_id,
        "status": "ERROR",
        "error_message": "FAILED_PROCESSING_VIDEO",
    }
    assert sim.fetched[0].sha256 == sha256(NOT_MEDIA)


async def test_the_control_api_lists_the_downloads(
    sim: ThreadsSimulator, api: httpx.AsyncClient, anon: httpx.AsyncClient, media_host: MediaHost
) -> None:
    url = media_host.add("clip.mp4", MP4, "video/mp4")
    await create_id(api, media_type="VIDEO", video_url=url)

    listed = (await anon.get("/__sim__/fetched")).json()["data"]  # waits for the download

    assert [(f["url"], f["kind"], f["sha256"]) for f in listed] == [(url, "VIDEO", sha256(MP4))]
