"""What every command handler gets and declares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import ChatUser, Command, Destination, Profile, Reply, Source
from bot.media.pipeline import MediaPipeline
from bot.threads.client import ThreadsClient
from bot.threads.publish import Published, Publisher
from storage.store import Store


class Permission(StrEnum):
    ANYONE = "anyone"
    CHAT_ADMIN = "chat admins"  # in a private chat: the user, who is the whole chat
    PUBLISHER = "publishers"  # user ids configured per platform


class UsageError(Exception):
    """The arguments are wrong or missing: the answer is the command's usage."""


class SourceWatcher(Protocol):
    """The scheduler, as commands see it."""

    def watch(self, source: Source) -> None:
        """Make sure the source is polled; take its baseline soon."""

    def unwatch(self, source: Source) -> None:
        """Stop polling the source (nobody watches it any more)."""


@dataclass(frozen=True, slots=True)
class Deferred:
    """A submitted post that did not go out yet (scheduled, quota spent, Threads slow): it is
    queued as `id` and expected at `due_at`; its chat is told when it goes."""

    id: int
    due_at: float | None
    reason: str


class PublishQueueView(Protocol):
    """The publish queue, as commands submit to it (jobs/publish_worker.py)."""

    async def submit(
        self,
        kind: str,
        chat: Destination,
        user: ChatUser,
        request: str,
        *,
        due_at: float | None = None,
        origin: str | None = None,
    ) -> list[Published] | Deferred:
        """Queue a publish; its posts when it went out within the wait, else Deferred."""

    def wake(self) -> None:
        """A row was added or changed in the store directly (a cross-post, an approval, a
        cancel): look at the queue again now."""


class DiscoveryView(Protocol):
    """Meta's profile-discovery budget as commands report it (jobs/discovery.py)."""

    budget: int
    max_poll_interval: float
    paused: bool  # Meta refused discovery calls; profile polling waits for a probe

    def used(self) -> int:
        """Discovery requests the bridge sent in the last 24 h."""

    def left(self) -> int:
        """Requests the rolling window has room for now."""

    def interval(self, source: Source) -> float:
        """Seconds between polls of `source`."""

    def profiles(self) -> list[Source]:
        """The public profiles polled (each spends from the budget)."""

    def fits(self) -> bool:
        """Whether every profile gets at least one poll per max_poll_interval."""


@dataclass
class Context:
    """Collaborators of the handlers; built once by the composition root."""

    store: Store
    threads: ThreadsClient
    publisher: Publisher
    watcher: SourceWatcher
    publishers: Mapping[str, frozenset[str]]  # platform -> user ids allowed to publish
    publisher_roles: Mapping[str, frozenset[str]] = field(default_factory=dict)
    me: Profile | None = None  # the connected account, once known
    discovery: DiscoveryView | None = None  # None: intervals are not planned (tests)
    long_text: str = "chain"  # [publishing] long_text: "chain" or "attachment"
    # Photos and videos from chat on their way to Meta; without a store, media is refused.
    media: MediaPipeline = field(default_factory=lambda: MediaPipeline(None))
    clock: Clock = SYSTEM_CLOCK  # when confirmations expire, and the deletions' 24 h window
    # The durable publish queue; None publishes at once (tests of a single step).
    publishing: PublishQueueView | None = None
    timezone: str = "UTC"  # [publishing] timezone: /schedule's times where a chat set none

    def is_publisher(self, command: Command) -> bool:
        platform = command.chat.platform
        if command.user.id in self.publishers.get(platform, frozenset()):
            return True
        roles = self.publisher_roles.get(platform, frozenset())
        return any(role in roles for role in command.user_roles)


Handler = Callable[[Context, Command], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    usage: str  # arguments, e.g. "USERNAME"
    summary: str
    permission: Permission
    handler: Handler
    aliases: tuple[str, ...] = ()

    def usage_line(self, prefix: str = "/") -> str:
        return f"{prefix}{self.name} {self.usage}".rstrip()
