"""Failure injection: server errors, timeouts, rate limits, auth errors, custom replies."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from simulator import SimUser, ThreadsSimulator
from tests.media_host import MediaHost
from tests.media_samples import PNG

from .helpers import graph_error


async def test_server_error_fires_for_the_next_n_matching_requests(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.fail_next("GET", "/me/threads", kind="server_error", times=2)

    first = await api.get("/me/threads")
    unrelated = await api.get("/me")
    second = await api.get("/me/threads")
    third = await api.get("/me/threads")

    assert first.status_code == 500 and second.status_code == 500
    error = graph_error(first)
    assert error["code"] == 1 and error["is_transient"] is True
    assert unrelated.status_code == 200
    assert third.status_code == 200


async def test_server_error_with_code_2_and_custom_status(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.fail_next("GET", "/me", kind="server_error", status=503, code=2)

    response = await api.get("/me")

    assert response.status_code == 503
    assert graph_error(response)["code"] == 2


async def test_patterns_match_methods_wildcards_and_the_numeric_id_twin(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    sim.fail_next("POST", "/*/threads_publish", kind="server_error")
    sim.fail_next("GET", "/me/replies", kind="server_error")

    get_publish = await api.get("/me/threads_publish")  # wrong method: not matched
    by_numeric_id = await api.get(f"/{alice.id}/replies")  # "/me/replies" matches the id form
    posted = await api.post(f"/{alice.id}/threads_publish", data={"creation_id": "1"})

    assert get_publish.status_code == 400 and graph_error(get_publish)["code"] == 100
    assert by_numeric_id.status_code == 500
    assert posted.status_code == 500


async def test_star_matches_every_path_and_method(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.fail_next("*", "*", kind="server_error", times=2)

    assert (
        await api.post("/me/threads", data={"media_type": "TEXT", "text": "x"})
    ).status_code == 500
    assert (await api.get(f"{sim.root_url}/refresh_access_token")).status_code == 500


@pytest.mark.parametrize("code", [4, 17, 32, 613])
async def test_rate_limit_codes(sim: ThreadsSimulator, api: httpx.AsyncClient, code: int) -> None:
    sim.fail_next("GET", "/me/threads", kind="rate_limit", code=code)

    error = graph_error(await api.get("/me/threads"))

    assert error["code"] == code
    assert error["is_transient"] is True


async def test_auth_failure_is_190(sim: ThreadsSimulator, api: httpx.AsyncClient) -> None:
    sim.fail_next("GET", "/me", kind="auth")

    response = await api.get("/me")

    assert response.status_code == 400
    assert graph_error(response)["code"] == 190
    assert (await api.get("/me")).status_code == 200  # the token itself is fine


async def test_custom_failure_sends_exactly_status_and_body(
    sim: ThreadsSimulator, api: httpx.AsyncClient, media_host: MediaHost
) -> None:
    body = {
        "error": {"message": "odd", "type": "THApiException", "code": 1, "error_subcode": 2207052}
    }
    sim.fail_next("POST", "/me/threads", kind="custom", status=400, body=body)
    sim.fail_next("GET", "/me", kind="custom", status=502, body="<html>Bad gateway</html>")

    image_url = media_host.add("y.png", PNG, "image/png")
    json_reply = await api.post(
        "/me/threads", data={"media_type": "IMAGE", "image_url": image_url}
    )
    html_reply = await api.get("/me")

    assert json_reply.status_code == 400 and json_reply.json() == body
    assert media_host.hits["y.png"] == 0  # the injected answer came before any download
    assert html_reply.status_code == 502 and html_reply.text == "<html>Bad gateway</html>"


async def test_timeout_holds_the_response_until_the_client_gives_up(
    sim: ThreadsSimulator, api: httpx.AsyncClient
) -> None:
    sim.fail_next("POST", "/me/threads_publish", kind="timeout")

    with pytest.raises(httpx.ReadTimeout):
        await api.post("/me/threads_publish", data={"creation_id": "1"}, timeout=0.2)

    assert sim.requests[-1].path == "/v1.0/me/threads_publish"  # it did arrive
    assert (await api.get("/me")).status_code == 200  # other requests are unaffected


async def test_stop_releases_held_requests() -> None:
    sim = ThreadsSimulator()
    await sim.start()
    sim.add_account("erin", token="tok-erin")
    sim.fail_next("GET", "/me", kind="timeout")
    async with httpx.AsyncClient(trust_env=False) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(
                f"{sim.base_url}/me", params={"access_token": "tok-erin"}, timeout=0.2
            )
    async with asyncio.timeout(5):  # aiohttp would otherwise wait 60 s for the held handler
        await sim.stop()


def test_invalid_failure_arguments_are_rejected(sim: ThreadsSimulator) -> None:
    with pytest.raises(ValueError, match="kind"):
        sim.fail_next("GET", "/me", kind="meteor")
    with pytest.raises(ValueError, match="custom"):
        sim.fail_next("GET", "/me", kind="custom", status=500)
