"""ThreadsClient writes and account endpoints against the simulator."""

from __future__ import annotations

import pytest

from bot.threads.client import ThreadsClient
from bot.threads.containers import ContainerRequest
from bot.threads.errors import AuthError, InvalidParameter, ThreadsError
from simulator import SimUser, ThreadsSimulator
from tests.media_host import MediaHost
from tests.media_samples import JPEG


async def test_container_status_then_publish(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    container = await client.create_container(
        ContainerRequest("TEXT", text="hello", topic_tag="Greetings", reply_control="everyone")
    )
    assert (await client.container_status(container)).status == "FINISHED"

    media_id = await client.publish_container(container)

    assert (await client.container_status(container)).status == "PUBLISHED"
    post = await client.media(media_id)
    assert (post.text, post.topic_tag, post.username) == ("hello", "Greetings", "alice")


async def test_poll_and_link_attachment_are_sent(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    poll_id = await client.create_container(
        ContainerRequest(
            "TEXT", text="Tea or coffee?", poll_options=("Tea", "Coffee"), auto_publish_text=True
        )
    )
    link_id = await client.create_container(
        ContainerRequest(
            "TEXT",
            text="read this",
            link_attachment="https://example.com/a",
            auto_publish_text=True,
        )
    )
    poll_post, link_post = await client.media(poll_id), await client.media(link_id)
    assert poll_post.poll is not None
    assert poll_post.poll.options == ("Tea", "Coffee")
    assert link_post.link_attachment_url == "https://example.com/a"


async def test_delete(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    post = sim.add_post("alice", text="short-lived")
    assert await client.delete(post.id) == post.id
    with pytest.raises(ThreadsError):
        await client.media(post.id)


async def test_hide_and_unhide_a_reply(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    sim.add_profile("bob", followers=5000)
    root = sim.add_post("alice", text="root")
    reply = sim.add_post("bob", text="rude", reply_to=root.id)

    await client.manage_reply(reply.id, hide=True)
    hidden = (await client.replies(root.id)).items[0]
    await client.manage_reply(reply.id, hide=False)
    shown = (await client.replies(root.id)).items[0]

    assert (hidden.hide_status, shown.hide_status) == ("HIDDEN", "UNHUSHED")


async def test_publishing_limit_counts_published_posts(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    before = await client.publishing_limit()
    await client.publish_container(
        await client.create_container(ContainerRequest("TEXT", text="one"))
    )
    after = await client.publishing_limit()
    assert (before.posts.total, before.posts.remaining) == (250, 250)
    assert after.posts.remaining == 249
    assert after.replies is not None and after.replies.total == 1000


async def test_exchange_code_then_long_lived_then_refresh(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    code = sim.issue_auth_code("alice", redirect_uri="https://example.com/cb")
    short = await client.exchange_code(code + "#_", "https://example.com/cb")
    assert short.user_id == alice.id

    long = await client.exchange_for_long_lived(short.access_token)
    assert long.expires_in is not None and long.expires_in > 50 * 86400
    assert long.access_token not in repr(long)

    client.set_access_token(long.access_token)
    with pytest.raises(ThreadsError):
        await client.refresh_token()  # a token may be refreshed only once it is 24 h old
    sim.advance(25 * 3600)
    refreshed = await client.refresh_token()
    client.set_access_token(refreshed.access_token)
    assert (await client.me()).username == "alice"

    exchanges = [r for r in sim.requests if "access_token" in r.path]
    assert all(not r.token_in_url for r in exchanges)


async def test_a_used_code_is_refused(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    code = sim.issue_auth_code("alice", redirect_uri="https://example.com/cb")
    await client.exchange_code(code, "https://example.com/cb")
    with pytest.raises(ThreadsError, match="already used"):
        await client.exchange_code(code, "https://example.com/cb")


async def test_an_expired_token_cannot_be_refreshed(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    sim.advance(61 * 86400)
    with pytest.raises(AuthError):
        await client.refresh_token()


async def test_unknown_profile_is_a_clear_error(client: ThreadsClient) -> None:
    with pytest.raises(InvalidParameter):
        await client.profile_lookup("nobody_here")


async def test_image_with_alt_text_and_spoiler(
    sim: ThreadsSimulator, client: ThreadsClient, media_host: MediaHost
) -> None:
    image_url = media_host.add("p.jpg", JPEG, "image/jpeg")
    container = await client.create_container(
        ContainerRequest(
            "IMAGE",
            image_url=image_url,
            alt_text="a red kite over a hill",
            is_spoiler_media=True,
            text="guess",
        )
    )
    post = await client.media(await client.publish_container(container))
    assert post.is_spoiler_media
    assert [(m.url, m.alt_text) for m in post.media] == [(image_url, "a red kite over a hill")]
