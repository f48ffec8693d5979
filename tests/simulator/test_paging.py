"""Pagination: limit, opaque cursors across pages, since/until, cursor errors."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from simulator import SimPost, ThreadsSimulator

from .helpers import graph_error

START = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def seed_posts(sim: ThreadsSimulator, count: int) -> list[SimPost]:
    """`count` posts by alice, one hour apart from START, oldest first."""
    return [
        sim.add_post("alice", text=f"post {n}", timestamp=START + timedelta(hours=n))
        for n in range(count)
    ]


async def all_pages(api: httpx.AsyncClient, path: str, **params: Any) -> list[list[str]]:
    """Every page, following `paging.next` as Meta's sample app does."""
    pages: list[list[str]] = []
    url: str | None = path
    query: dict[str, Any] | None = params
    while url is not None:
        body = (await api.get(url, params=query)).json()
        pages.append([item["id"] for item in body["data"]])
        url, query = body["paging"].get("next"), None
    return pages


async def test_pages_walk_newest_first_without_gaps(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 7)

    pages = await all_pages(api, "/me/threads", limit=3)

    newest_first = [p.id for p in reversed(posts)]
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:7]]


async def test_every_page_has_both_cursors_and_next_only_when_more_exists(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    # Graph's shape: the last page carries an `after` cursor too, and only `next` tells a
    # client that another page exists.
    seed_posts(sim, 2)

    all_fit = (await api.get("/me/threads", params={"limit": 2})).json()
    first = (await api.get("/me/threads", params={"limit": 1})).json()
    last = (
        await api.get(
            "/me/threads", params={"limit": 1, "after": first["paging"]["cursors"]["after"]}
        )
    ).json()

    for body in (all_fit, first, last):
        cursors = body["paging"]["cursors"]
        assert set(cursors) == {"before", "after"}
        base64.urlsafe_b64decode(cursors["before"] + "==")  # decodes: it is base64
    assert "next" not in all_fit["paging"]
    assert "next" not in last["paging"]
    assert "after=" in first["paging"]["next"]
    assert "limit=1" in first["paging"]["next"]


async def test_next_leads_to_the_following_page(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 3)
    first = (await api.get("/me/threads", params={"limit": 2, "fields": "id,text"})).json()

    second = (await api.get(first["paging"]["next"])).json()

    assert second["data"] == [{"id": posts[0].id, "text": "post 0"}]
    assert "next" not in second["paging"]


async def test_until_ahead_of_the_server_clock_is_refused(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    seed_posts(sim, 1)
    now = int(sim.now().timestamp())

    ahead = graph_error(await api.get("/me/threads", params={"until": now + 3600}))
    behind = await api.get("/me/threads", params={"until": now - 1})

    assert ahead["code"] == 100
    assert "until" in ahead["message"]
    assert behind.status_code == 200


async def test_before_cursor_goes_back_to_newer_posts(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 5)
    first = (await api.get("/me/threads", params={"limit": 2})).json()
    second = (
        await api.get(
            "/me/threads", params={"limit": 2, "after": first["paging"]["cursors"]["after"]}
        )
    ).json()

    back = (
        await api.get(
            "/me/threads", params={"limit": 2, "before": second["paging"]["cursors"]["before"]}
        )
    ).json()

    assert [item["id"] for item in back["data"]] == [posts[4].id, posts[3].id]


async def test_limit_defaults_to_25_and_clamps_to_100(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    seed_posts(sim, 120)

    default = (await api.get("/me/threads")).json()
    clamped = (await api.get("/me/threads", params={"limit": 500})).json()

    assert len(default["data"]) == 25
    assert len(clamped["data"]) == 100
    assert "after" in clamped["paging"]["cursors"]
    assert graph_error(await api.get("/me/threads", params={"limit": "zero"}))["code"] == 100


async def test_since_and_until_accept_unix_seconds_and_dates(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 48)  # two days of hourly posts from 2024-03-01 12:00
    since = int((START + timedelta(hours=10)).timestamp())
    until = int((START + timedelta(hours=12)).timestamp())

    by_unix = (await api.get("/me/threads", params={"since": since, "until": until})).json()
    by_date = (
        await api.get(
            "/me/threads",
            params={"since": "2024-03-02", "until": "2024-03-02T03:00:00", "limit": 100},
        )
    ).json()

    assert [item["id"] for item in by_unix["data"]] == [posts[12].id, posts[11].id, posts[10].id]
    # 2024-03-02 00:00 is hour 12 after START; until 03:00 is hour 15 (bounds inclusive).
    assert [item["id"] for item in by_date["data"]] == [p.id for p in reversed(posts[12:16])]


async def test_since_until_combine_with_cursors(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 10)
    since = int((START + timedelta(hours=2)).timestamp())

    pages = await all_pages(api, "/me/threads", since=since, limit=4)

    assert pages == [[p.id for p in reversed(posts[6:10])], [p.id for p in reversed(posts[2:6])]]


async def test_paging_parameter_errors(sim: ThreadsSimulator, api: httpx.AsyncClient) -> None:
    seed_posts(sim, 3)
    cursor = (await api.get("/me/threads", params={"limit": 1})).json()["paging"]["cursors"][
        "after"
    ]

    both = graph_error(await api.get("/me/threads", params={"before": cursor, "after": cursor}))
    bad_cursor = graph_error(await api.get("/me/threads", params={"after": "not-a-cursor"}))
    inverted = graph_error(
        await api.get("/me/threads", params={"since": "2024-03-02", "until": "2024-03-01"})
    )
    too_early = graph_error(await api.get("/me/threads", params={"since": 1_600_000_000}))

    assert {both["code"], bad_cursor["code"], inverted["code"], too_early["code"]} == {100}


async def test_empty_list_has_data_only(api: httpx.AsyncClient) -> None:
    assert (await api.get("/me/threads")).json() == {"data": []}


async def test_new_posts_do_not_shift_an_open_cursor(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    posts = seed_posts(sim, 4)
    first = (await api.get("/me/threads", params={"limit": 2})).json()
    sim.add_post("alice", text="arrived meanwhile")

    second = (
        await api.get(
            "/me/threads", params={"limit": 2, "after": first["paging"]["cursors"]["after"]}
        )
    ).json()

    assert [item["id"] for item in second["data"]] == [posts[1].id, posts[0].id]
