"""After a crash: settle publications that were interrupted between container and answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from bot.events import Destination, Platform
from bot.threads.containers import ContainerRequest
from bot.threads.errors import ThreadsError
from bot.threads.publish import Publisher
from storage.store import Store

log = logging.getLogger(__name__)

Notify = Callable[[Destination, str], Awaitable[None]]


async def settle_publications(store: Store, publisher: Publisher, notify: Notify) -> None:
    """Each recorded container is checked by status: published ones are recorded, unpublished
    ready ones are published (the user asked for it), failed ones are marked failed. Never
    is a container published twice."""
    for pending in store.publications.unsettled():
        row = store.publications.state(pending.publication_id) or {}
        chat = Destination(Platform(str(row.get("platform"))), str(row.get("chat_id")))
        data = json.loads(pending.request_json)
        request = ContainerRequest(
            **{
                **data,
                "children": tuple(data["children"]),
                "poll_options": tuple(data["poll_options"]),
                "spoilers": tuple(tuple(r) for r in data.get("spoilers", ())),
            }
        )
        try:
            published = await publisher.resume(pending.container_id, request)
        except ThreadsError as exc:
            log.warning("publication %d could not be settled: %s", pending.publication_id, exc)
            store.publications.finish(pending.publication_id, error=exc.reason)
            continue
        store.publications.add_published(pending.publication_id, published.id, published.permalink)
        store.publications.finish(pending.publication_id)
        log.info("publication %d settled after a restart", pending.publication_id)
        try:
            await notify(chat, f"Published on Threads after a restart: {published.permalink}")
        except Exception:
            log.exception("could not tell %s about publication %d", chat, pending.publication_id)
