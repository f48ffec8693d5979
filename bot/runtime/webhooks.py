"""The `[webhooks] path` route of the health server: Meta's verification handshake (GET) and
signed Threads events (POST).

A POST is believed only when its X-Hub-Signature-256 signs the raw body with the app secret;
anything else is refused with 403 and logged without its body (an unsigned body is nobody's
word, and may be large or hostile). A signed event is answered 200 at once and handled in a
named background task: Meta wants a prompt answer and sends an unanswered event again.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from aiohttp import web

from bot.secret import Secret
from bot.tasks import spawn
from bot.threads.webhooks import (
    SIGNATURE_HEADER,
    MalformedEvent,
    WebhookEvent,
    parse_event,
    signature_matches,
    verification_answer,
)

log = logging.getLogger(__name__)

EventHandler = Callable[[WebhookEvent], Coroutine[Any, Any, None]]


class WebhookEndpoint:
    """GET and POST on `path`; `on_event` receives each signed event, in the background."""

    def __init__(
        self,
        path: str,
        *,
        verify_token: Secret,
        app_secret: Secret,
        on_event: EventHandler,
        on_result: Callable[[str], None] = lambda result: None,
    ) -> None:
        """`on_result` counts each POST: "accepted", "refused" or "malformed" (metrics)."""
        self.path = path
        self._on_result = on_result
        self._verify_token = verify_token
        self._app_secret = app_secret
        self._on_event = on_event
        self._pending: set[asyncio.Task[None]] = set()

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(self.path, self._verify)
        app.router.add_post(self.path, self._receive)

    async def idle(self) -> None:
        """Until every event received so far has been handled."""
        while self._pending:
            await asyncio.wait(set(self._pending))

    async def drain(self, grace: float) -> None:
        """At a stop: let events in hand finish for up to `grace` seconds, then cancel the
        rest (their posts are still found by the next poll)."""
        if not self._pending:
            return
        _, late = await asyncio.wait(set(self._pending), timeout=grace)
        for task in late:
            task.cancel()

    async def _verify(self, request: web.Request) -> web.Response:
        challenge = verification_answer(request.query, self._verify_token.reveal())
        if challenge is None:
            log.warning(
                "webhook verification refused (from %s): wrong hub.mode or hub.verify_token",
                request.remote,
            )
            return web.Response(status=403, text="forbidden")
        log.info("webhook verification answered (from %s)", request.remote)
        return web.Response(text=challenge)

    async def _receive(self, request: web.Request) -> web.Response:
        body = await request.read()
        header = request.headers.get(SIGNATURE_HEADER)
        if not signature_matches(body, header, self._app_secret.reveal()):
            log.warning(
                "webhook event refused (from %s, %d bytes): %s",
                request.remote,
                len(body),
                "no X-Hub-Signature-256" if header is None else "bad X-Hub-Signature-256",
            )
            self._on_result("refused")
            return web.Response(status=403, text="forbidden")
        try:
            payload = json.loads(body)
            envelopes = payload if isinstance(payload, list) else [payload]
            events = [parse_event(envelope) for envelope in envelopes]
            if not events:
                raise MalformedEvent("no event")
        except ValueError as exc:  # JSONDecodeError and MalformedEvent are ValueErrors
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            log.warning("signed webhook body not understood (%d bytes): %s", len(body), reason)
            self._on_result("malformed")
            return web.Response(status=400, text="not a Threads webhook event")
        self._on_result("accepted")
        for event in events:
            log.info("webhook %s event for post %s", event.field, event.media_id)
            task = spawn(self._on_event(event), name=f"webhook {event.field} {event.media_id}")
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)
        return web.Response(text="ok")
