"""The table of REST routes the fake serves, in the OpenAPI's template spelling, each with
its handler, whether it needs the bot token, and its rate-limit bucket."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .backend import Backend, Reply, Request
from .limits import DEFAULT
from .paths import Template, best_match, split_path

Handler = Callable[[Backend, Request], Awaitable[Reply]]
MAJOR_PARAMETERS = (("channel_id",), ("guild_id",), ("webhook_id", "webhook_token"))


@dataclass(frozen=True)
class RouteDef:
    method: str
    template: Template
    handler: Handler
    bot_auth: bool
    bucket: str | None

    @property
    def path(self) -> str:
        return self.template.text

    def major(self, params: dict[str, str]) -> str:
        """Discord keys buckets by route and the major parameter (channel, guild, webhook)."""
        for names in MAJOR_PARAMETERS:
            if all(n in params for n in names):
                return ":".join(params[n] for n in names)
        return ""


ROUTES: list[RouteDef] = []


def route(
    method: str, template: str, *, bot_auth: bool = True, bucket: str | None = DEFAULT
) -> Callable[[Handler], Handler]:
    """Register a handler. `bucket=None`: no rate limit (interaction callbacks)."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(RouteDef(method, Template.parse(template), handler, bot_auth, bucket))
        return handler

    return register


def find(method: str, path: str) -> tuple[RouteDef, dict[str, str]] | None:
    """The most specific route for (method, path)."""
    candidates = [r for r in ROUTES if r.method == method]
    found = best_match([r.template for r in candidates], path)
    if found is None:
        return None
    template, params = found
    return next(r for r in candidates if r.template == template), params


def path_known(path: str) -> bool:
    """Whether some route serves this path with another method (for 405)."""
    segments = split_path(path)
    return any(r.template.match(segments) is not None for r in ROUTES)
