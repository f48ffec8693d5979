"""Errors are classified from the Graph error body; safe reads retry, writes never do."""

from __future__ import annotations

import pytest

from bot.threads.client import ThreadsClient
from bot.threads.containers import ContainerRequest
from bot.threads.errors import (
    AuthError,
    InvalidParameter,
    MediaDownloadFailed,
    NotReady,
    PermissionDenied,
    RateLimited,
    ThreadsError,
    TransientError,
)
from simulator import SimUser, ThreadsSimulator
from tests.conftest import FAST_RETRY


def graph_error(
    code: int, subcode: int | None = None, transient: bool = False
) -> dict[str, object]:
    error: dict[str, object] = {
        "message": f"failure {code}",
        "type": "OAuthException",
        "code": code,
        "is_transient": transient,
        "fbtrace_id": "Ab1",
    }
    if subcode:
        error["error_subcode"] = subcode
    return {"error": error}


def me_requests(sim: ThreadsSimulator) -> int:
    return sum(1 for r in sim.requests if r.path.endswith("/me"))


@pytest.mark.parametrize("kind", ["server_error", "timeout"])
async def test_safe_reads_are_retried(
    sim: ThreadsSimulator, client: ThreadsClient, kind: str
) -> None:
    sim.fail_next("GET", "/me", kind=kind, times=1)
    assert (await client.me()).username == "alice"
    assert me_requests(sim) == 2


async def test_retries_are_bounded(sim: ThreadsSimulator, client: ThreadsClient) -> None:
    sim.fail_next("GET", "/me", kind="server_error", times=10)
    with pytest.raises(TransientError):
        await client.me()
    assert me_requests(sim) == FAST_RETRY.attempts


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, graph_error(190, 463), AuthError),
        (500, graph_error(190), AuthError),  # the body decides, not the 500
        (400, graph_error(10), PermissionDenied),
        (403, graph_error(200), PermissionDenied),
        (400, graph_error(4), RateLimited),
        (400, graph_error(17), RateLimited),
        (400, graph_error(32), RateLimited),
        (400, graph_error(613), RateLimited),
        (400, graph_error(341), RateLimited),
        (400, graph_error(24, 4279009), NotReady),
        (400, graph_error(1, 2207052), MediaDownloadFailed),
        (400, graph_error(100), InvalidParameter),
    ],
)
async def test_errors_are_classified_from_the_body(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    status: int,
    body: dict[str, object],
    expected: type[ThreadsError],
) -> None:
    sim.fail_next("GET", "/me", kind="custom", status=status, body=body)
    with pytest.raises(expected) as caught:
        await client.me()
    assert type(caught.value) is expected
    assert caught.value.code == body["error"]["code"]  # type: ignore[index]
    assert me_requests(sim) == 1  # none of these is worth repeating at once


def test_media_download_failure_is_not_transient() -> None:
    """Code 1 is Meta's transient "unknown error", except with subcode 2207052: Meta could not
    download the image URL, and sending the same URL again fails again."""
    from bot.threads.errors import classify_graph_error

    body = {
        "error": {
            "message": "An unknown error occurred",
            "type": "OAuthException",
            "code": 1,
            "error_subcode": 2207052,
            "is_transient": False,
            "error_user_title": "Media download has failed.",
            "error_user_msg": "The media could not be downloaded from the URI provided.",
            "fbtrace_id": "AbCdEf",
        }
    }
    error = classify_graph_error(400, body)
    plain = classify_graph_error(400, graph_error(1))

    assert type(error) is MediaDownloadFailed and not error.retryable
    assert error.reason == (
        "Meta could not download the image; is [media] public_url reachable from the internet?"
    )
    assert (error.code, error.subcode) == (1, 2207052)
    assert error.user_title == "Media download has failed."
    assert isinstance(plain, TransientError)  # code 1 without the subcode still is


async def test_is_transient_flag_makes_a_400_retryable(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.fail_next("GET", "/me", kind="custom", status=400, body=graph_error(99, transient=True))
    assert (await client.me()).username == "alice"
    assert me_requests(sim) == 2


@pytest.mark.parametrize("kind", ["rate_limit", "auth"])
async def test_injected_kinds(sim: ThreadsSimulator, client: ThreadsClient, kind: str) -> None:
    expected = {"rate_limit": RateLimited, "auth": AuthError}[kind]
    sim.fail_next("GET", "/me", kind=kind)
    with pytest.raises(expected):
        await client.me()


async def test_writes_are_never_retried_blindly(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    sim.fail_next("POST", "/*/threads", kind="server_error")
    with pytest.raises(TransientError):
        await client.create_container(ContainerRequest("TEXT", text="once"))
    assert sum(1 for r in sim.requests if r.method == "POST") == 1


async def test_invalid_token_is_an_auth_error_without_the_token(sim: ThreadsSimulator) -> None:
    async with ThreadsClient(
        "not-a-real-token-xyz", api_base=sim.base_url, retry=FAST_RETRY
    ) as stranger:
        with pytest.raises(AuthError) as caught:
            await stranger.me()
    assert caught.value.code == 190
    assert "not-a-real-token-xyz" not in str(caught.value)
    assert "not-a-real-token-xyz" not in repr(stranger)


async def test_expired_token(sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient) -> None:
    sim.expire_token(alice.token)
    with pytest.raises(AuthError) as caught:
        await client.me()
    assert caught.value.subcode == 463


async def test_unreachable_server_is_transient() -> None:
    async with ThreadsClient("t", api_base="http://127.0.0.1:9/v1.0", retry=FAST_RETRY) as dead:
        with pytest.raises(TransientError, match="Could not reach Threads"):
            await dead.me()


async def test_text_over_the_limit_is_refused_before_sending(
    sim: ThreadsSimulator, client: ThreadsClient
) -> None:
    with pytest.raises(InvalidParameter, match="502 characters"):
        await client.create_container(ContainerRequest("TEXT", text="é" * 251))
    assert sim.requests == []


async def test_simulator_refuses_text_over_the_limit_too(
    sim: ThreadsSimulator, alice: SimUser
) -> None:
    """The local check is a courtesy: the server's refusal is classified the same way."""
    import httpx

    async with httpx.AsyncClient() as raw:
        response = await raw.post(
            f"{sim.base_url}/me/threads",
            data={"media_type": "TEXT", "text": "é" * 251},
            headers={"Authorization": f"Bearer {alice.token}"},
        )
    from bot.threads.errors import classify_graph_error

    error = classify_graph_error(response.status_code, response.json())
    assert isinstance(error, InvalidParameter)
    assert "500 characters" in error.reason


async def test_no_secret_reaches_the_logs(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.runtime.logs import setup_logging

    setup_logging("DEBUG")
    caplog.set_level("DEBUG")
    sim.fail_next("GET", "/me", kind="server_error")
    await client.me()
    code = sim.issue_auth_code("alice", redirect_uri="https://example.com/cb")
    short = await client.exchange_code(code, "https://example.com/cb")
    await client.exchange_for_long_lived(short.access_token)
    sim.fail_next("GET", "/me", kind="auth")
    with pytest.raises(AuthError):
        await client.me()

    assert "retry 1" in caplog.text  # the retry was logged...
    for secret in (alice.token, short.access_token, "sim-secret"):
        assert secret not in caplog.text  # ...without any secret
