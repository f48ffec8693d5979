"""`fields` selection: defaults, exact selection, omitted values, nested selections, errors."""

from __future__ import annotations

import re

import httpx

from simulator import SimUser, ThreadsSimulator

from .helpers import graph_error, post_text

POST_FIELDS = (
    "id,media_product_type,media_type,media_url,permalink,owner,username,text,timestamp,"
    "shortcode,thumbnail_url,children,is_quote_post,has_replies,is_reply"
)


async def test_node_without_fields_returns_only_id(
    api: httpx.AsyncClient, alice: SimUser, sim: ThreadsSimulator
) -> None:
    post = sim.add_post("alice", text="hello")

    assert (await api.get("/me")).json() == {"id": alice.id}
    assert (await api.get(f"/{alice.id}")).json() == {"id": alice.id}
    assert (await api.get(f"/{post.id}")).json() == {"id": post.id}


async def test_me_returns_exactly_the_requested_fields(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.add_account(
        "carol", token="tok-carol", biography="hi", picture_url="https://p/c.jpg", is_verified=True
    )
    fields = "username,id,threads_biography,threads_profile_picture_url,is_verified"
    response = await api.get(
        "/me", params={"fields": fields}, headers={"Authorization": "Bearer tok-carol"}
    )

    body = response.json()
    assert list(body) == [
        "username",
        "id",
        "threads_biography",
        "threads_profile_picture_url",
        "is_verified",
    ]
    assert body["username"] == "carol"
    assert body["threads_profile_picture_url"] == "https://p/c.jpg"
    assert body["is_verified"] is True


async def test_text_post_has_realistic_values_and_omits_media_fields(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    post = sim.add_post("alice", text="Today is Monday")

    body = (await api.get(f"/{post.id}", params={"fields": POST_FIELDS})).json()

    assert "media_url" not in body and "thumbnail_url" not in body and "children" not in body
    assert body["media_product_type"] == "THREADS"
    assert body["media_type"] == "TEXT_POST"
    assert body["owner"] == {"id": alice.id}
    assert body["is_quote_post"] is False and body["is_reply"] is False
    assert re.fullmatch(r"1[78]\d{15,16}", body["id"])
    assert re.fullmatch(r"1\d{15,16}", alice.id)
    assert re.fullmatch(r"[A-Za-z0-9_-]{11}", body["shortcode"])
    assert body["permalink"] == f"https://www.threads.com/@alice/post/{body['shortcode']}"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", body["timestamp"])


async def test_owner_only_on_own_top_level_posts(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    theirs = sim.add_post("bob", text="bob's")
    mine = sim.add_post("alice", text="mine")
    my_reply = sim.add_post("alice", text="a reply", reply_to=theirs.id)

    async def owner_of(post_id: str) -> httpx.Response:
        return await api.get(f"/{post_id}", params={"fields": "id,owner"})

    assert "owner" in (await owner_of(mine.id)).json()
    assert "owner" not in (await owner_of(theirs.id)).json()
    assert "owner" not in (await owner_of(my_reply.id)).json()


async def test_image_video_and_carousel_children_selection(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    image = sim.add_post("alice", media_type="IMAGE", media_urls=("https://cdn/i.jpg",))
    video = sim.add_post("alice", media_type="VIDEO", media_urls=("https://cdn/v.mp4",))
    album = sim.add_post(
        "alice",
        text="album",
        media_type="CAROUSEL_ALBUM",
        media_urls=("https://cdn/a.jpg", "https://cdn/b.mp4"),
    )

    image_body = (
        await api.get(f"/{image.id}", params={"fields": "media_url,thumbnail_url"})
    ).json()
    video_body = (
        await api.get(f"/{video.id}", params={"fields": "media_url,thumbnail_url"})
    ).json()
    plain = (await api.get(f"/{album.id}", params={"fields": "children"})).json()
    nested = (
        await api.get(
            f"/{album.id}", params={"fields": "media_type,children{id,media_type,media_url}"}
        )
    ).json()

    assert image_body == {"media_url": "https://cdn/i.jpg"}
    assert video_body["media_url"] == "https://cdn/v.mp4" and "thumbnail_url" in video_body
    assert [set(child) for child in plain["children"]["data"]] == [{"id"}, {"id"}]
    assert nested["media_type"] == "CAROUSEL_ALBUM"
    assert [(c["media_type"], c["media_url"]) for c in nested["children"]["data"]] == [
        ("IMAGE", "https://cdn/a.jpg"),
        ("VIDEO", "https://cdn/b.mp4"),
    ]
    child_id = nested["children"]["data"][0]["id"]
    child = (await api.get(f"/{child_id}", params={"fields": "id,media_type,media_url"})).json()
    assert child == {"id": child_id, "media_type": "IMAGE", "media_url": "https://cdn/a.jpg"}


async def test_poll_attachment_nested_selection(api: httpx.AsyncClient) -> None:
    poll = '{"option_a":"Tea","option_b":"Coffee","option_c":"Water"}'
    media_id = await post_text(api, "Which?", poll_attachment=poll)

    some = (
        await api.get(
            f"/{media_id}", params={"fields": "poll_attachment{option_a,option_c,option_d}"}
        )
    ).json()
    everything = (
        await api.get(f"/{media_id}", params={"fields": "media_type,poll_attachment"})
    ).json()

    assert some == {"poll_attachment": {"option_a": "Tea", "option_c": "Water"}}
    assert everything["media_type"] == "TEXT_POST"  # polls still report TEXT_POST
    assert everything["poll_attachment"]["option_b"] == "Coffee"
    assert everything["poll_attachment"]["total_votes"] == 0
    assert "expiration_timestamp" in everything["poll_attachment"]


async def test_unknown_field_is_code_100(api: httpx.AsyncClient) -> None:
    media_id = await post_text(api, "x", poll_attachment='{"option_a":"A","option_b":"B"}')

    error = graph_error(await api.get(f"/{media_id}", params={"fields": "id,colour"}))
    nested = graph_error(await api.get(f"/{media_id}", params={"fields": "poll_attachment{nope}"}))

    assert error["code"] == 100
    assert error["type"] == "THApiException"
    assert error["message"] == "Tried accessing nonexisting field (colour)"
    assert nested["code"] == 100


async def test_status_on_a_published_media_id_is_the_nonexisting_field_error(
    api: httpx.AsyncClient,
) -> None:
    media_id = await post_text(api, "published")

    error = graph_error(await api.get(f"/{media_id}", params={"fields": "id,status"}))

    assert error["code"] == 100
    assert error["message"] == "Tried accessing nonexisting field (status)"


async def test_fields_syntax_error_is_code_100(api: httpx.AsyncClient) -> None:
    error = graph_error(await api.get("/me", params={"fields": "id,children{id"}))
    assert error["code"] == 100


async def test_other_users_node_and_unknown_ids_are_unsupported(
    api: httpx.AsyncClient, bob: SimUser
) -> None:
    other = graph_error(await api.get(f"/{bob.id}", params={"fields": "id,username"}))
    unknown = graph_error(await api.get("/17999999999999999"))
    edge = graph_error(await api.get("/me/not_an_edge"))

    assert (other["code"], other["error_subcode"]) == (100, 33)
    assert (unknown["code"], unknown["error_subcode"]) == (100, 33)
    assert edge["code"] == 100


async def test_profile_lookup_default_and_selected_fields(
    sim: ThreadsSimulator, api: httpx.AsyncClient, bob: SimUser
) -> None:
    post = sim.add_post("bob", text="hello")
    post.likes = 7

    full = (await api.get("/profile_lookup", params={"username": "bob"})).json()
    some = (
        await api.get(
            "/profile_lookup", params={"username": "bob", "fields": "username,follower_count"}
        )
    ).json()

    assert full["username"] == "bob" and full["biography"] == "Bob's bio"
    assert full["follower_count"] == 5000 and full["likes_count"] == 7
    assert "id" not in full
    assert some == {"username": "bob", "follower_count": 5000}
    error = graph_error(await api.get("/profile_lookup", params={"username": "nobody_here"}))
    assert error["code"] == 100 and "nobody_here" in error["message"]
