"""A small HTTP server for operators: /healthz and /metrics (and Threads webhooks on
`[webhooks] path`, bot/runtime/webhooks.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from aiohttp import web

from bot.runtime.media import MediaStatus
from bot.runtime.metrics import Metrics
from bot.runtime.web_server import WebServer
from bot.runtime.webhooks import WebhookEndpoint


class HealthServer(WebServer):
    """/healthz answers 200 only while polling runs and every chat adapter is connected (503
    otherwise, with what is down); a media relay that should run and does not makes the status
    "degraded", still 200 (posts keep flowing, text still publishes). /metrics is the
    Prometheus text format."""

    name = "health and metrics server"

    def __init__(
        self,
        metrics: Metrics,
        *,
        scheduler_running: Callable[[], bool],
        adapters: Callable[[], Mapping[str, bool]],
        media: Callable[[], MediaStatus] = lambda: MediaStatus("off"),
        webhooks: WebhookEndpoint | None = None,
    ) -> None:
        super().__init__()
        self._metrics = metrics
        self._scheduler_running = scheduler_running
        self._adapters = adapters
        self._media = media
        self._webhooks = webhooks

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        if self._webhooks is not None:
            self._webhooks.add_routes(app)
        return app

    async def _healthz(self, request: web.Request) -> web.Response:
        adapters = dict(self._adapters())
        scheduler = self._scheduler_running()
        media = self._media()
        healthy = scheduler and all(adapters.values())
        status = "unhealthy" if not healthy else "degraded" if media.degraded else "ok"
        body = {
            "status": status,
            "scheduler": scheduler,
            "adapters": adapters,
            "media": media.as_json(),
        }
        return web.Response(
            text=json.dumps(body),
            status=200 if healthy else 503,
            content_type="application/json",
        )

    async def _metrics_page(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self._metrics.render(),
            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"},
        )
