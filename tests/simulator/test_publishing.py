"""Containers and publishing: lifecycle, the too-early and double publish errors, limits."""

from __future__ import annotations

import json

import httpx
import pytest

from simulator import SimUser, ThreadsSimulator
from tests.media_host import MediaHost
from tests.media_samples import JPEG, MP4

from .helpers import create, create_id, graph_error, post_text, publish, status_of


async def test_container_in_progress_until_processing_time_passes(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=30)
    image_url = media_host.add("x.jpg", JPEG, "image/jpeg")
    container_id = await create_id(api, media_type="IMAGE", image_url=image_url)

    early = await status_of(api, container_id)
    too_early = graph_error(await publish(api, container_id))
    sim.advance(30)
    ready = await status_of(api, container_id)
    published = await publish(api, container_id)
    after = await status_of(api, container_id)

    assert early == {"id": container_id, "status": "IN_PROGRESS"}
    assert (too_early["code"], too_early["error_subcode"]) == (24, 4279009)
    assert too_early["message"] == "The requested resource does not exist"
    assert too_early["type"] == "OAuthException"
    assert too_early["error_user_title"] == "Media Not Found"
    assert ready["status"] == "FINISHED"
    assert published.status_code == 200 and published.json()["id"] != container_id
    assert after["status"] == "PUBLISHED"


