"""Actions on published posts: replies, quotes, reposts, deletes, hiding replies."""

from __future__ import annotations

import httpx

from simulator import SimUser, ThreadsSimulator

from .helpers import create_id, graph_error, post_text, publish, status_of


async def test_reply_quote_and_repost(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    root = sim.add_post("bob", text="root")

    reply_id = await post_text(api, "my reply", reply_to_id=root.id)
    quote_id = await post_text(api, "my quote", quote_post_id=root.id)
    repost = await api.post(f"/{root.id}/repost")

    reply = (
        await api.get(
            f"/{reply_id}", params={"fields": "is_reply,root_post,replied_to,hide_status"}
        )
    ).json()
    quote = (
        await api.get(f"/{quote_id}", params={"fields": "is_quote_post,quoted_post{id,text}"})
    ).json()
    assert reply == {
        "is_reply": True,
        "root_post": {"id": root.id},
        "replied_to": {"id": root.id},
        "hide_status": "NOT_HUSHED",
    }
    assert quote == {"is_quote_post": True, "quoted_post": {"id": root.id, "text": "root"}}
    repost_id = repost.json()["id"]
    facade = (await api.get(f"/{repost_id}", params={"fields": "media_type,reposted_post"})).json()
    assert facade == {"media_type": "REPOST_FACADE", "reposted_post": {"id": root.id}}
    assert graph_error(await api.post(f"/{root.id}/repost"))["code"] == 100  # not twice
    limit = (
        await api.get(
            "/me/threads_publishing_limit", params={"fields": "quota_usage,reply_quota_usage"}
        )
    ).json()
    assert limit == {"data": [{"quota_usage": 2, "reply_quota_usage": 1}]}


async def test_delete(sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser) -> None:
    mine = await post_text(api, "to delete")
    theirs = sim.add_post("bob", text="not mine")

    deleted = await api.delete(f"/{mine}")
    refused = graph_error(await api.delete(f"/{theirs.id}"))

    assert deleted.json() == {"success": True, "deleted_id": mine}
    assert graph_error(await api.get(f"/{mine}"))["code"] == 100
    assert sim.get_post(mine) is None
    assert refused["code"] == 100
    assert (await api.get("/me/threads")).json() == {"data": []}


async def test_manage_reply_hides_and_unhides_top_level_replies(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    mine = sim.add_post("alice", text="my post")
    reply = sim.add_post("bob", text="a reply", reply_to=mine.id)
    nested = sim.add_post("alice", text="answer", reply_to=reply.id)
    elsewhere = sim.add_post("bob", text="bob's own")
    reply_elsewhere = sim.add_post("bob", text="reply", reply_to=elsewhere.id)

    hidden = await api.post(f"/{reply.id}/manage_reply", data={"hide": "true"})
    status_hidden = (await api.get(f"/{reply.id}", params={"fields": "hide_status"})).json()
    await api.post(f"/{reply.id}/manage_reply", data={"hide": "false"})
    status_unhidden = (await api.get(f"/{reply.id}", params={"fields": "hide_status"})).json()

    assert hidden.json() == {"success": True}
    assert status_hidden == {"hide_status": "HIDDEN"}
    assert status_unhidden == {"hide_status": "UNHUSHED"}
    assert (
        graph_error(await api.post(f"/{nested.id}/manage_reply", data={"hide": "true"}))["code"]
        == 100
    )
    assert (
        graph_error(await api.post(f"/{reply_elsewhere.id}/manage_reply", data={"hide": "true"}))[
            "code"
        ]
        == 100
    )
    assert graph_error(await api.post(f"/{reply.id}/manage_reply"))["code"] == 100


async def test_reply_approvals_keep_replies_pending_until_approved(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    created = await api.post(
        "/me/threads",
        data={"media_type": "TEXT", "text": "approvals on", "enable_reply_approvals": "true"},
    )
    published = await api.post("/me/threads_publish", data={"creation_id": created.json()["id"]})
    mine = published.json()["id"]
    first = sim.add_post("bob", text="first", reply_to=mine)
    second = sim.add_post("bob", text="second", reply_to=mine)
    own = sim.add_post("alice", text="my own needs no approval", reply_to=mine)
    fields = {"fields": "id,text,reply_approval_status"}

    listed = (await api.get(f"/{mine}/replies", params=fields)).json()["data"]
    pending = (await api.get(f"/{mine}/pending_replies", params=fields)).json()["data"]
    assert [r["id"] for r in listed] == [own.id]
    assert [(r["id"], r["reply_approval_status"]) for r in pending] == [
        (second.id, "pending"),
        (first.id, "pending"),
    ]

    ignored = await api.post(f"/{second.id}/manage_pending_reply", data={"approve": "false"})
    approved = await api.post(f"/{first.id}/manage_pending_reply", data={"approve": "true"})

    assert ignored.json() == approved.json() == {"success": True}
    listed = (await api.get(f"/{mine}/replies", params=fields)).json()["data"]
    assert [r["id"] for r in listed] == [own.id, first.id]
    only_ignored = await api.get(
        f"/{mine}/pending_replies", params=fields | {"approval_status": "ignored"}
    )
    assert [r["id"] for r in only_ignored.json()["data"]] == [second.id]
    still_pending = await api.get(
        f"/{mine}/pending_replies", params=fields | {"approval_status": "pending"}
    )
    assert still_pending.json()["data"] == []
    for refused in (
        await api.post(f"/{first.id}/manage_pending_reply", data={"approve": "true"}),  # shown
        await api.post(f"/{second.id}/manage_pending_reply"),  # approve missing
        await api.get(f"/{mine}/pending_replies", params={"approval_status": "PENDING"}),
    ):
        assert graph_error(refused)["code"] == 100


async def test_query_string_parameters_work_like_form_fields(api: httpx.AsyncClient) -> None:
    response = await api.post("/me/threads", params={"media_type": "TEXT", "text": "via query"})
    container_id = response.json()["id"]

    published = await api.post("/me/threads_publish", params={"creation_id": container_id})

    assert published.status_code == 200


async def test_numeric_user_id_works_in_write_paths(
    api: httpx.AsyncClient, alice: SimUser
) -> None:
    response = await api.post(f"/{alice.id}/threads", data={"media_type": "TEXT", "text": "by id"})
    published = await api.post(
        f"/{alice.id}/threads_publish", data={"creation_id": response.json()["id"]}
    )

    assert published.status_code == 200


async def test_reply_to_a_post_deleted_before_publish_is_refused(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    root = sim.add_post("alice", text="soon gone")
    container_id = await create_id(api, media_type="TEXT", text="late reply", reply_to_id=root.id)
    await api.delete(f"/{root.id}")

    error = graph_error(await publish(api, container_id))

    assert error["code"] == 100
    assert (await status_of(api, container_id))["status"] == "FINISHED"
