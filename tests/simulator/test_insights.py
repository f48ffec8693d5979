"""Insights shapes: per media and per user."""

from __future__ import annotations

import httpx

from simulator import SimUser, ThreadsSimulator

from .helpers import graph_error


async def test_media_insights_values_shape(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    post = sim.add_post("alice", text="measured")
    post.likes, post.views = 4, 90
    reply = sim.add_post("bob", text="r", reply_to=post.id)
    sim.add_post("alice", text="rr", reply_to=reply.id)
    sim.add_post("bob", text="q", quote_of=post.id)

    body = (
        await api.get(
            f"/{post.id}/insights", params={"metric": "views,likes,replies,quotes,reposts,shares"}
        )
    ).json()

    values = {item["name"]: item["values"][0]["value"] for item in body["data"]}
    assert values == {
        "views": 90,
        "likes": 4,
        "replies": 2,
        "quotes": 1,
        "reposts": 0,
        "shares": 0,
    }
    first = body["data"][0]
    assert first["period"] == "lifetime" and first["id"] == f"{post.id}/insights/views/lifetime"
    assert graph_error(await api.get(f"/{post.id}/insights"))["code"] == 100
    assert (
        graph_error(await api.get(f"/{post.id}/insights", params={"metric": "hugs"}))["code"]
        == 100
    )


async def test_repost_insights_are_empty(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    original = sim.add_post("bob", text="x")
    repost_id = (await api.post(f"/{original.id}/repost")).json()["id"]

    assert (await api.get(f"/{repost_id}/insights", params={"metric": "likes"})).json() == {
        "data": []
    }


async def test_user_insights_three_value_shapes(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    post = sim.add_post("alice", text="linked")
    post.views, post.likes = 10, 3
    sim.add_account("dana", token="tok-dana", followers=42)

    body = (
        await api.get(
            "/me/threads_insights",
            params={"metric": "views,likes,followers_count,clicks"},
            headers={"Authorization": "Bearer tok-dana"},
        )
    ).json()
    mine = (await api.get("/me/threads_insights", params={"metric": "views,likes,clicks"})).json()

    by_name = {item["name"]: item for item in mine["data"]}
    assert sum(v["value"] for v in by_name["views"]["values"]) == 10
    assert all("end_time" in v for v in by_name["views"]["values"])
    assert by_name["likes"]["total_value"] == {"value": 3}
    assert by_name["clicks"]["link_total_values"] == []
    dana = {item["name"]: item for item in body["data"]}
    assert dana["followers_count"]["total_value"] == {"value": 42}
    assert (
        graph_error(
            await api.get("/me/threads_insights", params={"metric": "likes", "since": "1"})
        )["code"]
        == 100
    )
