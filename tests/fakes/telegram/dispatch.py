"""The HTTP side: routes `/bot<TOKEN>/<method>` and `/file/bot<TOKEN>/<path>`, validates every
call against the spec, applies latency and injected failures, answers in Telegram's shapes and
records each call."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from . import methods_chat, methods_send  # noqa: F401 - importing registers the handlers
from .errors import ApiError, FakeBug, bad_request
from .limits import FloodGate
from .params import Params, read_params
from .records import RecordedCall, Recorder
from .registry import Call, MethodDef, lookup
from .shapes import check_value
from .spec import ApiSpec
from .state import TelegramState
from .updates import UpdateQueue

log = logging.getLogger(__name__)

NOT_FOUND = ApiError(404, "Not Found")
UNAUTHORIZED = ApiError(401, "Unauthorized")


@dataclass
class PlannedFailure:
    """An error the next call(s) of a method answer instead of running (see fail_next)."""

    error: ApiError
    times: int


class Dispatcher:
    """Answers Bot API requests for one FakeTelegram."""

    def __init__(
        self,
        token: str,
        state: TelegramState,
        updates: UpdateQueue,
        gate: FloodGate,
        recorder: Recorder[Any],
        spec: ApiSpec | None,
        latency: Callable[[], tuple[float, float]],
        seed: int = 0,
    ) -> None:
        self.token = token
        # Own seeded generator, never the module-level random: a run replays the same delays.
        self._rng = random.Random(seed)
        self.state = state
        self.updates = updates
        self.gate = gate
        self.recorder = recorder
        self.spec = spec
        self.latency = latency
        self.failures: dict[str, list[PlannedFailure]] = {}
        self.file_downloads: list[str] = []  # file paths asked for at /file/bot<token>/

    def routes(self) -> list[web.RouteDef]:
        return [
            web.route("*", "/bot{token}/{method}", self.handle_api),
            web.get("/file/bot{token}/{path:.+}", self.handle_file),
        ]

    async def handle_api(self, request: web.Request) -> web.Response:
        started = self.gate.now()  # the clock the flood limits run on
        name = request.match_info["method"]
        params = Params({}, {})
        sent: list[Any] = []
        try:
            if request.match_info["token"] != self.token:
                raise UNAUTHORIZED
            method = self._resolve(name)
            name = method.name
            params = await read_params(request)
            self._validate(method, params)
            params.readable = method.accepts
            self._planned_failure(method.name)
            call = Call(self.state, self.updates, self.gate, self.spec, params, method.name)
            call.started = started
            result = await method.handler(call)
            sent = call.sent
            if method.sending:
                # Telegram counts a message when it arrives; the latency is the time it takes
                # to answer, so it comes after the flood check.
                await self._delay()
        except ApiError as error:
            await self._record(name, params, error.status, error.description, started, [])
            return _json(error.body(), error.status)
        except FakeBug as bug:
            # Loud and recorded: a test must never pass on top of a broken fake.
            log.error("fake Telegram bug in %s: %s", name, bug)
            description = f"fake Telegram bug: {bug}"
            await self._record(name, params, 500, description, started, [])
            return _json({"ok": False, "error_code": 500, "description": description}, 500)
        await self._record(name, params, 200, None, started, sent)
        return _json({"ok": True, "result": result}, 200)

    async def handle_file(self, request: web.Request) -> web.Response:
        """A file download, as api.telegram.org/file/bot<token>/<file_path> serves it."""
        self.file_downloads.append(request.match_info["path"])
        if request.match_info["token"] != self.token:
            return _json(UNAUTHORIZED.body(), 401)
        stored = self.state.file_by_path(request.match_info["path"])
        if stored is None or stored.data is None:
            return _json(NOT_FOUND.body(), 404)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    # --- steps ---------------------------------------------------------------------------

    def _resolve(self, name: str) -> MethodDef:
        method = lookup(name)
        if method is not None:
            return method
        if self.spec is None or self.spec.canonical_method(name) is not None:
            canonical = self.spec.canonical_method(name) if self.spec else name
            raise bad_request(f"method not implemented in the fake: {canonical}")
        raise NOT_FOUND

    def _validate(self, method: MethodDef, params: Params) -> None:
        """Unknown or missing parameters, then value shapes, as the spec declares them."""
        received = params.names()
        spec_fields = self.spec.params(method.name) if self.spec else None
        known = set(spec_fields) if spec_fields is not None else method.accepts
        for name in sorted(received):
            if name not in known:
                raise bad_request(f"unknown parameter {name}")
        required = {f.name for f in (spec_fields or {}).values() if f.required} | method.required
        for name in sorted(required - received):
            raise bad_request(f"{name} is required")
        for name in sorted(received - method.accepts):
            raise bad_request(
                f"parameter {name} of {method.name} is valid Telegram but not modelled by the fake"
            )
        if spec_fields is None or self.spec is None:
            return
        for name in sorted(received & set(params.values)):
            reason = _check_param(self.spec, name, params.values[name], spec_fields[name].types)
            if reason:
                raise bad_request(reason)

    def next_delay(self) -> float:
        """The next answer delay in seconds, drawn from this fake's seeded generator."""
        low, high = self.latency()
        return self._rng.uniform(low, high) if high > 0 else 0.0

    async def _delay(self) -> None:
        delay = self.next_delay()
        if delay > 0:
            await asyncio.sleep(delay)

    def _planned_failure(self, method: str) -> None:
        queue = self.failures.get(method.lower())
        if not queue:
            return
        planned = queue[0]
        planned.times -= 1
        if planned.times <= 0:
            queue.pop(0)
        raise planned.error

    async def _record(
        self,
        method: str,
        params: Params,
        status: int,
        description: str | None,
        started: float,
        sent: list[Any],
    ) -> None:
        call = RecordedCall(
            method=method,
            params=dict(params.values),
            uploads=tuple(sorted(params.uploads)),
            status=status,
            description=description,
            time=started,
        )
        if status != 200:
            log.debug("fake Telegram refused %s: %s %s", method, status, description)
        await self.recorder.record(call, sent)


def _check_param(spec: ApiSpec, name: str, raw: str, types: tuple[str, ...]) -> str:
    """Why a string-encoded parameter does not fit its declared types ('' when it does)."""
    if "String" in types or "InputFile" in types:
        return ""
    if set(types) <= {"Integer", "Float", "Boolean"}:
        try:
            value = json.loads(raw)
        except ValueError:
            return f"invalid {name} specified: expected {' or '.join(types)}, got {raw!r}"
        reason = check_value(spec, value, types, name)
        return f"invalid {name} specified: {reason}" if reason else ""
    try:
        value = json.loads(raw)
    except ValueError:
        return f"can't parse {name} JSON object"
    return check_value(spec, value, types, name)


def _json(body: dict[str, Any], status: int) -> web.Response:
    return web.Response(text=json.dumps(body), status=status, content_type="application/json")
