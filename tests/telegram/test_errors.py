"""adapters/telegram/errors.py from the exceptions python-telegram-bot raises for Telegram's
own error answers.

The exceptions are made by PTB itself: its `BaseRequest` (the documented seam for a custom
networking backend) is given the Bot API's raw error JSON instead of a network, and turns it
into the exception a real call would raise."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from telegram import error as tg
from telegram.request import BaseRequest

from adapters.telegram.errors import classify, is_media_fetch_failure, seconds
from bot.outbound import (
    DeliveryFailed,
    DeliveryRejected,
    DestinationGone,
    DestinationMoved,
    RetryAfter,
)

SEND = "https://api.telegram.org/bot123:abc/sendMessage"


class CannedAnswer(BaseRequest):
    """A networking backend that answers every request with one HTTP status and body."""

    def __init__(self, status: int, body: bytes) -> None:
        self._status, self._body = status, body

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return self._status, self._body


async def raised(status: int, description: str, **parameters: int) -> tg.TelegramError:
    """What PTB raises when Telegram answers a call with this error."""
    answer: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        answer["parameters"] = parameters
    with pytest.raises(tg.TelegramError) as caught:
        await CannedAnswer(status, json.dumps(answer).encode()).post(SEND)
    return caught.value


async def test_a_flood_wait_is_waited_out_for_its_seconds() -> None:
    exc = await raised(429, "Too Many Requests: retry after 17", retry_after=17)
    assert isinstance(exc, tg.RetryAfter)

    outcome = classify(exc)

    assert isinstance(outcome, RetryAfter) and outcome.seconds == 17.0
    assert "17" in outcome.reason


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (403, "Forbidden: bot was kicked from the supergroup chat"),
        (403, "Forbidden: bot is not a member of the channel chat"),
        (400, "Bad Request: chat not found"),
        (400, "Bad Request: message thread not found"),
        (400, "Bad Request: TOPIC_CLOSED"),
        (400, "Bad Request: TOPIC_DELETED"),
        (400, "Bad Request: not enough rights to send text messages to the chat"),
        (400, "Bad Request: have no rights to send a message"),
    ],
)
async def test_a_chat_that_is_gone_or_forbids_us(status: int, description: str) -> None:
    exc = await raised(status, description)

    outcome = classify(exc)

    assert isinstance(outcome, DestinationGone)
    assert outcome.reason == exc.message  # said as Telegram said it, minus "Bad Request: "


async def test_a_group_that_became_a_supergroup_moves_with_its_new_id() -> None:
    exc = await raised(
        400, "Bad Request: group chat was upgraded to a supergroup chat", migrate_to_chat_id=-1009
    )
    assert isinstance(exc, tg.ChatMigrated)

    outcome = classify(exc)

    assert isinstance(outcome, DestinationMoved) and outcome.chat_id == "-1009"
    assert "new id" in outcome.reason


async def test_a_channel_that_took_away_our_right_to_post() -> None:
    # Telegram's answer in a channel whose admins removed the bot's "Post Messages" right.
    exc = await raised(400, "Bad Request: need administrator rights in the channel chat")
    assert isinstance(classify(exc), DestinationGone)


@pytest.mark.parametrize(
    "description",
    [
        "Bad Request: message is too long",
        'Bad Request: can\'t parse entities: unsupported start tag "spoiler" at byte offset 4',
        "Bad Request: wrong file identifier/HTTP URL specified",
    ],
)
async def test_a_message_telegram_will_never_take_is_rejected(description: str) -> None:
    exc = await raised(400, description)
    outcome = classify(exc)
    assert isinstance(outcome, DeliveryRejected) and outcome.reason == exc.message


@pytest.mark.parametrize(
    ("status", "description", "kind"),
    [
        (502, "Bad Gateway", "NetworkError"),
        (500, "Internal Server Error: restart", "NetworkError"),
        (409, "Conflict: terminated by other getUpdates request", "Conflict"),
        (401, "Unauthorized", "InvalidToken"),
    ],
)
async def test_what_may_mend_itself_is_retried_later(
    status: int, description: str, kind: str
) -> None:
    exc = await raised(status, description)
    outcome = classify(exc)
    assert isinstance(outcome, DeliveryFailed)
    assert outcome.reason.startswith(f"{kind}: ")


async def test_a_transport_failure_is_retried_later() -> None:
    class Unreachable(CannedAnswer):
        async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
            raise tg.TimedOut("Timed out")

    with pytest.raises(tg.TimedOut) as caught:
        await Unreachable(0, b"").post(SEND)

    outcome = classify(caught.value)

    assert isinstance(outcome, DeliveryFailed) and outcome.reason == "TimedOut: Timed out"


@pytest.mark.parametrize(
    ("description", "fetch_failure"),
    [
        ("Bad Request: wrong file identifier/HTTP URL specified", True),
        ("Bad Request: failed to get HTTP URL content", True),
        ("Bad Request: wrong type of the web page content", True),
        ("Bad Request: message is too long", False),
        ("Bad Request: chat not found", False),
    ],
)
async def test_media_telegram_could_not_fetch(description: str, fetch_failure: bool) -> None:
    exc = await raised(400, description)
    assert is_media_fetch_failure(exc) is fetch_failure


async def test_only_a_bad_request_is_a_media_fetch_failure() -> None:
    exc = await raised(403, "Forbidden: failed to get HTTP URL content")
    assert not is_media_fetch_failure(exc)


@pytest.mark.parametrize(
    ("delay", "expected"), [(3, 3.0), (2.5, 2.5), (timedelta(seconds=90), 90.0)]
)
def test_retry_after_in_seconds_whatever_ptb_gives(
    delay: float | timedelta, expected: float
) -> None:
    assert seconds(delay) == expected
