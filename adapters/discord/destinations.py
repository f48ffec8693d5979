"""How a Discord destination is written in the core's `chat_id`, built and read here only.

A channel is its id; a configured webhook is `webhook:<id>` (its token stays in the
configuration, never in the database or a log line); an admin's direct messages are
`user:<id>`. The core stores and compares these strings without knowing their shape.
"""

from __future__ import annotations

from bot.events import Destination, Platform

WEBHOOK_PREFIX = "webhook:"
USER_PREFIX = "user:"


def channel_destination(channel_id: int | str) -> Destination:
    return Destination(Platform.DISCORD, str(channel_id))


def webhook_destination(webhook_id: str) -> Destination:
    return Destination(Platform.DISCORD, f"{WEBHOOK_PREFIX}{webhook_id}")


def user_destination(user_id: int | str) -> Destination:
    return Destination(Platform.DISCORD, f"{USER_PREFIX}{user_id}")


def webhook_id_of(destination: Destination) -> str | None:
    """The webhook's id, when the destination is a webhook."""
    if destination.chat_id.startswith(WEBHOOK_PREFIX):
        return destination.chat_id.removeprefix(WEBHOOK_PREFIX)
    return None


def user_id_of(destination: Destination) -> int | None:
    """The user's id, when the destination is a user's direct messages."""
    if destination.chat_id.startswith(USER_PREFIX):
        return int(destination.chat_id.removeprefix(USER_PREFIX))
    return None
