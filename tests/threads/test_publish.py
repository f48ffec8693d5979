"""Publishing flows against the simulator: container -> FINISHED -> hook -> publish, once."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.threads.client import ThreadsClient
from bot.threads.containers import ContainerRequest
from bot.threads.errors import ContainerFailed, InvalidParameter, PublishTimeout
from bot.threads.publish import ChainIncomplete, MediaItem, Publisher, WaitPolicy
from simulator import SimUser, ThreadsSimulator
from tests.media_host import MediaHost
from tests.media_samples import JPEG, MP4

QUICK = WaitPolicy(first_interval=0.02, max_interval=0.05, timeout=5.0)


@pytest.fixture
def publisher(client: ThreadsClient) -> Publisher:
    return Publisher(client, wait=QUICK)


def published_by(sim: ThreadsSimulator, username: str) -> list[str]:
    return [p.text for p in sim.posts_by(username)]


async def test_text_post_answers_with_its_permalink(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, client: ThreadsClient
) -> None:
    seen: list[tuple[str, str]] = []

    async def record(container_id: str, request: ContainerRequest) -> None:
        # The hook runs before publishing: the container is ready but not yet published.
        seen.append((container_id, (await client.container_status(container_id)).status))

    post = await publisher.text("Hello from chat", on_container=record)

    assert post.permalink is not None
    assert post.permalink.startswith("https://www.threads.com/@alice/post/")
    assert seen == [(post.container_id, "FINISHED")]
    assert published_by(sim, "alice") == ["Hello from chat"]


async def test_media_waits_for_processing(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=0.2)
    cat = media_host.add("cat.jpg", JPEG, "image/jpeg")
    post = await publisher.media(MediaItem("IMAGE", cat), text="cat")

    status_polls = [r for r in sim.requests if r.path.endswith(post.container_id)]
    assert len(status_polls) > 1  # it was IN_PROGRESS at first
    assert post.post is not None and post.post.media[0].url == cat
    assert published_by(sim, "alice") == ["cat"]


async def test_publish_too_early_is_retried_without_a_second_post(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    not_ready = {
        "error": {
            "message": "The requested resource does not exist",
            "type": "OAuthException",
            "code": 24,
            "error_subcode": 4279009,
            "is_transient": False,
        }
    }
    sim.fail_next("POST", "/*/threads_publish", kind="custom", status=400, body=not_ready)
    await publisher.text("patience")
    assert published_by(sim, "alice") == ["patience"]


async def test_publish_timeout_is_settled_by_container_status(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    sim.fail_next("POST", "/*/threads_publish", kind="timeout")
    post = await publisher.text("exactly once")
    assert published_by(sim, "alice") == ["exactly once"]
    assert post.permalink is not None


async def test_publish_that_happened_but_went_unanswered_is_not_repeated(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    sim.fail_next("POST", "/*/threads_publish", kind="lost_response")
    post = await publisher.text("said once")
    assert published_by(sim, "alice") == ["said once"]
    assert post.id == sim.posts_by("alice")[0].id
    assert sum(r.path.endswith("threads_publish") for r in sim.requests) == 1


async def test_failed_media_gives_the_reason(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    sim.fail_next_container(error_message="FAILED_PROCESSING_AUDIO")
    video = media_host.add("v.mp4", MP4, "video/mp4")
    with pytest.raises(ContainerFailed, match="the video's audio could not be processed"):
        await publisher.media(MediaItem("VIDEO", video))
    assert published_by(sim, "alice") == []


async def test_processing_is_bounded(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=3600)
    impatient = Publisher(
        client, wait=WaitPolicy(first_interval=0.01, max_interval=0.02, timeout=0.1)
    )
    slow = media_host.add("slow.jpg", JPEG, "image/jpeg")
    with pytest.raises(PublishTimeout):
        await impatient.media(MediaItem("IMAGE", slow))
    assert published_by(sim, "alice") == []


async def test_carousel_publishes_all_items(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher, media_host: MediaHost
) -> None:
    sim.set_processing(media_seconds=0.05)
    items = [MediaItem("IMAGE", media_host.add(f"{n}.jpg", JPEG, "image/jpeg")) for n in range(3)]
    post = await publisher.carousel(items, text="three")
    assert post.post is not None
    assert [m.url for m in post.post.media] == [i.url for i in items]


async def test_carousel_needs_two_items(sim: ThreadsSimulator, publisher: Publisher) -> None:
    with pytest.raises(InvalidParameter, match="2 to 20"):
        await publisher.carousel([MediaItem("IMAGE", "https://cdn.example/1.jpg")])
    assert sim.requests == []


async def test_reply_and_quote(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    root = sim.add_post("alice", text="root")
    reply = await publisher.reply(root.id, "a reply")
    quote = await publisher.quote(root.id, "a quote")
    assert reply.post is not None and reply.post.replied_to_id == root.id
    assert quote.post is not None and quote.post.quoted_post_id == root.id


async def test_long_text_becomes_a_reply_chain(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    paragraphs = [f"Paragraph {n}: " + "words " * 70 for n in range(4)]
    chain = await publisher.chain("\n\n".join(paragraphs))

    assert len(chain) == 4
    assert [p.post.text.split(":")[0] for p in chain if p.post] == [
        f"Paragraph {n}" for n in range(4)
    ]
    for previous, part in pairwise(chain):
        assert part.post is not None and part.post.replied_to_id == previous.id


async def test_chain_interrupted_reports_what_went_out(
    sim: ThreadsSimulator, alice: SimUser, publisher: Publisher
) -> None:
    containers: list[str] = []

    async def fail_after_first(container_id: str, request: ContainerRequest) -> None:
        containers.append(container_id)
        if len(containers) == 1:  # the next part's container will be refused
            sim.fail_next("POST", "/*/threads", kind="rate_limit")

    with pytest.raises(ChainIncomplete) as caught:
        await publisher.chain("\n\n".join(c * 400 for c in "xyz"), on_container=fail_after_first)

    assert caught.value.reason.startswith("Published 1 of 3 parts, then: ")
    assert [p.id for p in caught.value.published] == [sim.posts_by("alice")[0].id]
    assert published_by(sim, "alice") == ["x" * 400]