async def test_text_processing_time_is_separate(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    sim.set_processing(text_seconds=5, media_seconds=0)
    image_url = media_host.add("x.jpg", JPEG, "image/jpeg")

    text_id = await create_id(api, media_type="TEXT", text="hi")
    image_id = await create_id(api, media_type="IMAGE", image_url=image_url)

    assert (await status_of(api, text_id))["status"] == "IN_PROGRESS"
    assert (await status_of(api, image_id))["status"] == "FINISHED"


async def test_publishing_twice_makes_one_post(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    container_id = await create_id(api, media_type="TEXT", text="once")
    first = await publish(api, container_id)

    second = graph_error(await publish(api, container_id))

    assert first.status_code == 200
    assert second["code"] != 24 and second["is_transient"] is False
    assert [p.text for p in sim.posts_by("alice")] == ["once"]


async def test_container_expires_after_24_hours(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    container_id = await create_id(api, media_type="TEXT", text="later")
    sim.advance(24 * 3600)

    assert (await status_of(api, container_id))["status"] == "EXPIRED"
    assert graph_error(await publish(api, container_id))["error_subcode"] == 4279009


async def test_injected_container_failure_ends_in_error(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=10)
    video_url = media_host.add("v.mp4", MP4, "video/mp4")
    sim.fail_next_container("FAILED_DOWNLOADING_VIDEO")
    failing = await create_id(api, media_type="VIDEO", video_url=video_url)
    fine = await create_id(api, media_type="VIDEO", video_url=video_url)

    processing = await status_of(api, failing)
    await sim.downloads_settled()
    sim.advance(10)

    assert processing["status"] == "IN_PROGRESS"
    assert await status_of(api, failing) == {
        "id": failing,
        "status": "ERROR",
        "error_message": "FAILED_DOWNLOADING_VIDEO",
    }
    assert (await status_of(api, fine))["status"] == "FINISHED"
    assert graph_error(await publish(api, failing))["error_subcode"] == 4279009


async def test_published_post_is_listed_with_its_fields(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    media_id = await post_text(
        api, "hello world", topic_tag="greetings", reply_control="mentioned_only"
    )

    body = (
        await api.get(
            f"/{media_id}",
            params={"fields": "id,text,username,topic_tag,reply_audience,permalink"},
        )
    ).json()

    assert body["text"] == "hello world" and body["username"] == "alice"
    assert body["topic_tag"] == "greetings"
    assert body["reply_audience"] == "MENTIONED_ONLY"
    stored = sim.get_post(media_id)
    assert stored is not None and stored.permalink == body["permalink"]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        ("a" * 499, True),
        ("a" * 500, True),
        ("a" * 501, False),
        ("é" * 250, True),  # 500 bytes
        ("é" * 251, False),  # 502 bytes, only 251 characters
        ("😀" * 126, False),  # 504 bytes
    ],
)
async def test_text_limit_counts_utf8_bytes(
    api: httpx.AsyncClient, text: str, accepted: bool
) -> None:
    response = await create(api, media_type="TEXT", text=text)

    if accepted:
        assert response.status_code == 200, response.text
    else:
        error = graph_error(response)
        assert error["code"] == 100
        assert error["message"] == "Param text must be at most 500 characters long"


async def test_auto_publish_text_returns_the_media_id(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.set_processing(text_seconds=60)

    response = await create(api, media_type="TEXT", text="straight out", auto_publish_text="true")

    media_id = response.json()["id"]
    body = (await api.get(f"/{media_id}", params={"fields": "id,text,media_type"})).json()
    assert body == {"id": media_id, "text": "straight out", "media_type": "TEXT_POST"}


async def test_carousel_flow(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    urls = [media_host.add(f"{n}.jpg", JPEG, "image/jpeg") for n in range(3)]
    children = [
        await create_id(api, media_type="IMAGE", image_url=url, is_carousel_item="true")
        for url in urls
    ]
    parent = await create_id(api, media_type="CAROUSEL", children=",".join(children), text="album")

    media_id = (await publish(api, parent)).json()["id"]

    body = (
        await api.get(f"/{media_id}", params={"fields": "media_type,text,children{media_url}"})
    ).json()
    assert body["media_type"] == "CAROUSEL_ALBUM"
    assert [c["media_url"] for c in body["children"]["data"]] == urls
    assert (await status_of(api, children[0]))["status"] == "PUBLISHED"
    assert graph_error(await publish(api, children[1]))["code"] == 100  # items never alone
    # A carousel counts as one post against the quota.
    limit = (await api.get("/me/threads_publishing_limit")).json()
    assert limit == {"data": [{"quota_usage": 1}]}


async def test_carousel_children_rules(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    image_url = media_host.add("1.jpg", JPEG, "image/jpeg")
    one = await create_id(api, media_type="IMAGE", image_url=image_url, is_carousel_item="true")
    not_item = await create_id(api, media_type="IMAGE", image_url=image_url)
    sim.set_processing(media_seconds=30)
    slow = await create_id(api, media_type="IMAGE", image_url=image_url, is_carousel_item="true")
    too_many = ",".join([one] * 21)

    for children in (one, f"{one},{not_item}", f"{one},{slow}", too_many, ""):
        error = graph_error(await create(api, media_type="CAROUSEL", children=children))
        assert error["code"] == 100, children

    sim.advance(30)
    parent = await create_id(api, media_type="CAROUSEL", children=f"{one},{slow}")
    assert (await status_of(api, parent))["status"] == "IN_PROGRESS"  # the parent processes too


@pytest.mark.parametrize(
    "params",
    [
        {"media_type": "AUDIO", "text": "x"},
        {"text": "no media type"},
        {"media_type": "TEXT"},
        {"media_type": "IMAGE"},
        {"media_type": "VIDEO", "text": "no url"},
        {
            "media_type": "TEXT",
            "text": "x",
            "poll_attachment": json.dumps({"option_a": "only one"}),
        },
        {
            "media_type": "TEXT",
            "text": "x",
            "poll_attachment": json.dumps({"option_a": "a", "option_b": "b" * 26}),
        },
        {"media_type": "TEXT", "text": "x", "poll_attachment": "{not json"},
        {
            "media_type": "IMAGE",
            "image_url": "https://c/i.jpg",
            "poll_attachment": '{"option_a":"a","option_b":"b"}',
        },
        {
            "media_type": "IMAGE",
            "image_url": "https://c/i.jpg",
            "link_attachment": "https://example.com",
        },
        {"media_type": "TEXT", "text": "x", "topic_tag": "a.b"},
        {"media_type": "TEXT", "text": "x", "topic_tag": "a&b"},
        {"media_type": "TEXT", "text": "x", "topic_tag": "t" * 51},
        {"media_type": "TEXT", "text": "x", "reply_to_id": "17000000000000000"},
        {"media_type": "TEXT", "text": "x", "quote_post_id": "17000000000000000"},
        {"media_type": "TEXT", "text": "x", "reply_control": "nobody"},
        {"media_type": "TEXT", "text": " ".join(f"https://l{n}.example" for n in range(6))},
    ],
)
async def test_invalid_container_parameters_are_code_100(
    api: httpx.AsyncClient, params: dict[str, str]
) -> None:
    error = graph_error(await create(api, **params))
    assert error["code"] == 100
    assert error["is_transient"] is False


async def test_valid_poll_topic_and_link(api: httpx.AsyncClient) -> None:
    poll = json.dumps({"option_a": "a", "option_b": "b", "option_c": "c", "option_d": "d" * 25})
    for params in (
        {"poll_attachment": poll},
        {"topic_tag": "t" * 50},
        {"link_attachment": "https://example.com/article"},
    ):
        response = await create(api, media_type="TEXT", text="ok", **params)
        assert response.status_code == 200, response.text
