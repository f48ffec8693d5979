"""The lifecycle every small aiohttp server here shares: start on a port, stop, `async with`,
and the URL it listens on. The health server, the Threads simulator and the test fakes build
on it and only say what they serve."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Self

from aiohttp import web


class WebServer:
    """Subclasses build their `web.Application` in `build_app` and may release held requests
    in `before_stop`."""

    name = "web server"  # for log lines and errors

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def build_app(self) -> web.Application:
        raise NotImplementedError

    async def before_stop(self) -> None:
        """Called before the server shuts down: answer what is held open."""

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on `host:port` (port 0 picks a free one)."""
        if self._runner is not None:
            raise RuntimeError(f"the {self.name} is already running")
        # No access log: request paths and queries may carry tokens.
        runner = web.AppRunner(self.build_app(), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        url_host = f"[{host}]" if ":" in host else host
        self._url = f"http://{url_host}:{runner.addresses[0][1]}"
        self._log.info("%s listening on %s", self.name, self._url)

    async def stop(self) -> None:
        await self.before_stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
            self._log.info("%s stopped", self.name)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def _log(self) -> logging.Logger:
        return logging.getLogger(type(self).__module__)  # the subclass's, for operators

    @property
    def url(self) -> str:
        """`http://HOST:PORT`."""
        if self._url is None:
            raise RuntimeError(f"the {self.name} is not running")
        return self._url

    @property
    def port(self) -> int:
        if self._runner is None:
            raise RuntimeError(f"the {self.name} is not running")
        return int(self._runner.addresses[0][1])
