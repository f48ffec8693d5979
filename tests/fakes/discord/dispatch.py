"""The HTTP side: every request below /api/v10 is routed, authenticated, checked against
the spec, subjected to injected failures and rate limits, answered with Discord's shapes
(Content-Type exactly `application/json`) and recorded."""

from __future__ import annotations

import asyncio
import fnmatch
import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web
from multidict import CIMultiDict, CIMultiDictProxy

from . import rest_app, rest_channels, rest_interactions, rest_webhooks  # noqa: F401 - registers
from .backend import Backend, Request
from .errors import DiscordError, not_found, unauthorized
from .limits import RateLimited, RateLimiter
from .records import RecordedCall
from .routes import RouteDef, find, path_known
from .spec import DiscordSpec
from .validation import check_request

log = logging.getLogger(__name__)
API_PREFIX = "/api/v10"


@dataclass
class PlannedFailure:
    """What the next matching call(s) answer instead of running (see fail_next)."""

    method: str
    path_glob: str
    status: int
    body: Any
    headers: dict[str, str]
    times: int


class Dispatcher:
    def __init__(
        self, backend: Backend, limiter: RateLimiter, spec: DiscordSpec | None, seed: int = 0
    ) -> None:
        self.backend = backend
        self.limiter = limiter
        self.spec = spec
        self.failures: list[PlannedFailure] = []
        # Answer time of writes (real Discord: tens to hundreds of ms); counted on arrival.
        self.latency: tuple[float, float] = (0.0, 0.0)
        # Own seeded generator, never the module-level random: a run replays the same delays.
        self._rng = random.Random(seed)

    def next_delay(self) -> float:
        """The next write's answer delay in seconds, drawn from the seeded generator."""
        return self._rng.uniform(*self.latency) if self.latency[1] > 0 else 0.0

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.time()
        path = request.path[len(API_PREFIX) :] or "/"
        query = dict(request.query)
        headers = CIMultiDictProxy(CIMultiDict(request.headers))
        parsed = Request(request.method, path, "", {}, query, None, [], headers)
        extra_headers: dict[str, str] = {}
        try:
            found = find(request.method, path)
            if found is None:
                raise self._no_route(request.method, path)
            route, parsed.params = found
            parsed.route = route.path
            parsed.json, parsed.files = await _read_body(request)
            if route.bot_auth and headers.get("Authorization") != f"Bot {self.backend.token}":
                raise unauthorized()
            if self.spec is not None:
                check_request(self.spec, request.method, route.path, query, parsed.json)
            planned = self._planned(request.method, path)
            if planned is not None:
                return await self._answer_planned(parsed, planned, started)
            extra_headers = self._admit(route, parsed)
            reply = await route.handler(self.backend, parsed)
            if request.method != "GET" and self.latency[1] > 0:
                await asyncio.sleep(self.next_delay())
        except RateLimited as limited:
            self.backend.recorder.rate_limited += 1
            return await self._finish(
                parsed, limited.status, limited.body(), limited.headers, started
            )
        except DiscordError as error:
            # Admitted requests count and carry the bucket headers even when refused.
            return await self._finish(parsed, error.status, error.body(), extra_headers, started)
        except Exception as bug:
            # Loud and recorded (FakeBug or a crash): a test must never pass on top of a
            # broken fake. 501, not 500: discord.py would retry a 500 with backoff.
            log.exception("fake Discord bug in %s %s", request.method, path)
            body = {"message": f"fake Discord bug: {bug!r}", "code": 0}
            return await self._finish(parsed, 501, body, {}, started)
        return await self._finish(parsed, reply.status, reply.body, extra_headers, started)

    # --- steps ---------------------------------------------------------------------------

    def _no_route(self, method: str, path: str) -> DiscordError:
        spec_route = self.spec.match(path) if self.spec else None
        if spec_route is not None and self.spec and self.spec.has_route(method, spec_route):
            # A real Discord route the fake does not model: fail loudly (discord.py does not
            # retry a 501) instead of pretending it does not exist.
            return DiscordError(501, f"fake Discord: {method} {spec_route} is not implemented")
        if path_known(path):
            return DiscordError(405, "405: Method Not Allowed")
        return not_found()

    def _planned(self, method: str, path: str) -> PlannedFailure | None:
        for planned in self.failures:
            if planned.method in ("*", method) and fnmatch.fnmatchcase(path, planned.path_glob):
                planned.times -= 1
                if planned.times <= 0:
                    self.failures.remove(planned)
                return planned
        return None

    async def _answer_planned(
        self, parsed: Request, planned: PlannedFailure, started: float
    ) -> web.StreamResponse:
        if planned.status == 429:
            self.backend.recorder.rate_limited += 1
        body = planned.body
        if body is None:
            body = _default_body(planned.status)
        return await self._finish(parsed, planned.status, body, planned.headers, started)

    def _admit(self, route: RouteDef, parsed: Request) -> dict[str, str]:
        token = self.backend.token if route.bot_auth else None
        return self.limiter.admit(route.bucket, route.major(parsed.params), token_global=token)

    async def _finish(
        self, parsed: Request, status: int, body: Any, headers: dict[str, str], started: float
    ) -> web.StreamResponse:
        if status == 204:
            response = web.Response(status=204, headers=headers)
            body = None
        else:
            # Built by hand: discord.py parses JSON only for exactly `application/json`.
            response = web.Response(
                body=json.dumps(body).encode(),
                status=status,
                headers=headers | {"Content-Type": "application/json"},
            )
        recorder = self.backend.recorder
        recorder.calls.append(
            RecordedCall(
                method=parsed.method,
                path=parsed.path,
                route=parsed.route or None,
                query=parsed.query,
                json=parsed.json,
                files=tuple(name for name, _ in parsed.files),
                headers=parsed.headers,
                status=status,
                response=body,
                time=started,
            )
        )
        if status >= 400:
            log.debug("fake Discord answered %s %s with %s", parsed.method, parsed.path, status)
        await recorder.notify()
        return response


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, int]]]:
    """JSON, or multipart with `payload_json` and `files[n]` parts."""
    if not request.body_exists:
        return None, []
    if request.content_type.startswith("multipart/"):
        payload: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            if part.name == "payload_json":
                payload = _parse_json(data)
            elif part.filename is not None:
                files.append((part.filename, bytes(data)))
        return payload, files
    raw = await request.read()
    if not raw:
        return None, []
    return _parse_json(raw), []


def _parse_json(raw: bytes | bytearray) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise DiscordError(400, "The request body contains invalid JSON.", 50109) from None


def _default_body(status: int) -> dict[str, Any]:
    if status == 429:
        return {"message": "You are being rate limited.", "retry_after": 0.1, "global": False}
    return {"message": f"{status}: injected failure", "code": 0}
