"""Keeping a chat platform connected: try, and after a failure or a lost connection try again
with backoff, while the rest of the bridge runs.

An adapter gives `Reconnector` a `session`: a coroutine that connects, calls `up()` once the
platform is usable, and then runs for as long as the connection lasts (it returns or raises
when it is lost). Each failed attempt is one warning line (the error's class and message, not
a library traceback). Errors listed as `fatal` (a rejected token) are not retried: at start
they propagate, so `run` fails with what to fix instead of retrying something that cannot
work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.tasks import spawn

log = logging.getLogger(__name__)

Session = Callable[[Callable[[], None]], Awaitable[None]]


def describe(error: BaseException) -> str:
    """One line for the log: the error's class and message (no traceback)."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class Reconnector:
    def __init__(
        self,
        platform: str,
        session: Session,
        *,
        cleanup: Callable[[], Awaitable[None]],
        fatal: tuple[type[BaseException], ...] = (),
        first_pause: float = 1.0,
        max_pause: float = 60.0,
    ) -> None:
        """`cleanup` releases what a failed or lost session left behind, before the next try."""
        self._platform = platform
        self._session = session
        self._cleanup = cleanup
        self._fatal = fatal
        self._first_pause = first_pause
        self._max_pause = max_pause
        self._task: asyncio.Task[None] | None = None
        self._settled = asyncio.Event()  # the first attempt is up, or failed
        self._fatal_error: BaseException | None = None
        self.up = False

    async def start(self) -> None:
        """Make the first attempt now and return once it is up or has failed (then the
        retries go on in the background). A fatal error raises."""
        if self._task is None:
            self._task = spawn(self._keep_connected(), name=f"{self._platform} connection")
        await self._settled.wait()
        if self._fatal_error is not None:
            raise self._fatal_error

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.up = False

    def _mark_up(self) -> None:
        self.up = True
        self._settled.set()

    async def _keep_connected(self) -> None:
        pause = self._first_pause
        while True:
            try:
                await self._session(self._mark_up)
                reason = "the connection closed"
            except self._fatal as exc:
                self.up = False
                if self._settled.is_set():
                    log.error("%s refused the bridge (%s); not trying again", self._platform, exc)
                else:
                    self._fatal_error = exc  # start() raises it: the caller says what to fix
                self._settled.set()
                return
            except Exception as exc:
                reason = describe(exc)
            if self.up:
                pause = self._first_pause  # it was connected: a fresh outage
            self.up = False
            self._settled.set()
            with contextlib.suppress(Exception):
                await self._cleanup()
            log.warning(
                "%s is not connected (%s); trying again in %.0fs", self._platform, reason, pause
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, self._max_pause)
