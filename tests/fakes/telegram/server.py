"""`FakeTelegram`: a loopback Telegram Bot API server for end-to-end tests through the real
python-telegram-bot, with a Python API to set up the world, push updates and observe calls."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from aiohttp import web

from bot.runtime.web_server import WebServer

from .dispatch import Dispatcher, PlannedFailure
from .errors import ApiError
from .limits import FloodGate, RateLimits
from .models import FakeUser
from .records import RecordedCall, Recorder, SentMessage
from .spec import ApiSpec, load_spec
from .state import TelegramState
from .updates import UpdateQueue
from .world import TelegramWorld

log = logging.getLogger(__name__)


class FakeTelegram(TelegramWorld, WebServer):
    """An in-process Telegram Bot API (aiohttp on 127.0.0.1). Point PTB at it with
    `.base_url(fake.base_url)`."""

    name = "fake Telegram server"

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",  # noqa: S107 - the fake bot's fake token
        *,
        bot_username: str = "threads_bridge_test_bot",
        bot_name: str = "Threads Bridge Test",
        rate_limits: RateLimits | bool = True,
        latency: tuple[float, float] = (0.0, 0.0),
        privacy_mode: bool = True,
        clock: Callable[[], float] = time.monotonic,
        spec: ApiSpec | bool | None = True,
        spec_path: Path | None = None,
        seed: int = 0,
    ) -> None:
        """`spec=True` validates against the spec file (SpecMissing when it is not there),
        `False` never (the fake's own tables only), or pass a loaded ApiSpec. `clock` drives
        the flood limits only (inject one to test limits without waiting); `seed` fixes the
        latency draws."""
        super().__init__()
        bot_id = int(token.partition(":")[0]) if token.partition(":")[0].isdigit() else 123456
        self.token = token
        self.bot_user = FakeUser(bot_id, bot_name, bot_username, is_bot=True)
        if isinstance(rate_limits, bool):
            rate_limits = RateLimits(enabled=rate_limits)
        self.limits = rate_limits
        self.latency = latency
        self.spec: ApiSpec | None = (
            load_spec(spec_path) if spec is True else spec if isinstance(spec, ApiSpec) else None
        )
        self.state = TelegramState(self.bot_user, privacy_mode=privacy_mode)
        self.recorder: Recorder[FakeTelegram] = Recorder()
        self.updates = UpdateQueue(on_hold=self.recorder.notify)
        self.gate = FloodGate(self.limits, clock)
        self._dispatcher = Dispatcher(
            token,
            self.state,
            self.updates,
            self.gate,
            self.recorder,
            self.spec,
            lambda: self.latency,
            seed,
        )

    # --- lifecycle -----------------------------------------------------------------------

    def build_app(self) -> web.Application:
        self.updates.reopen()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.add_routes(self._dispatcher.routes())
        return app

    async def before_stop(self) -> None:
        self.updates.close()  # held getUpdates answer with []

    @property
    def base_url(self) -> str:
        """What `ApplicationBuilder.base_url` takes (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def file_downloads(self) -> list[str]:
        """File paths downloaded from `/file/bot<token>/`, in order."""
        return self._dispatcher.file_downloads

    # --- failures ------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        description: str = "Internal Server Error",
        *,
        status: int = 500,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` valid calls of `method` answer this error instead of running.
        With `retry_after`, a 429 flood error (counted in flood_errors)."""
        if retry_after is not None:
            error = ApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        else:
            error = ApiError(status, description)
        queue = self._dispatcher.failures.setdefault(method.lower(), [])
        queue.append(PlannedFailure(error, times))

    # --- observation ---------------------------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        return self.recorder.calls

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [c for c in self.recorder.calls if c.method.lower() == method.lower()]

    @property
    def sent(self) -> list[SentMessage]:
        return self.recorder.sent

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return [s for s in self.recorder.sent if s.chat_id == chat_id]

    @property
    def flood_errors(self) -> int:
        return self.recorder.flood_errors

    async def wait_for(
        self,
        predicate: Callable[[FakeTelegram], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline for the whole wait, by design
    ) -> None:
        """Wait until `predicate(fake)` holds, re-checked on every recorded call; on timeout an
        AssertionError lists what the fake saw."""
        await self.recorder.wait_for(self, predicate, within=timeout)

    def reset_limits(self) -> None:
        """Forget the flood-control history, as after a quiet minute."""
        self.gate.reset()
