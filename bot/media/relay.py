"""The built-in media relay: files from chat served to Meta from the bridge's own web server.

A URL names a random file id, an expiry and an HMAC-SHA256 of both under a secret kept in the
database, so only the bridge can make one and nobody can guess or extend it. There is no
listing; anything but a valid, unexpired signature is a 404 or a 410. A file is deleted when its
container no longer needs it (release), and after the URL lifetime at the latest (sweep).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from bot.clock import SYSTEM_CLOCK, Clock
from bot.media.staging import MediaStoreError, Staged
from bot.runtime.web_server import WebServer

log = logging.getLogger(__name__)

SECRET_STATE = "media_relay_secret"  # noqa: S105 (the bridge_state row name, not a secret)
PROBE_PATH = "/media-probe"
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}
_TYPES = {extension: kind for kind, extension in _EXTENSIONS.items()}


class MediaRelay(WebServer):
    """Serves staged files at `public_url/media/{file}?expires=...&sig=...`."""

    name = "media relay"

    def __init__(
        self,
        directory: Path,
        secret: bytes,
        public_url: str | None,
        *,
        lifetime: float = 3600.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__()
        self._directory = directory
        self._secret = secret
        # None: the relay's own address (loopback tests, the demo), known once started.
        self._public_url = public_url.rstrip("/") if public_url else None
        self._lifetime = lifetime
        self._clock = clock
        self.fetches = 0  # files served, for /metrics and tests
        # Files a post in flight still needs: kept by the sweep even past their URL's life
        # (their URL is reissued). After a restart nothing is in flight, and age decides.
        self._in_use: set[str] = set()

    # -- the MediaStore side ----------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._runner is not None

    async def stage(self, data: bytes, content_type: str) -> Staged:
        if not self.running:
            raise MediaStoreError("the media relay is not running (see the bridge's log)")
        extension = _EXTENSIONS.get(content_type)
        if extension is None:
            raise MediaStoreError(f"the relay does not serve {content_type} files")
        self.sweep()
        # The staging time leads the name, so a sweep after a restart knows the file's age
        # on the bridge's clock; 192 random bits make it unguessable.
        key = f"{int(self._clock.time())}-{secrets.token_urlsafe(24)}{extension}"
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            (self._directory / key).write_bytes(data)
        except OSError as exc:
            raise MediaStoreError(
                f"the relay could not store the file in {self._directory}: {exc.strerror}"
            ) from exc
        self._in_use.add(key)
        return self._signed(key, len(data), content_type)

    async def reissue(self, staged: Staged) -> Staged:
        if not (self._directory / staged.key).is_file():
            raise MediaStoreError("the file is no longer on the relay; send it again")
        return self._signed(staged.key, staged.size, staged.content_type)

    async def release(self, key: str) -> None:
        self._in_use.discard(key)
        (self._directory / Path(key).name).unlink(missing_ok=True)

    def sweep(self) -> int:
        """Delete files older than the URL lifetime (nobody can fetch them any more)."""
        if not self._directory.is_dir():
            return 0
        oldest = self._clock.time() - self._lifetime
        removed = 0
        for path in self._directory.iterdir():
            staged_at, _, _ = path.name.partition("-")
            if not staged_at.isdigit() or int(staged_at) >= oldest or path.name in self._in_use:
                continue
            try:
                path.unlink()
                removed += 1
            except OSError:  # removed meanwhile, or not ours to remove
                continue
        return removed

    async def sweep_job(self) -> None:
        """`sweep` as a scheduled job."""
        removed = self.sweep()
        if removed:
            log.info("media relay: removed %d file(s) Meta never fetched", removed)

    def signature(self, key: str, expires: int) -> str:
        message = f"{key}:{expires}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def probe_answer(self, nonce: str) -> str:
        """What the relay answers at PROBE_PATH?nonce=...: proof that the URL reaches us."""
        return hmac.new(self._secret, f"probe:{nonce}".encode(), hashlib.sha256).hexdigest()

    def _signed(self, key: str, size: int, content_type: str) -> Staged:
        expires = int(self._clock.time() + self._lifetime)
        base = self._public_url or self.url
        url = f"{base}/media/{quote(key)}?expires={expires}&sig={self.signature(key, expires)}"
        return Staged(key=key, url=url, expires_at=expires, size=size, content_type=content_type)

    # -- the HTTP side -----------------------------------------------------------------------

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/media/{key}", self._serve)
        app.router.add_get(PROBE_PATH, self._probe)
        return app

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        try:
            expires = int(request.query.get("expires", ""))
        except ValueError:
            raise web.HTTPNotFound() from None
        given = request.query.get("sig", "")
        if not hmac.compare_digest(given, self.signature(key, expires)):
            raise web.HTTPNotFound()
        if self._clock.time() > expires:
            log.info("media relay: an expired URL was fetched (expired %d)", expires)
            raise web.HTTPGone(text="This link has expired.")
        path = self._directory / Path(key).name
        if not path.is_file():
            raise web.HTTPNotFound()
        self.fetches += 1
        content_type = _TYPES.get(path.suffix, "application/octet-stream")
        return web.FileResponse(path, headers={"Content-Type": content_type})

    async def _probe(self, request: web.Request) -> web.Response:
        nonce = request.query.get("nonce", "")[:64]
        return web.Response(text=self.probe_answer(nonce))


def relay_secret(stored: str | None) -> tuple[bytes, str | None]:
    """The signing key from its stored hex form, or a new one (and the hex to store)."""
    if stored:
        return bytes.fromhex(stored), None
    key = secrets.token_bytes(32)
    return key, key.hex()
