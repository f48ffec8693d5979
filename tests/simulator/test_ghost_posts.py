"""Ghost posts over raw HTTP, as Meta documents them: created with is_ghost_post (text only,
no replies), ACTIVE with their expiry for a day, then ARCHIVED; listed by /me/ghost_posts."""

from __future__ import annotations

import httpx

from simulator import ThreadsSimulator

from .helpers import create, graph_error, post_text

GHOST_FIELDS = "id,text,ghost_post_status,ghost_post_expiration_timestamp"


async def test_a_ghost_post_is_active_for_a_day_then_archived(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    ghost_id = await post_text(api, "boo", is_ghost_post="true")
    plain_id = await post_text(api, "hello")

    fresh = (await api.get(f"/{ghost_id}", params={"fields": GHOST_FIELDS})).json()
    plain = (await api.get(f"/{plain_id}", params={"fields": GHOST_FIELDS})).json()
    listed = (await api.get("/me/ghost_posts", params={"fields": "id"})).json()["data"]
    sim.advance(24 * 3600)
    later = (await api.get(f"/{ghost_id}", params={"fields": GHOST_FIELDS})).json()

    assert fresh["ghost_post_status"] == "ACTIVE"
    assert fresh["ghost_post_expiration_timestamp"].endswith("+0000")
    assert "ghost_post_status" not in plain  # only ghost posts carry the fields
    assert [item["id"] for item in listed] == [ghost_id]
    assert later["ghost_post_status"] == "ARCHIVED"
    assert later["ghost_post_expiration_timestamp"] == fresh["ghost_post_expiration_timestamp"]


async def test_only_text_posts_can_be_ghosts(api: httpx.AsyncClient) -> None:
    parent = await post_text(api, "parent")
    reply = graph_error(
        await create(api, media_type="TEXT", text="r", reply_to_id=parent, is_ghost_post="true")
    )
    image = graph_error(
        await create(api, media_type="IMAGE", image_url="https://c.ex/a.jpg", is_ghost_post="true")
    )
    assert reply["code"] == image["code"] == 100
    assert "is_ghost_post" in reply["message"]
