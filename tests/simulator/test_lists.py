"""List endpoints: own threads, replies, mentions, reply trees, profile posts, search."""

from __future__ import annotations

import httpx

from simulator import SimUser, ThreadsSimulator

from .helpers import graph_error


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


async def test_threads_lists_posts_and_reposts_but_not_replies(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    theirs = sim.add_post("bob", text="bob")
    post = sim.add_post("alice", text="top")
    reply = sim.add_post("alice", text="reply", reply_to=theirs.id)
    repost_id = (await api.post(f"/{theirs.id}/repost")).json()["id"]

    threads = await api.get("/me/threads", params={"fields": "id,media_type"})
    replies = await api.get("/me/replies")

    assert ids(threads) == [repost_id, post.id]
    assert threads.json()["data"][0]["media_type"] == "REPOST_FACADE"
    assert ids(replies) == [reply.id]


async def test_mentions_are_others_posts_naming_the_user(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    hit = sim.add_post("bob", text="hey @alice, look")
    sim.add_post("bob", text="hey @alicewonder")
    sim.add_post("bob", text="alice without the at")
    sim.add_post("alice", text="talking about @alice myself")
    reply_hit = sim.add_post("bob", text="@ALICE in a reply", reply_to=hit.id)

    assert ids(await api.get("/me/mentions")) == [reply_hit.id, hit.id]


async def test_replies_are_direct_children_and_reverse_defaults_to_newest_first(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    root = sim.add_post("alice", text="root")
    first = sim.add_post("bob", text="first", reply_to=root.id)
    deep = sim.add_post("alice", text="deep", reply_to=first.id)
    second = sim.add_post("bob", text="second", reply_to=root.id)

    newest_first = await api.get(f"/{root.id}/replies")
    oldest_first = await api.get(f"/{root.id}/replies", params={"reverse": "false"})
    conversation = await api.get(
        f"/{root.id}/conversation", params={"reverse": "false", "fields": "id,replied_to"}
    )
    has_replies = (
        await api.get(f"/{first.id}", params={"fields": "has_replies,root_post"})
    ).json()

    assert ids(newest_first) == [second.id, first.id]
    assert ids(oldest_first) == [first.id, second.id]
    assert ids(conversation) == [first.id, deep.id, second.id]
    assert conversation.json()["data"][1]["replied_to"] == {"id": first.id}
    assert has_replies == {"has_replies": True, "root_post": {"id": root.id}}


async def test_reply_pages_with_cursors(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    root = sim.add_post("alice", text="root")
    replies = [sim.add_post("bob", text=f"r{n}", reply_to=root.id) for n in range(5)]

    first = (await api.get(f"/{root.id}/replies", params={"reverse": "false", "limit": 3})).json()
    second = (
        await api.get(
            f"/{root.id}/replies",
            params={"reverse": "false", "limit": 3, "after": first["paging"]["cursors"]["after"]},
        )
    ).json()

    assert [r["id"] for r in first["data"] + second["data"]] == [r.id for r in replies]
    assert "next" in first["paging"]
    assert "next" not in second["paging"]  # the last page: cursors still, but no `next`


async def test_profile_posts_lists_a_public_profile_without_owner(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    older = sim.add_post("bob", text="older")
    newer = sim.add_post("bob", media_type="IMAGE", media_urls=("https://cdn/b.jpg",))
    sim.add_post("bob", text="a reply", reply_to=older.id)

    response = await api.get(
        "/profile_posts", params={"username": "bob", "fields": "id,owner,username,media_url"}
    )

    assert ids(response) == [newer.id, older.id]
    assert response.json()["data"][0] == {
        "id": newer.id,
        "username": "bob",
        "media_url": "https://cdn/b.jpg",
    }
    assert (
        graph_error(await api.get("/profile_posts", params={"username": "ghost"}))["code"] == 100
    )
    assert graph_error(await api.get("/profile_posts"))["code"] == 100


async def test_keyword_search_by_keyword_tag_type_and_author(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    popular = sim.add_post("bob", text="Python tips for everyone")
    popular.likes = 50
    recent = sim.add_post("alice", text="more python today")
    tagged = sim.add_post("bob", text="weekend", topic_tag="Python")
    image = sim.add_post(
        "bob", text="python logo", media_type="IMAGE", media_urls=("https://c/p.png",)
    )
    sim.add_post("bob", text="nothing relevant")

    top = await api.get("/keyword_search", params={"q": "python"})
    latest = await api.get("/keyword_search", params={"q": "python", "search_type": "RECENT"})
    by_tag = await api.get("/keyword_search", params={"q": "python", "search_mode": "TAG"})
    images = await api.get("/keyword_search", params={"q": "python", "media_type": "IMAGE"})
    by_author = await api.get(
        "/keyword_search", params={"q": "python", "author_username": "alice"}
    )

    assert ids(top)[0] == popular.id
    assert ids(latest) == [image.id, recent.id, popular.id]
    assert ids(by_tag) == [tagged.id]
    assert ids(images) == [image.id]
    assert ids(by_author) == [recent.id]
    assert graph_error(await api.get("/keyword_search"))["code"] == 100
    assert (
        graph_error(await api.get("/keyword_search", params={"q": "x", "search_type": "BEST"}))[
            "code"
        ]
        == 100
    )
    searched = (await api.get("/me", params={"fields": "recently_searched_keywords"})).json()
    assert searched["recently_searched_keywords"][0]["query"] == "python"
    assert searched["recently_searched_keywords"][0]["timestamp"] > 10**12  # milliseconds


async def test_deleted_posts_leave_lists(sim: ThreadsSimulator, api: httpx.AsyncClient) -> None:
    keep = sim.add_post("alice", text="keep")
    gone = sim.add_post("alice", text="gone")

    await api.delete(f"/{gone.id}")

    assert ids(await api.get("/me/threads")) == [keep.id]
    assert [p.id for p in sim.posts_by("alice")] == [keep.id]
