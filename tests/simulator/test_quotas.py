"""Rolling 24 h quotas on the simulator clock: posts, replies, deletes, profile discovery."""

from __future__ import annotations

import httpx

from simulator import SimUser, ThreadsSimulator

from .helpers import create, create_id, graph_error, post_text, publish


async def test_post_quota_is_250_per_rolling_day(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    for n in range(250):
        sim.add_post("alice", text=f"p{n}")
    container_id = await create_id(api, media_type="TEXT", text="one too many")

    refused = graph_error(await publish(api, container_id))
    auto = graph_error(await create(api, media_type="TEXT", text="auto", auto_publish_text="true"))
    usage = (
        await api.get("/me/threads_publishing_limit", params={"fields": "quota_usage,config"})
    ).json()
    sim.advance(24 * 3600)
    later = await publish(api, await create_id(api, media_type="TEXT", text="next day"))

    assert refused["code"] == 4 and refused["is_transient"] is False
    assert auto["code"] == 4
    assert usage == {
        "data": [{"quota_usage": 250, "config": {"quota_total": 250, "quota_duration": 86400}}]
    }
    assert later.status_code == 200
    assert len([p for p in sim.posts_by("alice") if p.text.startswith("one too many")]) == 0


async def test_reply_quota_is_separate_and_1000(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    root = sim.add_post("bob", text="root")
    for n in range(1000):
        sim.add_post("alice", text=f"r{n}", reply_to=root.id)

    refused = graph_error(
        await create(
            api, media_type="TEXT", text="r", reply_to_id=root.id, auto_publish_text="true"
        )
    )
    top_level = await post_text(api, "a top-level post still fits")
    usage = (
        await api.get(
            "/me/threads_publishing_limit", params={"fields": "reply_quota_usage,reply_config"}
        )
    ).json()

    assert refused["code"] == 4
    assert top_level
    assert usage["data"][0] == {
        "reply_quota_usage": 1000,
        "reply_config": {"quota_total": 1000, "quota_duration": 86400},
    }


async def test_delete_quota_is_100(sim: ThreadsSimulator, api: httpx.AsyncClient) -> None:
    posts = [sim.add_post("alice", text=f"d{n}") for n in range(101)]
    for post in posts[:100]:
        assert (await api.delete(f"/{post.id}")).status_code == 200

    refused = graph_error(await api.delete(f"/{posts[100].id}"))
    usage = (
        await api.get(
            "/me/threads_publishing_limit", params={"fields": "delete_quota_usage,delete_config"}
        )
    ).json()
    sim.advance(24 * 3600 + 1)

    assert refused["code"] == 4
    assert usage["data"][0]["delete_quota_usage"] == 100
    assert usage["data"][0]["delete_config"]["quota_total"] == 100
    assert (await api.delete(f"/{posts[100].id}")).status_code == 200


async def test_profile_discovery_budget_is_shared_and_1000(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    for n in range(999):
        path = "/profile_lookup" if n % 2 else "/profile_posts"
        assert (await api.get(path, params={"username": "bob"})).status_code == 200

    last = await api.get("/profile_lookup", params={"username": "nobody"})  # counts even unfound
    refused = graph_error(await api.get("/profile_posts", params={"username": "bob"}))
    sim.advance(24 * 3600)

    assert graph_error(last)["code"] == 100
    assert refused["code"] == 17
    assert (await api.get("/profile_lookup", params={"username": "bob"})).status_code == 200


async def test_quota_window_rolls_rather_than_resetting(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    for n in range(200):
        sim.add_post("alice", text=f"early {n}")
    sim.advance(12 * 3600)
    for n in range(50):
        sim.add_post("alice", text=f"late {n}")
    sim.advance(12 * 3600 - 60)

    still_full = graph_error(
        await create(api, media_type="TEXT", text="x", auto_publish_text="true")
    )
    sim.advance(61)  # the first 200 leave the window; the later 50 stay

    usage = (await api.get("/me/threads_publishing_limit")).json()
    assert still_full["code"] == 4
    assert usage == {"data": [{"quota_usage": 50}]}
