"""python-telegram-bot errors -> the delivery outcomes the worker acts on."""

from __future__ import annotations

from datetime import timedelta

from telegram import error as tg

from bot.outbound import (
    DeliveryError,
    DeliveryFailed,
    DeliveryRejected,
    DestinationGone,
    DestinationMoved,
    RetryAfter,
)

# Telegram could not fetch a media URL: send the post as text with links instead.
MEDIA_FETCH_FAILURES = (
    "wrong file identifier",
    "failed to get http url content",
    "wrong type of the web page content",
    "http url specified",
)
_CHAT_GONE = (
    "chat not found",
    "message thread not found",
    "topic_closed",
    "topic_deleted",
    "not enough rights",
    "have no rights",
    "need administrator rights",  # a channel whose admins took the bot's right to post
)


def is_media_fetch_failure(exc: tg.TelegramError) -> bool:
    message = exc.message.lower()
    return isinstance(exc, tg.BadRequest) and any(m in message for m in MEDIA_FETCH_FAILURES)


def classify(exc: tg.TelegramError) -> DeliveryError:
    if isinstance(exc, tg.RetryAfter):
        return RetryAfter(exc.message, seconds(exc.retry_after))
    if isinstance(exc, tg.Forbidden):
        return DestinationGone(exc.message)
    if isinstance(exc, tg.ChatMigrated):
        reason = "the group became a supergroup; a [[feeds]] entry for it needs the new id"
        return DestinationMoved(reason, str(exc.new_chat_id))
    if isinstance(exc, tg.BadRequest):
        message = exc.message.lower()
        if any(m in message for m in _CHAT_GONE):
            return DestinationGone(exc.message)
        return DeliveryRejected(exc.message)
    # TimedOut, NetworkError, InvalidToken (a token rotation), Conflict: worth retrying later.
    return DeliveryFailed(f"{type(exc).__name__}: {exc.message}")


def seconds(delay: float | timedelta) -> float:
    """PTB gives retry_after as seconds or, with PTB_TIMEDELTA set, a timedelta."""
    return delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
