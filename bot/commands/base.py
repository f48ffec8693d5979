"""What every command handler gets and declares."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import ChatUser, Command, Destination, Profile, Reply, Source
from bot.media.pipeline import MediaPipeline
from bot.threads.client import ThreadsClient
from bot.threads.publish import Published, Publisher
from storage.store import Store

if TYPE_CHECKING:
    from bot.crosspost import Autopost


class Permission(StrEnum):
    ANYONE = "anyone"
    CHAT_ADMIN = "chat admins"  # in a private chat: the user, who is the whole chat
    PUBLISHER = "publishers"  # user ids configured per platform
    # Publishing commands: a publisher publishes, a contributor (configured per platform)
    # proposes the post for review instead (bot/commands/review.py).
    PUBLISHER_OR_CONTRIBUTOR = "publishers and contributors"


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


class ReviewView(Protocol):
    """The review chats, as commands use them (bot/review.py): where a proposed post is shown
    with Approve / Reject, and how its proposer hears the decision."""

    async def request_review(self, row_id: int) -> bool:
        """Show queue row `row_id` (in state review) in the review chat, with its buttons;
        False when it could not be shown."""

    async def tell_proposer(self, row_id: int, text: str) -> None:
        """A notice to the chat the row was proposed from (nothing for a cross-post rule's)."""


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
        """The sources polled that spend from the budget (public profiles; for the search
        budget, the search watches)."""

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
    search: DiscoveryView | None = None  # Meta's keyword-search budget, planned the same way
    long_text: str = "chain"  # [publishing] long_text: "chain" or "attachment"
    # Photos and videos from chat on their way to Meta; without a store, media is refused.
    media: MediaPipeline = field(default_factory=lambda: MediaPipeline(None))
    clock: Clock = SYSTEM_CLOCK  # when confirmations expire, and the deletions' 24 h window
    # The durable publish queue; None publishes at once (tests of a single step).
    publishing: PublishQueueView | None = None
    # People who may propose posts but not publish (platform -> user ids, Discord roles too),
    # and the review chats their proposals wait in; None: no review chat configured.
    contributors: Mapping[str, frozenset[str]] = field(default_factory=dict)
    contributor_roles: Mapping[str, frozenset[str]] = field(default_factory=dict)
    reviews: ReviewView | None = None
    # The [[crosspost]] rules and their switches (bot/crosspost.py); None: no cross-posting.
    autopost: Autopost | None = None
    timezone: str = "UTC"  # [publishing] timezone: /schedule's times where a chat set none
    # Outbox rows were queued outside a poll (/resume N): the delivery worker is woken.
    deliveries_queued: Callable[[], None] = lambda: None

    def is_publisher(self, command: Command) -> bool:
        return _listed(command, self.publishers, self.publisher_roles)

    def is_contributor(self, command: Command) -> bool:
        return _listed(command, self.contributors, self.contributor_roles)


def _listed(
    command: Command,
    users: Mapping[str, frozenset[str]],
    roles: Mapping[str, frozenset[str]],
) -> bool:
    platform = command.chat.platform
    if command.user.id in users.get(platform, frozenset()):
        return True
    listed = roles.get(platform, frozenset())
    return any(role in listed for role in command.user_roles)


Handler = Callable[[Context, Command], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    usage: str  # arguments, e.g. "USERNAME"
    summary: str
    permission: Permission
    handler: Handler
    aliases: tuple[str, ...] = ()
    refusal: str = ""  # a button command's own words for someone who may not click it

    def usage_line(self, prefix: str = "/") -> str:
        return f"{prefix}{self.name} {self.usage}".rstrip()
