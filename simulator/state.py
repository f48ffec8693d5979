"""The simulator's in-memory world: users, published posts, containers, tokens and quotas.

Handlers and the Python API both work through `SimState`; it knows nothing about HTTP.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from .clock import SimClock
from .ids import IdFactory
from .models import Container, PostSpec, SimPost, SimUser
from .quotas import Quota, QuotaLedger
from .tokens import TokenBook

log = logging.getLogger(__name__)

PERMALINK_BASE = "https://www.threads.com"


class SimState:
    """Everything the simulated graph.threads.net holds."""

    def __init__(
        self,
        *,
        app_id: str,
        app_secret: str,
        text_processing_seconds: float = 0.0,
        media_processing_seconds: float = 0.0,
        seed: int | None = None,
    ) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.text_processing_seconds = text_processing_seconds
        self.media_processing_seconds = media_processing_seconds
        self.container_listeners: list[Callable[[], None]] = []  # told of each new container
        self.answer_listeners: list[Callable[[], None]] = []  # told after each answered request
        self.clock = SimClock()
        self.ids = IdFactory(seed)
        self.tokens = TokenBook(self.clock, self.ids)
        self.quotas = QuotaLedger(self.clock)
        self.users: dict[str, SimUser] = {}
        self.posts: dict[str, SimPost] = {}
        self.containers: dict[str, Container] = {}
        # Error messages for the next containers to be created (fail_next_container).
        self.container_failures: deque[str] = deque()
        # keyword_search history per user id: (query, unix seconds), newest last.
        self.searches: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self._usernames: dict[str, str] = {}
        self._replies: dict[str, list[str]] = defaultdict(list)  # parent id -> reply ids
        self._conversation: dict[str, list[str]] = defaultdict(list)  # root id -> all replies
        self._seq = 0
        self._last_auto_second = 0

    # --- users ----------------------------------------------------------------------------

    def add_user(self, user: SimUser) -> SimUser:
        key = user.username.lower()
        if key in self._usernames:
            raise ValueError(f"username {user.username!r} already exists in the simulator")
        self.users[user.id] = user
        self._usernames[key] = user.id
        return user

    def user_named(self, username: str) -> SimUser | None:
        """Look a user up by handle (Threads handles are case-insensitive; `@` tolerated)."""
        user_id = self._usernames.get(username.lower().removeprefix("@"))
        return None if user_id is None else self.users[user_id]

    def require_user(self, username: str) -> SimUser:
        user = self.user_named(username)
        if user is None:
            raise ValueError(f"no simulator user named {username!r}")
        return user

    # --- posts ----------------------------------------------------------------------------

    def next_timestamp(self) -> datetime:
        """Now on the simulator clock, but always a later second than the previous call.

        Posts made within one second would otherwise share a timestamp; keeping automatic
        timestamps strictly increasing keeps "newest first" obvious in tests and demos.
        """
        second = max(int(self.clock.now()), self._last_auto_second + 1)
        self._last_auto_second = second
        return datetime.fromtimestamp(second, UTC)

    def publish(
        self, owner: SimUser, spec: PostSpec, timestamp: datetime | None = None
    ) -> SimPost:
        """Turn a spec into a published post (and its carousel children); count it in quotas."""
        moment = timestamp or self.next_timestamp()
        parent = self.posts.get(spec.reply_to) if spec.reply_to else None
        root_id = None if parent is None else (parent.root_id or parent.id)
        child_ids = tuple(
            self._store(owner, child, moment, None, carousel_item=True).id
            for child in spec.children
        )
        post = self._store(owner, spec, moment, root_id, child_ids=child_ids)
        root = self.posts.get(root_id) if root_id is not None else None
        if root is not None and root.spec.reply_approvals and owner.id != root.owner_id:
            post.approval_status = "pending"
        if parent is not None:
            self._replies[parent.id].append(post.id)
            self._conversation[root_id or parent.id].append(post.id)
        # The publish happened now; a seeded post with an older timestamp happened back then.
        # (Automatic timestamps can run a little ahead of the clock, see next_timestamp.)
        quota = Quota.REPLIES if post.is_reply else Quota.POSTS
        self.quotas.record(quota, owner.id, min(moment.timestamp(), self.clock.now()))
        log.debug("simulator published %s %s for user %s", post.media_type, post.id, owner.id)
        return post

    def _store(
        self,
        owner: SimUser,
        spec: PostSpec,
        moment: datetime,
        root_id: str | None,
        *,
        child_ids: tuple[str, ...] = (),
        carousel_item: bool = False,
    ) -> SimPost:
        self._seq += 1
        shortcode = self.ids.shortcode()
        post = SimPost(
            id=self.ids.media_id(),
            owner_id=owner.id,
            username=owner.username,
            media_type=spec.media_type,
            timestamp=moment,
            seq=self._seq,
            shortcode=shortcode,
            permalink=f"{PERMALINK_BASE}/@{owner.username}/post/{shortcode}",
            spec=spec,
            root_id=root_id,
            children=child_ids,
            is_carousel_item=carousel_item,
        )
        self.posts[post.id] = post
        return post

    def live_post(self, post_id: str) -> SimPost | None:
        """A post that exists and has not been deleted."""
        post = self.posts.get(post_id)
        return None if post is None or post.deleted else post

    def visible(self, ids: Iterable[str] | None = None) -> list[SimPost]:
        """Live posts that show up in lists (carousel children never do), newest first."""
        source = self.posts.values() if ids is None else (self.posts[i] for i in ids)
        found = [
            p
            for p in source
            if not p.deleted and not p.is_carousel_item and p.approval_status is None
        ]
        return sorted(found, key=lambda p: p.sort_key, reverse=True)

    def threads_of(self, user_id: str) -> list[SimPost]:
        """A user's top-level posts and reposts (what /threads and profile_posts list)."""
        return [p for p in self.visible() if p.owner_id == user_id and not p.is_reply]

    def replies_of(self, user_id: str) -> list[SimPost]:
        return [p for p in self.visible() if p.owner_id == user_id and p.is_reply]

    def mentions_of(self, user: SimUser) -> list[SimPost]:
        """Posts and replies by others whose text mentions `@username`."""
        pattern = re.compile(
            rf"(?<![\w.@])@{re.escape(user.username)}(?![\w]|\.\w)", re.IGNORECASE
        )
        return [
            p
            for p in self.visible()
            if p.owner_id != user.id and p.media_type != "REPOST_FACADE" and pattern.search(p.text)
        ]

    def direct_replies(self, post_id: str) -> list[SimPost]:
        return self.visible(self._replies.get(post_id, ()))

    def conversation(self, root_id: str) -> list[SimPost]:
        return self.visible(self._conversation.get(root_id, ()))

    def replies_below(self, post_id: str) -> list[SimPost]:
        """Every live reply under `post_id`, at any depth."""
        found: list[SimPost] = []
        pending = list(self._replies.get(post_id, ()))
        while pending:
            reply = self.posts[pending.pop()]
            pending.extend(self._replies.get(reply.id, ()))
            if not reply.deleted:
                found.append(reply)
        return found

    def has_replies(self, post_id: str) -> bool:
        return bool(self.visible(self._replies.get(post_id, ())))

    def pending_replies(self, post_id: str, statuses: frozenset[str]) -> list[SimPost]:
        """Direct replies waiting for approval ("pending") or set aside ("ignored")."""
        ids = self._replies.get(post_id, ())
        found = [
            self.posts[i]
            for i in ids
            if not self.posts[i].deleted and self.posts[i].approval_status in statuses
        ]
        return sorted(found, key=lambda p: p.sort_key, reverse=True)

    def reposts_of(self, post_id: str) -> list[SimPost]:
        """Live reposts of a post (unordered: callers count or scan them)."""
        return [p for p in self.posts.values() if p.spec.repost_of == post_id and not p.deleted]

    def quotes_of(self, post_id: str) -> list[SimPost]:
        """Live quote posts of a post (unordered)."""
        return [p for p in self.posts.values() if p.spec.quote_of == post_id and not p.deleted]

    def delete(self, post: SimPost) -> None:
        """Soft-delete: the id stops resolving; replies to it stay where they are."""
        post.deleted = True
        for child_id in post.children:
            self.posts[child_id].deleted = True
        self.quotas.record(Quota.DELETES, post.owner_id)

    # --- containers -----------------------------------------------------------------------

    def add_container(self, container: Container) -> Container:
        self.containers[container.id] = container
        for listener in self.container_listeners:
            listener()
        return container
