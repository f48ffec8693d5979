"""How the delivery worker talks to a chat platform, and how a send can fail.

An adapter is an `Outlet`: it renders a feed item into parts (one chat message or media group
each) with a pure function, and sends one part at a time. Failures are classified by the
adapter into the outcomes the worker acts on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.clock import SYSTEM_CLOCK, Clock
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


class DestinationMoved(DeliveryError):
    """The chat has a new id (a Telegram group became a supergroup): move its subscriptions
    and deliveries to `chat_id` and deliver there."""

    def __init__(self, reason: str, chat_id: str) -> None:
        super().__init__(reason)
        self.chat_id = chat_id


class DeliveryRejected(DeliveryError):
    """The platform refused this message for good (a bad request): retrying cannot help."""


class DeliveryFailed(DeliveryError):
    """A temporary failure (network, 5xx): retry with backoff."""


class ChatHolds:
    """One flood wait per chat, for every kind of send to it.

    A 429 says how long *that chat* must get nothing from the bot, whichever send received
    it: a delivery, a command's answer or a notice. The adapter records it here and consults
    it before each send, so an answer never goes out inside a delivery's wait, nor the other
    way round.
    """

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock.monotonic
        self._sleep = clock.sleep
        self._until: dict[str, float] = {}

    def hold(self, chat_id: str, seconds: float) -> None:
        """Nothing more to `chat_id` for `seconds` from now (a longer hold already set stays)."""
        until = self._clock() + max(0.0, seconds)
        self._until[chat_id] = max(self._until.get(chat_id, 0.0), until)

    def remaining(self, chat_id: str) -> float:
        """Seconds until `chat_id` may receive again (0 when it is not held)."""
        until = self._until.get(chat_id)
        if until is None:
            return 0.0
        left = until - self._clock()
        if left <= 0:
            del self._until[chat_id]  # expired: keep the map to the chats still held
            return 0.0
        return left

    async def wait(self, chat_id: str) -> None:
        """Return once `chat_id` may receive (at once when it is not held)."""
        # Looped: another 429 may lengthen the hold while we sleep. Sleeping is the point
        # here (a deadline, not an event), hence the noqa.
        while (left := self.remaining(chat_id)) > 0:
            await self._sleep(left)


PartT = TypeVar("PartT")


class Outlet(Protocol[PartT]):
    """The delivery side of a chat adapter, generic in its part type: what `render` makes is
    what `send` takes, so an adapter's send needs no type check (the worker, holding outlets
    of every platform, sees Outlet[Any])."""

    platform: str
    limits: RateLimits

    def render(self, item: FeedItem, destination: Destination) -> Sequence[PartT]:
        """The parts to send, in order. Pure: no I/O."""

    def is_group(self, destination: Destination) -> bool:
        """Whether the stricter group/channel pacing applies."""

    async def send(self, destination: Destination, part: PartT) -> list[str]:
        """Send one part; return the chat message ids it became."""


class MessageEditor(Protocol):
    """What an adapter does to a feed item's chat messages once they are sent: edit them to
    show `item` (re-rendered; `message_ids` per part, as sent) or delete them. Both raise the
    DeliveryError outcomes; a message already gone is not an error."""

    async def edit(
        self, destination: Destination, message_ids: Sequence[Sequence[str]], item: FeedItem
    ) -> None: ...

    async def delete(self, destination: Destination, message_ids: Sequence[str]) -> None: ...
