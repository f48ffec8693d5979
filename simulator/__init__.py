"""A local simulator of Meta's Threads Graph API v1.0 (graph.threads.net), for tests and demos.

A real aiohttp server on 127.0.0.1 that behaves like graph.threads.net as described in the
project's Threads API reference: `fields` selection, cursor pagination, media containers with
processing time (their image_url / video_url really downloaded, as Meta does), publishing
quotas, the OAuth token lifecycle, Graph-shaped errors, failure injection, a request log and
a clock tests can move forward.

    from simulator import ThreadsSimulator

    async with ThreadsSimulator() as sim:
        me = sim.add_account("alice", token="tok-alice")
        ...  # point the Threads client at sim.base_url

Module map: `state` (the world), `containers`/`compose` (publishing), `media_fetch` (the
downloads of media URLs), `fields`/`render` (field selection), `paging`, `routes_*` (endpoint
families), `dispatch` (HTTP side), `failures`, `control` (HTTP control API under /__sim__/),
`authorize` (the OAuth sign-in page), `server` (the public class), `demo` (`serve()` for the
CLI), `usage` (the CLI's flags and sign-in help).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .demo import DEMO_TOKEN, DEMO_USERNAME, seed_demo, serve
    from .models import ContainerStatus, FetchedMedia, RecordedRequest, SimPost, SimUser
    from .server import ThreadsSimulator

# Loaded on first use, so that `usage` (the CLI's flags and help) imports without aiohttp.
_EXPORTS = {
    "DEMO_TOKEN": ".demo",
    "DEMO_USERNAME": ".demo",
    "seed_demo": ".demo",
    "serve": ".demo",
    "ContainerStatus": ".models",
    "FetchedMedia": ".models",
    "Quota": ".quotas",
    "RecordedRequest": ".models",
    "SimPost": ".models",
    "SimUser": ".models",
    "ThreadsSimulator": ".server",
}

__all__ = [
    "DEMO_TOKEN",
    "DEMO_USERNAME",
    "ContainerStatus",
    "FetchedMedia",
    "Quota",
    "RecordedRequest",
    "SimPost",
    "SimUser",
    "ThreadsSimulator",
    "seed_demo",
    "serve",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
