"""What a Graph handler receives, and the shared list-endpoint helper.

Handlers are plain functions `GraphCall -> JSON dict` that raise `SimError`s (coroutine
functions where the handler waits for I/O: creating a container downloads its image); the
dispatcher does HTTP, authentication, node resolution and error rendering around them.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiohttp import web

from .errors import unsupported_request
from .fields import Selection, parse_fields
from .media_fetch import MediaFetcher
from .models import Container, JsonDict, SimPost, SimUser, TokenRecord
from .paging import paginate, post_key, read_list_query, within
from .render import RenderContext, render_post
from .state import SimState

log = logging.getLogger(__name__)


class NodeKind(StrEnum):
    USER = "user"
    MEDIA = "media"
    CONTAINER = "container"


Node = SimUser | SimPost | Container


@dataclass(frozen=True, slots=True)
class GraphCall:
    """One authenticated Graph request, with its path node resolved."""

    state: SimState
    request: web.Request
    params: dict[str, str]
    viewer: SimUser
    token: TokenRecord
    media: MediaFetcher  # downloads image_url / video_url as Meta does
    node: Node | None = None

    @property
    def fields(self) -> Selection | None:
        return parse_fields(self.params.get("fields"))

    def context(self, *, show_owner: bool = True) -> RenderContext:
        return RenderContext(self.state, self.viewer, show_owner)

    @property
    def post(self) -> SimPost:
        if not isinstance(self.node, SimPost):
            raise TypeError("route expects a media node")
        return self.node

    @property
    def container(self) -> Container:
        if not isinstance(self.node, Container):
            raise TypeError("route expects a container node")
        return self.node

    def own_post(self) -> SimPost:
        """The path's post when the token's user owns it; Graph's 100/33 otherwise."""
        post = self.post
        if post.owner_id != self.viewer.id:
            raise unsupported_request(self.request.method, post.id)
        return post


GraphHandler = Callable[[GraphCall], JsonDict | Awaitable[JsonDict]]
# Handlers of endpoints that take no user token (the authorization-code exchange).
PublicHandler = Callable[[SimState, dict[str, str]], JsonDict]
NodeRoutes = dict[tuple[str, NodeKind, str | None], GraphHandler]
PathRoutes = dict[tuple[str, str], GraphHandler]


def list_posts(
    call: GraphCall,
    posts: Iterable[SimPost],
    *,
    show_owner: bool = True,
    time_filters: bool = True,
    descending: bool = True,
) -> dict[str, Any]:
    """A paged post list; `posts` comes newest first."""
    query = read_list_query(call.params, time_filters=time_filters, now=call.state.clock.now())
    items = [post for post in posts if within(query, post.timestamp.timestamp())]
    if not descending:
        items.reverse()
    ctx = call.context(show_owner=show_owner)
    selection = call.fields
    return paginate(
        items,
        post_key,
        query,
        lambda post: render_post(post, ctx, selection),
        descending=descending,
        url=call.request.url,
    )
