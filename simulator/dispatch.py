"""The Graph side of the server: record, inject failures, authenticate, route, render errors.

Every Graph request goes through `GraphDispatcher.handle`, mounted as a catch-all route so
that the simulator, not aiohttp, decides what an unknown path answers (a Graph error body,
as Meta sends, instead of an HTML 404).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable

from aiohttp import web

from . import (
    routes_discovery,
    routes_insights,
    routes_media,
    routes_oauth,
    routes_publish,
    routes_users,
)
from .errors import GraphError, SimError, json_response, nonexisting_field, unsupported_request
from .failures import FailurePlan
from .media_fetch import MediaFetcher
from .models import JsonDict, RecordedRequest, SimUser
from .params import canonical_headers, merge_params, presented_token, read_form
from .routing import GraphCall, Node, NodeKind, NodeRoutes, PathRoutes
from .state import SimState

log = logging.getLogger(__name__)

VERSION_PREFIX = "/v1.0"

NODE_ROUTES: NodeRoutes = {
    **routes_users.ROUTES,
    **routes_media.ROUTES,
    **routes_publish.ROUTES,
    **routes_insights.ROUTES,
}
PATH_ROUTES: PathRoutes = {**routes_discovery.ROUTES, **routes_oauth.ROUTES}
PUBLIC_ROUTES = routes_oauth.PUBLIC_ROUTES


def graph_path(path: str) -> str:
    """The path without the `/v1.0` prefix: everything is served versioned and unversioned."""
    if path == VERSION_PREFIX or path.startswith(VERSION_PREFIX + "/"):
        return path[len(VERSION_PREFIX) :] or "/"
    return path


class GraphDispatcher:
    """Handles every request that is not control traffic."""

    def __init__(
        self,
        state: SimState,
        failures: FailurePlan,
        requests: list[RecordedRequest],
        released: asyncio.Event,
        media: MediaFetcher,
    ) -> None:
        self._state = state
        self._media = media
        self._failures = failures
        self._requests = requests
        self._released = released  # set at stop(): frees requests held by "timeout"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        path = graph_path(request.path)
        form = await read_form(request)
        query = dict(request.query)
        params = merge_params(query, form)
        self._requests.append(
            RecordedRequest(
                method=request.method,
                path=request.path,
                query=query,
                form=form,
                headers=canonical_headers(request),
                token_in_url="access_token" in query,
                at=self._state.clock.now(),
            )
        )
        rule = self._failures.take(request.method, self._aliases(path, request, params))
        if rule is not None:
            log.info("injected %s failure for %s %s", rule.kind, request.method, path)
            if rule.kind == "lost_response":
                await self._answer(request, path, params)  # applied, the answer never arrives
            if rule.kind in ("timeout", "lost_response"):
                await self._released.wait()
            return rule.response()
        answer = await self._answer(request, path, params)
        for listener in list(self._state.answer_listeners):
            listener()
        return answer

    async def _answer(
        self, request: web.Request, path: str, params: dict[str, str]
    ) -> web.Response:
        try:
            answer = self._route(request, path, params)
            if inspect.isawaitable(answer):
                answer = await answer
            return json_response(answer)
        except SimError as exc:
            return exc.response()

    def _aliases(self, path: str, request: web.Request, params: dict[str, str]) -> list[str]:
        """The path, plus its `me` <-> numeric-id twin, so "/me/threads" rules match both."""
        paths = [path]
        token = presented_token(request, params)
        record = self._state.tokens.get(token) if token else None
        if record is None:
            return paths
        head, sep, rest = path.lstrip("/").partition("/")
        if head == "me":
            paths.append(f"/{record.user_id}{sep}{rest}")
        elif head == record.user_id:
            paths.append(f"/me{sep}{rest}")
        return paths

    def _route(
        self, request: web.Request, path: str, params: dict[str, str]
    ) -> JsonDict | Awaitable[JsonDict]:
        method = request.method
        segments = [part for part in path.split("/") if part]
        joined = "/".join(segments)
        public = PUBLIC_ROUTES.get((method, joined))
        if public is not None:
            return public(self._state, params)

        token = self._state.tokens.authenticate(
            presented_token(request, params), own_profile=method == "GET" and joined == "me"
        )
        viewer = self._state.users[token.user_id]
        call = GraphCall(self._state, request, params, viewer, token, self._media)
        handler = PATH_ROUTES.get((method, joined))
        if handler is not None:
            return handler(call)
        if not segments:
            raise unsupported_request(method, "")
        if len(segments) > 2:
            raise GraphError(f"Unknown path components: /{'/'.join(segments[2:])}", code=2500)

        node_id = segments[0]
        edge = segments[1] if len(segments) == 2 else None
        kind, node = self._resolve(method, node_id, viewer)
        node_handler = NODE_ROUTES.get((method, kind, edge))
        if node_handler is None:
            if edge is not None and method == "GET":
                raise nonexisting_field(edge)
            raise unsupported_request(method, node_id)
        return node_handler(
            GraphCall(self._state, request, params, viewer, token, self._media, node)
        )

    def _resolve(self, method: str, node_id: str, viewer: SimUser) -> tuple[NodeKind, Node]:
        """What an id in the path names, as far as this token may see it."""
        if node_id in ("me", viewer.id):
            return NodeKind.USER, viewer
        # Any live post is readable: the simulator plays an app with Advanced Access.
        post = self._state.live_post(node_id)
        if post is not None:
            return NodeKind.MEDIA, post
        container = self._state.containers.get(node_id)
        if container is not None and container.owner_id == viewer.id:
            return NodeKind.CONTAINER, container
        # Unknown ids, other users (only the token's own user is readable) and deleted posts.
        raise unsupported_request(method, node_id)
