"""Tokens: header vs query, invalid/expired tokens, OAuth code exchange, long-lived, refresh."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from simulator import SimUser, ThreadsSimulator

from .helpers import graph_error

REDIRECT = "https://example.com/cb"


async def exchange_code(anon: httpx.AsyncClient, code: str, **overrides: str) -> httpx.Response:
    form = {
        "client_id": "sim-app",
        "client_secret": "sim-secret",
        "code": code,
        "grant_type": "authorization_code",
        "redirect_uri": REDIRECT,
    }
    form.update(overrides)
    return await anon.post("/oauth/access_token", data=form)


async def to_long_lived(
    anon: httpx.AsyncClient, short: str, path: str = "/access_token"
) -> httpx.Response:
    return await anon.get(
        path,
        params={"grant_type": "th_exchange_token", "client_secret": "sim-secret"},
        headers={"Authorization": f"Bearer {short}"},
    )


async def refresh(anon: httpx.AsyncClient, token: str) -> httpx.Response:
    return await anon.get(
        "/refresh_access_token", params={"grant_type": "th_refresh_token", "access_token": token}
    )


async def test_token_in_header_or_query_and_the_request_log(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    by_header = await anon.get("/v1.0/me", headers={"Authorization": f"Bearer {alice.token}"})
    by_query = await anon.get("/v1.0/me", params={"access_token": alice.token})

    assert by_header.json() == by_query.json() == {"id": alice.id}
    header_req, query_req = sim.requests
    assert header_req.headers["Authorization"] == f"Bearer {alice.token}"
    assert header_req.token_in_url is False
    assert query_req.token_in_url is True and query_req.query["access_token"] == alice.token
    assert header_req.method == "GET" and header_req.path == "/v1.0/me"


async def test_unknown_missing_and_expired_tokens(
    sim: ThreadsSimulator, api: httpx.AsyncClient, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    unknown = await anon.get("/v1.0/me", headers={"Authorization": "Bearer nope"})
    missing = await anon.get("/v1.0/me")
    sim.expire_token(alice.token or "")
    expired = await api.get("/me")

    assert unknown.status_code == 400
    assert graph_error(unknown) | {"fbtrace_id": "x"} == {
        "message": "Invalid OAuth access token - Cannot parse access token",
        "type": "OAuthException",
        "code": 190,
        "is_transient": False,
        "fbtrace_id": "x",
    }
    assert graph_error(missing)["code"] == 104
    error = graph_error(expired)
    assert (error["code"], error["error_subcode"], error["type"]) == (190, 463, "OAuthException")


async def test_account_token_is_long_lived_and_expires_after_60_days(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser
) -> None:
    issued, expires = sim.token_info(alice.token or "")
    assert expires - issued == timedelta(days=60)
    assert issued.tzinfo is not None

    sim.advance(60 * 86400)

    assert graph_error(await api.get("/me"))["error_subcode"] == 463


async def test_full_oauth_flow(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    code = sim.issue_auth_code("alice", redirect_uri=REDIRECT)

    short = await exchange_code(anon, code)
    reused = await exchange_code(anon, code)

    assert short.status_code == 200
    body = short.json()
    assert set(body) == {"access_token", "user_id"}
    assert isinstance(body["user_id"], int) and str(body["user_id"]) == alice.id
    assert reused.status_code == 400
    assert reused.json() == {
        "error_type": "OAuthException",
        "code": 400,
        "error_message": "Matching code was not found or was already used",
    }
    short_token = body["access_token"]
    issued, expires = sim.token_info(short_token)
    assert expires - issued == timedelta(hours=1)

    long = await to_long_lived(anon, short_token)

    assert long.status_code == 200
    long_body = long.json()
    assert long_body["token_type"] == "bearer" and long_body["expires_in"] == 5_184_000
    me = await anon.get("/v1.0/me", params={"access_token": long_body["access_token"]})
    assert me.json() == {"id": alice.id}


async def test_code_exchange_failures_use_the_flat_shape(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    code = sim.issue_auth_code("alice", redirect_uri=REDIRECT)

    wrong_secret = await exchange_code(anon, code, client_secret="guess")
    wrong_redirect = await exchange_code(anon, code, redirect_uri="https://evil.example/cb")
    unknown_code = await exchange_code(anon, "AQBnot-a-code")
    sim.advance(3601)
    expired_code = await exchange_code(anon, code)

    for response in (wrong_secret, wrong_redirect, unknown_code, expired_code):
        assert response.status_code == 400
        assert set(response.json()) == {"error_type", "code", "error_message"}
    assert (
        expired_code.json()["error_message"] == "Matching code was not found or was already used"
    )


async def test_short_lived_token_dies_after_an_hour_and_cannot_be_exchanged(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    short = (await exchange_code(anon, sim.issue_auth_code("alice"))).json()["access_token"]
    sim.advance(3600)

    refused = await to_long_lived(anon, short)

    assert graph_error(refused)["error_subcode"] == 463


async def test_long_lived_exchange_checks_secret_and_grant(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    short = (await exchange_code(anon, sim.issue_auth_code("alice"))).json()["access_token"]

    bad_secret = await anon.get(
        "/access_token",
        params={"grant_type": "th_exchange_token", "client_secret": "nope", "access_token": short},
    )
    bad_grant = await anon.get(
        "/access_token",
        params={
            "grant_type": "fb_exchange_token",
            "client_secret": "sim-secret",
            "access_token": short,
        },
    )
    long_lived_again = await to_long_lived(anon, alice.token or "")

    assert graph_error(bad_secret)["code"] == 1
    assert graph_error(bad_grant)["code"] == 100
    assert graph_error(long_lived_again)["code"] == 100


@pytest.mark.parametrize("path", ["/access_token", "/v1.0/access_token"])
async def test_token_endpoints_answer_versioned_and_unversioned(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser, path: str
) -> None:
    code = sim.issue_auth_code("alice")
    versioned = await anon.post(
        "/v1.0/oauth/access_token",
        data={
            "client_id": "sim-app",
            "client_secret": "sim-secret",
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": REDIRECT,
        },
    )

    assert (await to_long_lived(anon, versioned.json()["access_token"], path)).status_code == 200


async def test_refresh_needs_a_day_of_age_and_a_live_token(
    sim: ThreadsSimulator, anon: httpx.AsyncClient, alice: SimUser
) -> None:
    token = alice.token or ""

    too_young = await refresh(anon, token)
    sim.advance(24 * 3600)
    refreshed = await refresh(anon, token)

    assert graph_error(too_young)["code"] == 100
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 5_184_000
    issued, expires = sim.token_info(body["access_token"])
    assert timedelta(0) <= sim.now() - issued < timedelta(seconds=5)  # issued at refresh time
    assert expires - issued == timedelta(days=60)

    sim.advance(60 * 86400)
    expired = await refresh(anon, body["access_token"])
    assert graph_error(expired)["error_subcode"] == 463


async def test_a_revoked_token_gets_100_on_me_and_190_elsewhere(
    sim: ThreadsSimulator, alice: SimUser, api: httpx.AsyncClient
) -> None:
    sim.revoke_token(alice.token)

    me = graph_error(await api.get("/me", params={"fields": "id,username"}))
    threads = graph_error(await api.get("/me/threads"))

    assert (me["code"], me["message"]) == (100, "The requested resource does not exist")
    assert (threads["code"], threads["error_subcode"]) == (190, 458)
