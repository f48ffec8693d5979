"""How the delivery worker talks to a chat platform, and how a send can fail.

An adapter is an `Outlet`: it renders a feed item into parts (one chat message or media group
each) with a pure function, and sends one part at a time. Failures are classified by the
adapter into the four outcomes the worker acts on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.events import Destination, FeedItem


@dataclass(frozen=True, slots=True)
class RateLimits:
    """A platform's sending limits, as the delivery worker paces them."""

    per_second: float  # all sends of the bot, every chat together
    chat_interval: float  # seconds between two sends to one chat
    group_interval: float  # seconds between two sends to a group or channel
    max_in_flight: int = 32  # concurrent requests: enough to fill per_second at real latency


class DeliveryError(Exception):
    """Base of the outcomes a failed send can have."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryAfter(DeliveryError):
    """The platform said to slow down: try again after `seconds`, not counted as a failure."""

    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(reason)
        self.seconds = seconds


class DestinationGone(DeliveryError):
    """The chat is gone or forbids the bot (removed, blocked, no permission): pause it."""


class DeliveryRejected(DeliveryError):
    """The platform refused this message for good (a bad request): retrying cannot help."""


class DeliveryFailed(DeliveryError):
    """A temporary failure (network, 5xx): retry with backoff."""


class Outlet(Protocol):
    """The delivery side of a chat adapter."""

    platform: str
    limits: RateLimits

    def render(self, item: FeedItem, destination: Destination) -> Sequence[object]:
        """The parts to send, in order. Pure: no I/O."""

    def is_group(self, destination: Destination) -> bool:
        """Whether the stricter group/channel pacing applies."""

    async def send(self, destination: Destination, part: object) -> list[str]:
        """Send one part; return the chat message ids it became."""
