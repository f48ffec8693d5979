"""`ThreadsSimulator`: a local graph.threads.net on a real port, with a Python control API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.runtime.web_server import WebServer

from .authoring import authored_spec
from .authorize import authorize_routes
from .control import control_routes
from .dispatch import GraphDispatcher
from .failures import FailurePlan
from .media_fetch import FETCH_TIMEOUT, MediaFetcher
from .models import (
    Container,
    ContainerStatus,
    FetchedMedia,
    RecordedRequest,
    SimPost,
    SimUser,
)
from .quotas import Quota
from .state import SimState
from .usage import APP_ID, APP_SECRET

log = logging.getLogger(__name__)

EDIT_WINDOW = 15 * 60  # seconds after its timestamp a post's text may still be edited


class ThreadsSimulator(WebServer):
    """An in-process Threads Graph API v1.0 server (aiohttp) for tests and demo mode."""

    name = "Threads simulator"

    def __init__(
        self,
        app_id: str = APP_ID,
        app_secret: str = APP_SECRET,
        text_processing_seconds: float = 0.0,
        media_processing_seconds: float = 0.0,
        *,
        seed: int | None = None,
        media_fetch_timeout: float = FETCH_TIMEOUT,
    ) -> None:
        super().__init__()
        self.state = SimState(
            app_id=app_id,
            app_secret=app_secret,
            text_processing_seconds=text_processing_seconds,
            media_processing_seconds=media_processing_seconds,
            seed=seed,
        )
        self.failures = FailurePlan()
        # Downloads image_url / video_url like Meta; its HTTP session lives from start to stop.
        self.media = MediaFetcher(self.state.clock, timeout=media_fetch_timeout)
        self._requests: list[RecordedRequest] = []
        self._released = asyncio.Event()

    # --- lifecycle ------------------------------------------------------------------------

    def build_app(self) -> web.Application:
        # Loopback by default (see WebServer.start): the control endpoints need no token.
        self._released.clear()
        app = web.Application()
        app.add_routes(control_routes(self))
        app.add_routes(authorize_routes(self.state))
        dispatcher = GraphDispatcher(
            self.state, self.failures, self._requests, self._released, self.media
        )
        app.router.add_route("*", "/{tail:.*}", dispatcher.handle)
        return app

    def set_quota(self, quota: Quota, limit: int) -> None:
        """Lower (or raise) one of Meta's rolling 24 h limits, e.g. a small discovery budget
        so that a test or the demo reaches it quickly."""
        self.state.quotas.limits[quota] = limit

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        await self.media.open()
        try:
            await super().start(host, port)
        except BaseException:
            await self.media.close()
            raise

    async def before_stop(self) -> None:
        self._released.set()  # held ("timeout") requests end now
        # Before the server waits for its handlers: a download still running ends now.
        await self.media.close()

    @property
    def root_url(self) -> str:
        """`http://127.0.0.1:PORT`, where the unversioned OAuth endpoints live."""
        return self.url

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT/v1.0`, what the Threads client takes as `api_base`."""
        return f"{self.root_url}/v1.0"

    # --- world setup ----------------------------------------------------------------------

    def add_account(
        self,
        username: str,
        name: str | None = None,
        token: str | None = None,
        *,
        biography: str = "",
        picture_url: str | None = None,
        is_verified: bool = False,
        followers: int = 0,
    ) -> SimUser:
        """A connected account holding a fresh long-lived (60-day) token."""
        token = token or self.state.ids.access_token()
        if self.state.tokens.get(token) is not None:
            raise ValueError("that token is already in use")
        user = SimUser(
            self.state.ids.user_id(), username, name or username, token, biography, picture_url,
            is_verified, followers,
        )  # fmt: skip
        self.state.add_user(user)
        self.state.tokens.issue(user.id, long_lived=True, token=token)
        return user

    def add_profile(
        self,
        username: str,
        name: str | None = None,
        followers: int = 5000,
        biography: str = "",
        is_verified: bool = False,
        picture_url: str | None = None,
    ) -> SimUser:
        """A public profile others can find through profile_lookup / profile_posts."""
        user = SimUser(
            self.state.ids.user_id(), username, name or username, None, biography, picture_url,
            is_verified, followers,
        )  # fmt: skip
        return self.state.add_user(user)

    def add_post(
        self,
        username: str,
        text: str = "",
        media_type: str = "TEXT_POST",
        media_urls: Sequence[str] = (),
        timestamp: datetime | None = None,
        reply_to: str | None = None,
        quote_of: str | None = None,
        topic_tag: str | None = None,
        alt_text: str | None = None,
        served_fields: Mapping[str, Any] | None = None,
        reply_approvals: bool = False,
        *,
        text_attachment: str | None = None,
        spoilers: Sequence[tuple[int, int]] = (),
        is_spoiler_media: bool = False,
        poll_options: Sequence[str] = (),
        gif_url: str | None = None,
        link_attachment_url: str | None = None,
        ghost: bool = False,
    ) -> SimPost:
        """Publish a post directly. Without `timestamp` it is "now" on the simulator clock,
        always a later second than the previous automatic timestamp. `served_fields` are
        sent as they are instead of the simulator's values (malformed JSON Graph has sent:
        `{"username": 12345}`); a lone surrogate in `text` goes out as Graph sends it,
        a `\\ud83d` escape. `reply_approvals`: others' replies to it wait for approval
        (enable_reply_approvals), listed only by /pending_replies until approved.
        The rest are what a client could attach: a long-form `text_attachment` (its
        plaintext), `spoilers` as (offset, length) ranges of `text` (SPOILER text_entities),
        spoiler media, a poll's options (votes: `set_poll_votes`), a GIF's URL, a link
        attachment, `ghost` (a ghost post: archived 24 h after its timestamp). `media_type`
        may also be AUDIO (one url) or a type Meta has not documented yet."""
        user = self.state.require_user(username)
        for ref in (reply_to, quote_of):
            if ref is not None and self.state.live_post(ref) is None:
                raise ValueError(f"no live post with id {ref!r}")
        if timestamp is not None and timestamp.tzinfo is None:
            raise ValueError("timestamp must be timezone-aware")
        spec = authored_spec(
            text=text,
            media_type=media_type,
            media_urls=media_urls,
            reply_to=reply_to,
            quote_of=quote_of,
            topic_tag=topic_tag,
            alt_text=alt_text,
        )
        spec = replace(
            spec,
            reply_approvals=reply_approvals,
            text_attachment=None if text_attachment is None else {"plaintext": text_attachment},
            text_entities=[
                {"entity_type": "SPOILER", "offset": offset, "length": length}
                for offset, length in spoilers
            ]
            or None,
            is_spoiler_media=is_spoiler_media,
            poll_options=tuple(poll_options),
            gif_url=gif_url,
            link_attachment_url=link_attachment_url,
            is_ghost_post=ghost,
        )
        post = self.state.publish(user, spec, timestamp)
        post.served_fields.update(served_fields or {})
        return post

    def set_poll_votes(self, post_id: str, votes: Sequence[int]) -> None:
        """Votes per option of a post's poll (a, b, ...): what later reads report."""
        post = self.state.posts[post_id]
        if len(votes) != len(post.spec.poll_options):
            raise ValueError("one count per poll option")
        post.poll_votes = tuple(votes)

    def set_audience(
        self,
        username: str,
        *,
        followers: int | None = None,
        instagram_linked: bool | None = None,
    ) -> SimUser:
        """Change a user's follower count, or whether the profile is linked to Instagram
        (without which Threads tells no `followers_count`)."""
        user = self.state.require_user(username)
        changed = replace(
            user,
            followers=user.followers if followers is None else followers,
            instagram_linked=(
                user.instagram_linked if instagram_linked is None else instagram_linked
            ),
        )
        self.state.users[user.id] = changed
        return changed

    def edit_post(self, post_id: str, text: str) -> SimPost:
        """The author edits a post's text, as Threads allows for 15 minutes after its
        timestamp (on the simulator clock); later, or a deleted post, is a ValueError. Reads
        show the new text and nothing says it was edited: the API has no edited flag."""
        post = self.state.live_post(post_id)
        if post is None:
            raise ValueError(f"no live post with id {post_id!r}")
        if self.state.clock.now() - post.timestamp.timestamp() > EDIT_WINDOW:
            raise ValueError(f"post {post_id} is past its {EDIT_WINDOW:.0f} s edit window")
        post.spec = replace(post.spec, text=text)
        return post

    def delete_post(self, post_id: str) -> None:
        """The author deletes a post: its id stops resolving and lists leave it out."""
        post = self.state.live_post(post_id)
        if post is None:
            raise ValueError(f"no live post with id {post_id!r}")
        self.state.delete(post)

    def posts_by(self, username: str) -> list[SimPost]:
        """A user's live posts, replies and reposts, newest first."""
        user = self.state.require_user(username)
        return [post for post in self.state.visible() if post.owner_id == user.id]

    def get_post(self, post_id: str) -> SimPost | None:
        """A live (not deleted) post or carousel child by id."""
        return self.state.live_post(post_id)

    def container_status(self, container_id: str) -> ContainerStatus:
        """A container's status now (KeyError for an unknown id)."""
        container: Container = self.state.containers[container_id]
        return container.status(self.state.clock.now())

    # --- failures -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path: str,
        kind: str = "server_error",
        times: int = 1,
        status: int | None = None,
        body: Any = None,
        code: int | None = None,
    ) -> None:
        """Make the next `times` requests matching method and path pattern fail (see
        `failures` for the kinds). The pattern is fnmatch on the path without `/v1.0`."""
        self.failures.add(method, path, kind, times=times, status=status, body=body, code=code)

    def fail_next_container(self, error_message: str = "FAILED_DOWNLOADING_VIDEO") -> None:
        """The next container created ends in ERROR with this `error_message`."""
        self.state.container_failures.append(error_message)

    # --- media downloads ------------------------------------------------------------------

    @property
    def fetched(self) -> list[FetchedMedia]:
        """Every image_url / video_url download the simulator made, oldest first, failed
        ones included (a copy). A published post's `spec.fetched` (its children's, for a
        carousel) is the download its container used."""
        return list(self.media.fetched)

    async def containers_created(self, count: int) -> None:
        """Return once `count` containers exist (an event to await: a publish reached the
        point where it waits for processing)."""
        created = asyncio.Event()

        def check() -> None:
            if len(self.state.containers) >= count:
                created.set()

        self.state.container_listeners.append(check)
        try:
            check()
            await created.wait()
        finally:
            self.state.container_listeners.remove(check)

    async def wait_until(self, predicate: Callable[[], bool]) -> None:
        """Return once `predicate()` holds, checked now and after every request answered (an
        event to await instead of polling the simulator's state)."""
        held = asyncio.Event()

        def check() -> None:
            if predicate():
                held.set()

        self.state.answer_listeners.append(check)
        try:
            check()
            await held.wait()
        finally:
            self.state.answer_listeners.remove(check)

    async def downloads_settled(self) -> None:
        """Return once no video download is running (they run after the create call is
        answered, as at Meta). An event to await, instead of sleeping until one ends."""
        await self.media.settled()

    # --- request log ----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Graph requests received so far, oldest first (a copy)."""
        return list(self._requests)

    def clear_requests(self) -> None:
        self._requests.clear()

    # --- tokens and time ------------------------------------------------------------------

    def issue_auth_code(self, username: str, redirect_uri: str = "https://example.com/cb") -> str:
        """A one-time code, as the OAuth authorize redirect would hand it over."""
        user = self.state.require_user(username)
        return self.state.tokens.issue_code(user.id, redirect_uri)

    def token_info(self, token: str) -> tuple[datetime, datetime]:
        """(issued_at, expires_at) of a token, as aware UTC datetimes."""
        return self.state.tokens.info(token)

    def expire_token(self, token: str) -> None:
        self.state.tokens.expire(token)

    def revoke_token(self, token: str) -> None:
        """The user removed the app: `/me` then answers code 100 ("The requested resource
        does not exist") rather than 190, as Meta does for some dead tokens."""
        self.state.tokens.revoke(token)

    def advance(self, seconds: float) -> None:
        """Move the simulator clock forward (ages tokens, containers and quota windows)."""
        self.state.clock.advance(seconds)

    def now(self) -> datetime:
        """The simulator clock's current time."""
        return self.state.clock.now_datetime()

    def set_processing(
        self, text_seconds: float | None = None, media_seconds: float | None = None
    ) -> None:
        """How long new containers stay IN_PROGRESS (simulator-clock seconds)."""
        if text_seconds is not None:
            self.state.text_processing_seconds = text_seconds
        if media_seconds is not None:
            self.state.media_processing_seconds = media_seconds
