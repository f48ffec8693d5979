"""adapters/discord/errors.py from the exceptions discord.py raises for Discord's answers.

Each exception is built as discord.py's HTTPClient builds it (`Forbidden(response, data)`
with `data = json_or_text(response)`), from a real aiohttp response: a one-route loopback
server gives Discord's status, headers and body. No Discord, fake or real, is involved."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import discord
import pytest
from aiohttp import web
from aiohttp.test_utils import RawTestServer

from adapters.discord.errors import classify
from bot.outbound import DeliveryFailed, DeliveryRejected, DestinationGone, RetryAfter

VIA = {"Via": "1.1 google"}  # Cloudflare's mark on Discord's own answers


async def answered(
    status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None
) -> discord.HTTPException:
    """The exception discord.py raises when a send is answered like this."""

    async def answer(request: web.BaseRequest) -> web.Response:
        if isinstance(body, str):
            return web.Response(status=status, text=body, headers=headers)
        # Exactly Discord's content type: discord.py decodes JSON only for this one.
        json_type = {"Content-Type": "application/json"}
        return web.Response(
            status=status, body=json.dumps(body).encode(), headers=json_type | (headers or {})
        )

    async with (
        RawTestServer(answer) as server,
        aiohttp.ClientSession() as session,
        session.post(server.make_url("/api/v10/channels/1/messages")) as response,
    ):
        data = await discord.http.json_or_text(response)
    if status == 403:
        return discord.Forbidden(response, data)
    if status == 404:
        return discord.NotFound(response, data)
    if status >= 500:
        return discord.DiscordServerError(response, data)
    return discord.HTTPException(response, data)


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (403, {"message": "Missing Access", "code": 50001}, "403 Missing Access"),
        (403, {"message": "Missing Permissions", "code": 50013}, "403 Missing Permissions"),
        (404, {"message": "Unknown Channel", "code": 10003}, "404 Unknown Channel"),
        (404, {"message": "Unknown Webhook", "code": 10015}, "404 Unknown Webhook"),
        (403, "", "403 forbidden or gone"),
    ],
)
async def test_a_channel_that_is_gone_or_forbids_us(
    status: int, body: dict[str, Any] | str, reason: str
) -> None:
    outcome = classify(await answered(status, body, VIA))
    assert isinstance(outcome, DestinationGone) and outcome.reason == reason


async def test_a_message_discord_will_never_take_is_rejected() -> None:
    body = {
        "message": "Invalid Form Body",
        "code": 50035,
        "errors": {
            "content": {
                "_errors": [
                    {"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 2000 or fewer in length."}
                ]
            }
        },
    }

    outcome = classify(await answered(400, body, VIA))

    assert isinstance(outcome, DeliveryRejected)
    assert outcome.reason == (
        "400 Invalid Form Body\nIn content: Must be 2000 or fewer in length."
    )


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"message": "500: Internal Server Error", "code": 0}),
        (502, "<html><body>502 Bad Gateway</body></html>"),
        (503, "upstream connect error"),
    ],
)
async def test_discord_s_own_trouble_is_retried_later(
    status: int, body: dict[str, Any] | str
) -> None:
    outcome = classify(await answered(status, body))
    assert isinstance(outcome, DeliveryFailed) and outcome.reason.startswith(f"{status} ")


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "30"}, 30.0),
        ({"Retry-After": "0.2"}, 1.0),  # never sooner than a second
        ({"Retry-After": "soon"}, 5.0),
        ({}, 5.0),
    ],
)
async def test_a_429_discord_py_let_through_waits(headers: dict[str, str], seconds: float) -> None:
    # Without Cloudflare's Via header discord.py does not wait it out: an IP-level limit.
    exc = await answered(429, "error code: 1015", headers)

    outcome = classify(exc)

    assert isinstance(outcome, RetryAfter) and outcome.seconds == seconds
    assert outcome.reason == "429 error code: 1015"


def test_a_rate_limit_longer_than_discord_py_waits() -> None:
    outcome = classify(discord.RateLimited(42.25))
    assert isinstance(outcome, RetryAfter) and outcome.seconds == 42.25
    assert outcome.reason == "rate limited for 42.2s"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (aiohttp.ServerDisconnectedError(), "ServerDisconnectedError: Server disconnected"),
        (TimeoutError(), "TimeoutError: "),
        (discord.GatewayNotFound(), "GatewayNotFound: The gateway to connect to discord was "),
        (ValueError("odd"), "ValueError('odd')"),
    ],
)
def test_anything_else_is_retried_later(exc: Exception, reason: str) -> None:
    outcome = classify(exc)
    assert isinstance(outcome, DeliveryFailed) and outcome.reason.startswith(reason)


async def test_a_refused_connection_is_retried_later() -> None:
    async def ok(request: web.BaseRequest) -> web.Response:
        return web.Response()

    async with RawTestServer(ok) as server:
        url = server.make_url("/")
    # The server is gone: connecting to its port is refused, as to a Discord out of reach.
    with pytest.raises(aiohttp.ClientConnectionError) as caught:
        async with aiohttp.ClientSession() as session, session.get(url):
            pass

    outcome = classify(caught.value)

    assert isinstance(outcome, DeliveryFailed)
    assert outcome.reason.startswith("ClientConnectorError: ")
