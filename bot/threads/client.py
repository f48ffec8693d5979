"""ThreadsClient: every Graph endpoint the bridge uses, typed and paged.

Each read sends `fields` (a node returns only `id` otherwise). Lists come back as a `Page`
(items plus cursors) from the plain method, and as an async iterator that follows the pages
(see `next_page_after`) from the `iter_` method. The access token travels only in the
Authorization header.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any, Literal, TypeVar

import httpx

from bot.events import Post, Profile
from bot.threads import models
from bot.threads.containers import ContainerRequest
from bot.threads.errors import InvalidParameter, ThreadsError, rejected_token
from bot.threads.models import (
    ContainerStatus,
    Insight,
    Page,
    PublishingLimit,
    TokenGrant,
)
from bot.threads.transport import GraphTransport, RetryPolicy

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://graph.threads.net/v1.0"
DEFAULT_PAGE_LIMIT = 25  # what Graph sends when no `limit` is given
MAX_PAGES = 50  # an iterator stops here whatever the server says: no endless walk
# The Profile Discovery API: these share 1,000 requests per user per rolling 24 h.
DISCOVERY_ENDPOINTS = frozenset({"profile_lookup", "profile_posts"})
# Its own 2,200 queries per rolling 24 h; a query that finds nothing does not count.
SEARCH_ENDPOINT = "keyword_search"
T = TypeVar("T")
When = datetime | int | None
PageFetcher = Callable[[str | None], Awaitable[Page[T]]]


class ThreadsClient:
    """Async client for graph.threads.net; close it with `aclose()` or `async with`."""

    def __init__(
        self,
        access_token: str | None,
        *,
        api_base: str = DEFAULT_API_BASE,
        app_id: str | None = None,
        app_secret: str | None = None,
        timeout: float = 20.0,
        retry: RetryPolicy | None = None,
        http: httpx.AsyncClient | None = None,
        on_error: Callable[[ThreadsError], None] | None = None,
    ) -> None:
        """`on_error` hears of every failed request attempt (for metrics)."""
        self._graph = GraphTransport(
            access_token,
            api_base=api_base,
            timeout=timeout,
            retry=retry or RetryPolicy(),
            http=http,
            on_error=on_error,
        )
        self._app_id = app_id
        self._app_secret = app_secret
        self._discovery_listener: Callable[[str], None] | None = None
        self._graph.add_secret(app_secret)

    def __repr__(self) -> str:
        return f"ThreadsClient(api_base={self._graph.api_base!r})"

    async def __aenter__(self) -> ThreadsClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._graph.aclose()

    def set_access_token(self, token: str | None) -> None:
        """Swap the token (after a refresh) without rebuilding the client."""
        self._graph.set_access_token(token)

    def set_error_listener(self, listener: Callable[[ThreadsError], None] | None) -> None:
        """Who hears of every failed request attempt (metrics)."""
        self._graph.on_error = listener

    def set_discovery_listener(self, listener: Callable[[str], None] | None) -> None:
        """Who hears of every request that spends the profile-discovery budget: each one
        that reached (or may have reached) Meta, answered or not, retries included; and of
        every keyword search that counts against the search budget: answered with results,
        or never answered (it may have found some)."""
        self._discovery_listener = listener
        if listener is None:
            self._graph.on_sent = self._graph.on_unanswered = None
            return

        def sent(path: str) -> None:
            endpoint = _endpoint(path)
            if endpoint in DISCOVERY_ENDPOINTS:
                listener(endpoint)

        def unanswered(path: str) -> None:
            if _endpoint(path) == SEARCH_ENDPOINT:
                listener(SEARCH_ENDPOINT)

        self._graph.on_sent = sent
        self._graph.on_unanswered = unanswered

    # -- profiles -------------------------------------------------------------------------

    async def me(self) -> Profile:
        """The token's own profile; AuthError when the token is dead, whichever way Threads
        says so (190, or 100 "does not exist" on `/me`: see `errors.rejected_token`)."""
        try:
            body = await self._graph.get("me", {"fields": models.ME_FIELDS})
        except InvalidParameter as exc:
            rejected = rejected_token(exc)
            if rejected is None:
                raise
            raise rejected from exc
        return models.parse_me(body)

    async def profile_lookup(self, username: str) -> Profile:
        """A public profile by exact handle (costs one of 1,000 daily discovery calls)."""
        body = await self._graph.get(
            "profile_lookup", {"username": _handle(username), "fields": models.LOOKUP_FIELDS}
        )
        return models.parse_lookup(body)

    # -- lists of posts -------------------------------------------------------------------

    async def profile_posts(
        self,
        username: str,
        *,
        since: When = None,
        until: When = None,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[Post]:
        """A public profile's posts, newest first (costs one discovery call per page)."""
        params = _list_params(models.POST_FIELDS, since, until, limit, after, before)
        params["username"] = _handle(username)
        return await self._post_page("profile_posts", params)

    def iter_profile_posts(
        self, username: str, *, since: When = None, until: When = None, limit: int | None = None
    ) -> AsyncIterator[Post]:
        return _follow(
            lambda after: self.profile_posts(
                username, since=since, until=until, limit=limit, after=after
            ),
            limit,
        )

    async def user_threads(self, user_id: str = "me", **page: Any) -> Page[Post]:
        """The user's own posts and reposts (not replies), newest first."""
        return await self._user_list(user_id, "threads", models.POST_FIELDS, **page)

    def iter_user_threads(self, user_id: str = "me", **page: Any) -> AsyncIterator[Post]:
        return _follow(
            lambda after: self.user_threads(user_id, after=after, **page), page.get("limit")
        )

    async def user_replies(self, user_id: str = "me", **page: Any) -> Page[Post]:
        """Replies the user wrote, newest first."""
        return await self._user_list(user_id, "replies", models.POST_FIELDS, **page)

    def iter_user_replies(self, user_id: str = "me", **page: Any) -> AsyncIterator[Post]:
        return _follow(
            lambda after: self.user_replies(user_id, after=after, **page), page.get("limit")
        )

    async def user_mentions(self, user_id: str = "me", **page: Any) -> Page[Post]:
        """Public posts that mention the user, newest first."""
        return await self._user_list(user_id, "mentions", models.POST_FIELDS, **page)

    def iter_user_mentions(self, user_id: str = "me", **page: Any) -> AsyncIterator[Post]:
        return _follow(
            lambda after: self.user_mentions(user_id, after=after, **page), page.get("limit")
        )

    async def replies(
        self,
        media_id: str,
        *,
        reverse: bool = True,
        limit: int | None = None,
        after: str | None = None,
    ) -> Page[Post]:
        """Direct replies to a post (`reverse=True`, Meta's default, is newest first)."""
        return await self._reply_page(media_id, "replies", reverse, limit, after)

    def iter_replies(self, media_id: str, *, reverse: bool = True) -> AsyncIterator[Post]:
        return _follow(lambda after: self.replies(media_id, reverse=reverse, after=after))

    async def conversation(
        self,
        media_id: str,
        *,
        reverse: bool = True,
        limit: int | None = None,
        after: str | None = None,
    ) -> Page[Post]:
        """Every reply under a root post at any depth, flattened."""
        return await self._reply_page(media_id, "conversation", reverse, limit, after)

    def iter_conversation(self, media_id: str, *, reverse: bool = True) -> AsyncIterator[Post]:
        return _follow(lambda after: self.conversation(media_id, reverse=reverse, after=after))

    async def pending_replies(
        self,
        media_id: str,
        *,
        approval_status: str | None = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> Page[Post]:
        """Replies to a post with reply approvals on that wait (`approval_status="pending"`)
        or were ignored ("ignored"); both by default. Newest first."""
        params = _list_params(models.PENDING_REPLY_FIELDS, None, None, limit, after, None)
        if approval_status is not None:
            params["approval_status"] = approval_status
        return await self._post_page(f"{media_id}/pending_replies", params)

    async def keyword_search(
        self,
        query: str,
        *,
        search_type: Literal["TOP", "RECENT"] = "TOP",
        search_mode: Literal["KEYWORD", "TAG"] = "KEYWORD",
        media_type: str | None = None,
        author_username: str | None = None,
        since: When = None,
        until: When = None,
        limit: int | None = None,
        after: str | None = None,
    ) -> Page[Post]:
        """Search public posts (own posts only without Advanced Access; 2,200 queries a day,
        of which a query that finds nothing spends none: the listener hears only of those
        that found something)."""
        params = _list_params(models.POST_FIELDS, since, until, limit, after, None)
        params.update(
            q=query,
            search_type=search_type,
            search_mode=search_mode,
            media_type=media_type,
            author_username=_handle(author_username) if author_username else None,
        )
        page = await self._post_page(SEARCH_ENDPOINT, params)
        if page.items and self._discovery_listener is not None:
            self._discovery_listener(SEARCH_ENDPOINT)
        return page

    def iter_keyword_search(self, query: str, **options: Any) -> AsyncIterator[Post]:
        return _follow(
            lambda after: self.keyword_search(query, after=after, **options),
            options.get("limit"),
        )

    # -- one post -------------------------------------------------------------------------

    async def media(self, media_id: str) -> Post:
        """One post; a carousel's children come back with their media URLs."""
        body = await self._graph.get(media_id, {"fields": models.POST_FIELDS})
        children = (body.get("children") or {}).get("data") or []
        if any("media_url" not in child for child in children):
            # Older API versions ignore the nested selection and list bare ids.
            resolved = [
                await self._graph.get(str(child["id"]), {"fields": _CHILD_FIELDS})
                for child in children
            ]
            body = {**body, "children": {"data": resolved}}
        return models.parse_post(body)

    # -- publishing -----------------------------------------------------------------------

    async def create_container(self, request: ContainerRequest, user_id: str = "me") -> str:
        """Create a media container; returns its id (a published id with auto_publish_text)."""
        request.validate()
        body = await self._graph.post(f"{user_id}/threads", request.params())
        return str(body["id"])

    async def container_status(self, container_id: str) -> ContainerStatus:
        body = await self._graph.get(container_id, {"fields": models.CONTAINER_FIELDS})
        return models.parse_container_status(body)

    async def publish_container(self, container_id: str, user_id: str = "me") -> str:
        """Publish a FINISHED container once; returns the new post's id. Never retried."""
        body = await self._graph.post(f"{user_id}/threads_publish", {"creation_id": container_id})
        return str(body["id"])

    async def repost(self, media_id: str) -> str:
        return str((await self._graph.post(f"{media_id}/repost"))["id"])

    async def delete(self, media_id: str) -> str:
        body = await self._graph.delete(media_id)
        return str(body.get("deleted_id") or media_id)

    async def manage_reply(self, reply_id: str, *, hide: bool) -> None:
        """Hide or unhide a top-level reply to one of the user's posts."""
        await self._graph.post(f"{reply_id}/manage_reply", {"hide": hide})

    async def manage_pending_reply(self, reply_id: str, *, approve: bool) -> None:
        """Approve a pending (or ignored) reply, which then shows; or ignore it."""
        await self._graph.post(f"{reply_id}/manage_pending_reply", {"approve": approve})

    async def publishing_limit(self, user_id: str = "me") -> PublishingLimit:
        fields = (
            "quota_usage,config,reply_quota_usage,reply_config,delete_quota_usage,delete_config"
        )
        body = await self._graph.get(f"{user_id}/threads_publishing_limit", {"fields": fields})
        return models.parse_publishing_limit(body)

    # -- insights -------------------------------------------------------------------------

    async def user_insights(
        self,
        metrics: Iterable[str],
        *,
        user_id: str = "me",
        since: When = None,
        until: When = None,
        breakdown: str | None = None,
    ) -> list[Insight]:
        params = {
            "metric": ",".join(metrics),
            "since": _unix(since),
            "until": _unix(until),
            "breakdown": breakdown,
        }
        body = await self._graph.get(f"{user_id}/threads_insights", params)
        return models.parse_insights(body)

    async def media_insights(self, media_id: str, metrics: Iterable[str]) -> list[Insight]:
        body = await self._graph.get(f"{media_id}/insights", {"metric": ",".join(metrics)})
        return models.parse_insights(body)

    # -- tokens ---------------------------------------------------------------------------

    async def exchange_code(self, code: str, redirect_uri: str) -> TokenGrant:
        """Authorization code -> short-lived (1 h) token. The code's trailing `#_` is dropped."""
        body = await self._graph.post(
            f"{self._graph.oauth_base}/oauth/access_token",
            {
                "client_id": self._require(self._app_id, "app_id"),
                "client_secret": self._require(self._app_secret, "app_secret"),
                "code": code.removesuffix("#_"),
                "grant_type": "authorization_code",
                "redirect_uri": redirect_uri,
            },
        )
        return models.parse_token(body)

    async def exchange_for_long_lived(self, short_lived_token: str) -> TokenGrant:
        """Short-lived token -> long-lived (60 days) token."""
        self._graph.add_secret(short_lived_token)
        body = await self._graph.get(
            f"{self._graph.oauth_base}/access_token",
            {
                "grant_type": "th_exchange_token",
                "client_secret": self._require(self._app_secret, "app_secret"),
            },
            token=short_lived_token,
        )
        return models.parse_token(body)

    async def refresh_token(self) -> TokenGrant:
        """Extend the current long-lived token by 60 days (allowed once it is 24 h old)."""
        body = await self._graph.get(
            f"{self._graph.oauth_base}/refresh_access_token", {"grant_type": "th_refresh_token"}
        )
        return models.parse_token(body)

    # -- helpers --------------------------------------------------------------------------

    async def _user_list(
        self,
        user_id: str,
        edge: str,
        fields: str,
        *,
        since: When = None,
        until: When = None,
        limit: int | None = None,
        after: str | None = None,
        before: str | None = None,
    ) -> Page[Post]:
        params = _list_params(fields, since, until, limit, after, before)
        return await self._post_page(f"{user_id}/{edge}", params)

    async def _reply_page(
        self, media_id: str, edge: str, reverse: bool, limit: int | None, after: str | None
    ) -> Page[Post]:
        params = _list_params(models.REPLY_FIELDS, None, None, limit, after, None)
        params["reverse"] = reverse
        return await self._post_page(f"{media_id}/{edge}", params)

    async def _post_page(self, path: str, params: dict[str, Any]) -> Page[Post]:
        return models.parse_page(await self._graph.get(path, params), models.parse_post)

    @staticmethod
    def _require(value: str | None, key: str) -> str:
        if not value:
            raise ValueError(f"threads.{key} is needed for the OAuth token exchange")
        return value


_CHILD_FIELDS = "id,media_type,media_url,thumbnail_url,alt_text"


def next_page_after(page: Page[Any], sent_after: str | None, limit: int | None) -> str | None:
    """The `after` cursor to ask for the page after `page`, or None when `page` is the last.

    Graph puts an `after` cursor on the last page too, so a cursor alone is no reason to ask
    again (that cost a second discovery call on every poll that saw a post); `paging.next`
    says another page exists. An empty page or a repeated cursor ends the walk. A page filled
    to `limit` is followed even without `next`: Meta's docs also say these lists may leave
    `next` out, and a catch-up must not stop after its first page (one extra call, only when
    a page was full). Callers cap the number of pages.
    """
    if not page.items or not page.after or page.after == sent_after:
        return None
    full = len(page.items) >= (limit or DEFAULT_PAGE_LIMIT)
    return page.after if page.has_next or full else None


async def _follow(fetch: PageFetcher[T], limit: int | None = None) -> AsyncIterator[T]:
    """Yield every item of every page (at most MAX_PAGES pages), `next_page_after` deciding."""
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = await fetch(after)
        for item in page.items:
            yield item
        after = next_page_after(page, after, limit)
        if after is None:
            return
    log.warning("stopped a list after %d pages", MAX_PAGES)


def _list_params(
    fields: str,
    since: When,
    until: When,
    limit: int | None,
    after: str | None,
    before: str | None,
) -> dict[str, Any]:
    if after and before:
        raise ValueError("Threads takes `after` or `before`, never both")
    return {
        "fields": fields,
        "since": _unix(since),
        "until": _unix(until),
        "limit": limit,
        "after": after,
        "before": before,
    }


def _unix(when: When) -> int | None:
    if isinstance(when, datetime):
        return int(when.timestamp())
    return when


def _endpoint(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def _handle(username: str) -> str:
    return username.strip().removeprefix("@")
