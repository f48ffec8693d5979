"""The HTTP control API under /__sim__/, demo seeding and `serve()`."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from simulator import DEMO_TOKEN, ThreadsSimulator, seed_demo, serve

from .helpers import graph_error


async def test_control_api_builds_a_world_other_processes_can_use(
    sim: ThreadsSimulator, anon: httpx.AsyncClient
) -> None:
    account = (
        await anon.post("/__sim__/accounts", json={"username": "zoe", "token": "tok-zoe"})
    ).json()
    profile = (
        await anon.post("/__sim__/profiles", json={"username": "yann", "followers": 1200})
    ).json()
    post = (
        await anon.post(
            "/__sim__/posts",
            json={"username": "yann", "text": "hi @zoe", "timestamp": "2024-05-01T10:00:00+0000"},
        )
    ).json()

    assert account["token"] == "tok-zoe" and account["username"] == "zoe"
    assert profile["token"] is None
    assert post["timestamp"] == "2024-05-01T10:00:00+0000"
    assert post["permalink"].endswith(f"/@yann/post/{post['shortcode']}")
    zoe = {"Authorization": "Bearer tok-zoe"}
    mentions = (await anon.get("/v1.0/me/mentions", headers=zoe)).json()
    assert [item["id"] for item in mentions["data"]] == [post["id"]]
    lookup = (
        await anon.get("/v1.0/profile_lookup", params={"username": "yann"}, headers=zoe)
    ).json()
    assert lookup["follower_count"] == 1200


async def test_control_failures_clock_codes_and_request_log(
    sim: ThreadsSimulator, anon: httpx.AsyncClient
) -> None:
    await anon.post("/__sim__/accounts", json={"username": "zoe", "token": "tok-zoe"})
    zoe = {"Authorization": "Bearer tok-zoe"}

    armed = await anon.post(
        "/__sim__/failures",
        json={"method": "GET", "path": "/me", "kind": "rate_limit", "code": 17},
    )
    limited = await anon.get("/v1.0/me", headers=zoe)
    await anon.post("/__sim__/failures", json={"kind": "container", "error_message": "UNKNOWN"})
    container = (
        await anon.post("/v1.0/me/threads", data={"media_type": "TEXT", "text": "x"}, headers=zoe)
    ).json()
    status = (
        await anon.get(
            f"/v1.0/{container['id']}", params={"fields": "status,error_message"}, headers=zoe
        )
    ).json()
    code = (await anon.post("/__sim__/auth_codes", json={"username": "zoe"})).json()["code"]
    advanced = await anon.post("/__sim__/clock/advance", json={"seconds": 61 * 86400})
    expired = await anon.get("/v1.0/me", headers=zoe)
    log = (await anon.get("/__sim__/requests")).json()["data"]
    cleared = await anon.delete("/__sim__/requests")

    assert armed.json() == {"armed": True}
    assert graph_error(limited)["code"] == 17
    assert status == {"status": "ERROR", "error_message": "UNKNOWN"}
    assert code.startswith("AQB")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", advanced.json()["now"])
    assert graph_error(expired)["error_subcode"] == 463
    assert [entry["path"] for entry in log] == [
        "/v1.0/me",
        "/v1.0/me/threads",
        f"/v1.0/{container['id']}",
        "/v1.0/me",
    ]
    assert log[1]["form"] == {"media_type": "TEXT", "text": "x"}
    assert log[0]["headers"]["Authorization"] == "Bearer tok-zoe"
    assert cleared.json() == {"cleared": 4}
    assert sim.requests == []


async def test_control_errors_are_400_with_a_reason(anon: httpx.AsyncClient) -> None:
    missing = await anon.post("/__sim__/accounts", json={"name": "no username"})
    bad_kind = await anon.post("/__sim__/failures", json={"kind": "meteor"})
    not_json = await anon.post(
        "/__sim__/posts", content=b"{", headers={"Content-Type": "application/json"}
    )
    unknown_user = await anon.post("/__sim__/posts", json={"username": "ghost", "text": "x"})

    for response in (missing, bad_kind, not_json, unknown_user):
        assert response.status_code == 400
        assert "error" in response.json()


async def test_seed_demo_has_an_account_and_public_profiles(
    sim: ThreadsSimulator, anon: httpx.AsyncClient
) -> None:
    seed_demo(sim)
    demo = {"Authorization": f"Bearer {DEMO_TOKEN}"}

    me = (await anon.get("/v1.0/me", params={"fields": "username"}, headers=demo)).json()
    posts = (
        await anon.get(
            "/v1.0/profile_posts",
            params={"username": "nova_photos", "fields": "media_type"},
            headers=demo,
        )
    ).json()
    mentions = (await anon.get("/v1.0/me/mentions", headers=demo)).json()

    assert me == {"username": "demo"}
    assert {item["media_type"] for item in posts["data"]} == {
        "TEXT_POST",
        "IMAGE",
        "CAROUSEL_ALBUM",
    }
    assert len(mentions["data"]) == 1


async def test_serve_runs_until_cancelled(capsys: pytest.CaptureFixture[str]) -> None:
    ready = asyncio.Event()
    task = asyncio.create_task(serve("127.0.0.1", 0, seed=True, ready=ready))
    await asyncio.wait_for(ready.wait(), 10)
    printed = capsys.readouterr().out

    base_url = re.search(r"Threads simulator: (\S+)", printed)
    assert base_url is not None and base_url.group(1).endswith("/v1.0")
    assert DEMO_TOKEN in printed
    async with httpx.AsyncClient(trust_env=False) as client:
        me = await client.get(f"{base_url.group(1)}/me", params={"access_token": DEMO_TOKEN})
    assert me.status_code == 200

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
