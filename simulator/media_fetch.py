"""Downloading `image_url` / `video_url` the way Meta does, within Meta's size limits.

Meta fetches the media itself when a container is created (reference §1.10 and the "Media
hosting" row of §2): an image during the create call, a video after answering it while the
container stays IN_PROGRESS. The simulator really downloads the URL, so a test proves that the
bytes a bridge serves reach "Meta". Only the size, a SHA-256 and the first bytes are kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Coroutine
from typing import Any

import aiohttp

from .clock import SimClock
from .models import FetchedMedia

log = logging.getLogger(__name__)

MB = 1024 * 1024
# Meta's limits (reference §2): images JPEG or PNG up to 8 MB, videos MOV/MP4 up to 1 GB.
SIZE_LIMITS = {"IMAGE": 8 * MB, "VIDEO": 1024 * MB}
IMAGE_TYPES = frozenset({"image/jpeg", "image/png"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime"})
FETCH_TIMEOUT = 10.0
_CHUNK = 64 * 1024
_HEAD = 16  # enough bytes to tell the file types apart


def sniff(head: bytes) -> str | None:
    """The media type the first bytes of a file show, or None for anything else.

    JPEG starts with FF D8 FF, PNG with its 8-byte signature; MP4 and MOV have an `ftyp` box
    at offset 4 (brand `qt  ` for QuickTime).
    """
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


class MediaFetcher:
    """The simulator's HTTP client for media URLs, with the downloads it made.

    `open` at server start and `close` at stop (which also cancels the background video
    downloads still running). `fetched` lists every download, failed ones included.
    """

    def __init__(self, clock: SimClock, timeout: float = FETCH_TIMEOUT) -> None:
        self._clock = clock
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.fetched: list[FetchedMedia] = []

    async def open(self) -> None:
        if self._session is None:
            # Videos may take long as a whole: only a stalled connection times out. Images get
            # a total bound on top (see fetch).
            timeout = aiohttp.ClientTimeout(
                total=None, sock_connect=self._timeout, sock_read=self._timeout
            )
            self._session = aiohttp.ClientSession(timeout=timeout)

    async def close(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        session, self._session = self._session, None
        if session is not None:
            await session.close()

    async def fetch(self, url: str, kind: str) -> FetchedMedia:
        """Download `url` as an IMAGE or VIDEO and record the outcome (never raises for a
        download that fails: the outcome says how)."""
        if self._session is None:
            raise RuntimeError("the simulator's media fetcher is not open (start the server)")
        limit = SIZE_LIMITS[kind]
        too_large = f"larger than the {limit // MB} MB limit"
        status: int | None = None
        declared: str | None = None
        error: str | None = None
        digest = hashlib.sha256()
        head = b""
        size = 0
        timeout = aiohttp.ClientTimeout(total=self._timeout) if kind == "IMAGE" else None
        try:
            async with self._session.get(url, timeout=timeout) as response:
                status = response.status
                declared = response.headers.get("Content-Type")
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
                elif (response.content_length or 0) > limit:
                    error = too_large
                else:
                    async for chunk in response.content.iter_chunked(_CHUNK):
                        size += len(chunk)
                        if size > limit:  # stop reading: Meta would not take the rest either
                            error = too_large
                            break
                        if len(head) < _HEAD:
                            head += chunk[: _HEAD - len(head)]
                        digest.update(chunk)
        except TimeoutError:
            error = f"no answer within {self._timeout:g} s"
        except aiohttp.ClientError as exc:
            error = f"{type(exc).__name__}: {exc}"
        fetched = FetchedMedia(
            url=url,
            kind=kind,
            status=status,
            size=size,
            sha256=digest.hexdigest() if error is None else None,
            content_type=sniff(head) if error is None else None,
            declared_type=declared,
            error=error,
            at=self._clock.now(),
        )
        self.fetched.append(fetched)
        # The URL stays out of the log: a signed media URL carries a credential.
        log.info(
            "simulator fetched %s: HTTP %s, %d bytes, %s",
            kind,
            fetched.status,
            size,
            # Only the kind of error: aiohttp puts the URL in some messages.
            (error or "").partition(":")[0] or fetched.content_type or "not a known media type",
        )
        return fetched

    def in_background(self, download: Coroutine[Any, Any, None], name: str) -> None:
        """Run a download after the create call has been answered (videos)."""
        task = asyncio.create_task(download, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("simulator task %s failed", task.get_name(), exc_info=task.exception())

    async def settled(self) -> None:
        """Return once no background download is running."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
