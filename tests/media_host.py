"""`MediaHost`: a file host on 127.0.0.1 for the media URLs tests hand to Threads.

The Threads simulator downloads `image_url` / `video_url` as Meta does, so a media post in a
test needs a URL that really serves bytes. Register them with `add`; every other path answers
404. `hits` counts the requests per path (including 404s), so a test can tell that a file was
fetched, and how often. A file added with `held=True` is not answered until `release(path)`,
for a test that needs a download still running.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass

from aiohttp import web

from bot.runtime.web_server import WebServer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _File:
    data: bytes
    content_type: str
    status: int
    chunked: bool
    redirect_to: str | None = None


class MediaHost(WebServer):
    """Serves registered bytes at registered paths."""

    name = "test media host"

    def __init__(self) -> None:
        super().__init__()
        self._files: dict[str, _File] = {}
        self._held: dict[str, asyncio.Event] = {}
        self.hits: Counter[str] = Counter()

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._serve)
        return app

    def url_for(self, path: str) -> str:
        """The URL of `path` on this host (registered or not)."""
        return f"{self.url}/{path.lstrip('/')}"

    def add(
        self,
        path: str,
        data: bytes,
        content_type: str = "application/octet-stream",
        *,
        status: int = 200,
        chunked: bool = False,
        held: bool = False,
    ) -> str:
        """Serve `data` at `path` (with this Content-Type and status); its URL. `chunked`
        sends it without a Content-Length, so the reader only learns its size by reading;
        `held` waits for `release(path)` before answering."""
        key = path.lstrip("/")
        self._files[key] = _File(data, content_type, status, chunked)
        if held:
            self._held[key] = asyncio.Event()
        return self.url_for(path)

    def release(self, path: str) -> None:
        """Answer the requests for a held file (those waiting and those to come)."""
        self._held[path.lstrip("/")].set()

    async def before_stop(self) -> None:
        for event in self._held.values():
            event.set()

    def redirect(self, path: str, to: str) -> str:
        """Answer `path` with a 302 to the path `to` on this host; the URL of `path`."""
        self._files[path.lstrip("/")] = _File(b"", "text/plain", 302, False, self.url_for(to))
        return self.url_for(path)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        self.hits[path] += 1
        file = self._files.get(path)
        if file is None:
            return web.Response(status=404, text="not found")
        held = self._held.get(path)
        if held is not None:
            await held.wait()
        if file.redirect_to is not None:
            raise web.HTTPFound(file.redirect_to)
        headers = {"Content-Type": file.content_type}
        if not file.chunked:
            return web.Response(body=file.data, status=file.status, headers=headers)
        response = web.StreamResponse(status=file.status, headers=headers)
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(file.data), 256 * 1024):
            await response.write(file.data[start : start + 256 * 1024])
        await response.write_eof()
        return response
