"""`FakeDiscord`: a loopback Discord (REST v10 + gateway WebSocket) for end-to-end tests
through the real discord.py, with a Python API to set up the world, push interactions and
observe what the bot did."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.runtime.web_server import WebServer

from .backend import Backend
from .cdn import Cdn
from .dispatch import API_PREFIX, Dispatcher, PlannedFailure
from .gateway import PRIVILEGED, Gateway
from .interactions import InteractionFactory
from .limits import RateLimiter, RateLimits
from .messages import Messages
from .models import FakeUser
from .observe import Observation
from .pushes import InteractionPushes
from .records import Recorder
from .rest_app import APPLICATION_FLAGS
from .spec import DiscordSpec, load_spec
from .state import DiscordState
from .world import DiscordWorld

log = logging.getLogger(__name__)

DEFAULT_TOKEN = "MTMwMDAwMDAwMDAwMDAwMDAwMQ.FakeTk.threads-bridge-fake-discord-token-0123456789"
DEFAULT_APPLICATION_ID = 1_300_000_000_000_000_001


class FakeDiscord(DiscordWorld, InteractionPushes, Observation, WebServer):
    """An in-process Discord on 127.0.0.1. Point discord.py at it with
    `patched_discord(fake)` (or set `Route.BASE` / `DEFAULT_GATEWAY` from
    `api_base` / `gateway_url` yourself)."""

    name = "fake Discord server"

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        application_id: int = DEFAULT_APPLICATION_ID,
        bot_name: str = "Threads Bridge",
        owner_id: int = 1_300_000_000_000_000_900,
        rate_limits: RateLimits | bool = True,
        spec: DiscordSpec | bool | None = True,
        spec_path: Path | None = None,
        clock: Callable[[], float] = time.monotonic,
        echo_messages: bool = True,
        allowed_intents: int = PRIVILEGED,
        interaction_deadline: float = 3.0,
        seed: int = 0,
    ) -> None:
        """`spec=True` validates against the OpenAPI file (SpecMissing when it is not
        there), `False` never (the fake's own route table only), or pass a loaded
        DiscordSpec. The bot user's id equals `application_id`, as for every modern Discord
        app. `clock` drives rate limits and the 3 s interaction deadline. `allowed_intents`:
        the privileged intents enabled "in the developer portal" (others close the gateway
        with 4014). `seed` fixes the latency draws."""
        super().__init__()
        self.token = token
        self.application_id = application_id
        self.bot_user = FakeUser(application_id, bot_name, bot=True)
        if isinstance(rate_limits, bool):
            rate_limits = RateLimits(enabled=rate_limits)
        self.limits = rate_limits
        self.spec: DiscordSpec | None = (
            load_spec(spec_path)
            if spec is True
            else spec
            if isinstance(spec, DiscordSpec)
            else None
        )
        self.state = DiscordState(self.bot_user, application_id, FakeUser(owner_id, "app-owner"))
        self.recorder: Recorder[FakeDiscord] = Recorder()
        self.limiter = RateLimiter(self.limits, clock)
        self.cdn = Cdn(self.state.ids, lambda: self.url)
        self.gateway = Gateway(
            token,
            self.state,
            self.recorder,
            lambda: self.gateway_url,
            application_flags=APPLICATION_FLAGS,
            allowed_intents=allowed_intents,
        )
        self.backend = Backend(
            token=token,
            state=self.state,
            recorder=self.recorder,
            messages=Messages(self.state, self.recorder),
            factory=InteractionFactory(self.state, self.cdn),
            publish=self._publish,
            gateway_url=lambda: self.gateway_url,
            clock=clock,
            echo_messages=echo_messages,
            interaction_deadline=interaction_deadline,
        )
        self._dispatcher = Dispatcher(self.backend, self.limiter, self.spec, seed)

    # --- lifecycle -----------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._dispatcher.handle)
        self.cdn.add_routes(app)
        app.router.add_route("*", "/{tail:.*}", self._not_found)
        return app

    async def before_stop(self) -> None:
        await self.gateway.close_all()

    @property
    def api_base(self) -> str:
        """What `discord.http.Route.BASE` takes: `http://127.0.0.1:PORT/api/v10`."""
        return self.url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """What `DiscordWebSocket.DEFAULT_GATEWAY` takes: `ws://127.0.0.1:PORT/gateway`."""
        return "ws" + self.url.removeprefix("http") + "/gateway"

    # --- gateway control -----------------------------------------------------------------

    @property
    def latency(self) -> tuple[float, float]:
        """How long writes take to answer, as (min, max) seconds; (0, 0) by default."""
        return self._dispatcher.latency

    @latency.setter
    def latency(self, value: tuple[float, float]) -> None:
        self._dispatcher.latency = value

    async def reconnect(self) -> None:
        """Send op 7 RECONNECT: the client reconnects and RESUMEs (missed events replayed)."""
        await self.gateway.reconnect()

    # --- failures and limits -------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        path_glob: str,
        status: int,
        body: Any = None,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """The next `times` valid calls matching `method` ("*" for any) and `path_glob`
        (fnmatch on the path below /api/v10, e.g. "/channels/*/messages") answer `status`
        with `body` (JSON; a default Discord-style body when None) and exactly `headers`:
        a 429 without {"Via": "1.1 google"} is what discord.py treats as a Cloudflare ban."""
        self._dispatcher.failures.append(
            PlannedFailure(method.upper(), path_glob, status, body, dict(headers or {}), times)
        )

    @property
    def limits_enabled(self) -> bool:
        return self.limits.enabled

    @limits_enabled.setter
    def limits_enabled(self, value: bool) -> None:
        self.limits.enabled = value

    def reset_limits(self) -> None:
        """Forget rate-limit history, as after a quiet minute."""
        self.limiter.reset()

    # --- internals -----------------------------------------------------------------------

    async def _publish(self, event: str, data: dict[str, Any]) -> None:
        await self.gateway.dispatch(event, data)

    async def _not_found(self, request: web.Request) -> web.Response:
        return web.Response(
            text='{"message": "404: Not Found", "code": 0}',
            status=404,
            headers={"Content-Type": "application/json"},
        )
