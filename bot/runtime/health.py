"""A small HTTP server for operators: /healthz and /metrics."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from aiohttp import web

from bot.runtime.metrics import Metrics
from bot.runtime.web_server import WebServer


class HealthServer(WebServer):
    """/healthz answers 200 only while polling runs and every chat adapter is connected (503
    otherwise, with what is down); /metrics is the Prometheus text format."""

    name = "health and metrics server"

    def __init__(
        self,
        metrics: Metrics,
        *,
        scheduler_running: Callable[[], bool],
        adapters: Callable[[], Mapping[str, bool]],
    ) -> None:
        super().__init__()
        self._metrics = metrics
        self._scheduler_running = scheduler_running
        self._adapters = adapters

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        return app

    async def _healthz(self, request: web.Request) -> web.Response:
        adapters = dict(self._adapters())
        scheduler = self._scheduler_running()
        healthy = scheduler and all(adapters.values())
        body = {
            "status": "ok" if healthy else "unhealthy",
            "scheduler": scheduler,
            "adapters": adapters,
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
