"""Insights shapes: per media and per user."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from simulator import SimUser, ThreadsSimulator
from simulator.clock import format_timestamp

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


async def test_user_views_are_a_daily_series_over_since_until(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    day = 86400
    since = 1_800_000_000 - 1_800_000_000 % day  # a 00:00 UTC
    for offset, views in ((0, 5), (3600, 6), (2 * day + 60, 70), (-60, 999)):
        post = sim.add_post(
            "alice", text="x", timestamp=datetime.fromtimestamp(since + offset, UTC)
        )
        post.views = views

    body = (
        await api.get(
            "/me/threads_insights",
            params={"metric": "views", "since": since, "until": since + 2 * day + 3600},
        )
    ).json()

    (views,) = body["data"]
    assert views["period"] == "day"
    assert views["values"] == [  # each day stamped with its end; the post before since left out
        {"value": 11, "end_time": format_timestamp(since + day)},
        {"value": 0, "end_time": format_timestamp(since + 2 * day)},
        {"value": 70, "end_time": format_timestamp(since + 3 * day)},
    ]


async def test_followers_count_needs_a_linked_instagram_account(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    sim.set_audience("alice", followers=12, instagram_linked=False)

    refused = graph_error(
        await api.get("/me/threads_insights", params={"metric": "likes,followers_count"})
    )
    likes = await api.get("/me/threads_insights", params={"metric": "likes"})

    assert refused["code"] == 100
    assert refused["message"].startswith("THREADS_API__FEATURE_NOT_AVAILABLE")
    assert likes.json()["data"][0]["total_value"] == {"value": 0}
    sim.set_audience("alice", instagram_linked=True)
    followers = await api.get("/me/threads_insights", params={"metric": "followers_count"})
    assert followers.json()["data"][0]["total_value"] == {"value": 12}
