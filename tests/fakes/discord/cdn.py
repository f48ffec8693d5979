"""The fake's cdn.discordapp.com: files people attach in Discord, served over HTTP under
signed URLs shaped like Discord's (`?ex=<expiry>&is=<issued>&hm=<signature>`, all hex).

The signature is the CDN's own (an HMAC of the path and times under a key the fake makes up):
it carries no credential of the bot, so anyone holding the URL may fetch the file until it
expires, as Meta does when the bridge hands it over. A wrong signature or an expired URL
answers 404 with Discord's "This content is no longer available.".
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .models import Snowflakes

URL_LIFETIME = 24 * 3600.0  # Discord signs attachment URLs for about a day
SPOILER_PREFIX = "SPOILER_"
SPOILER_FLAG = 1 << 3  # AttachmentFlags.IS_SPOILER
GONE = "This content is no longer available."


@dataclass(frozen=True)
class Upload:
    """A file someone attaches in the Discord client: its name, its bytes, the type the
    client reports (None: Discord could not tell), and whether it is marked as a spoiler
    (Discord then prefixes the name with SPOILER_)."""

    filename: str
    data: bytes
    content_type: str | None = None
    spoiler: bool = False


@dataclass(frozen=True)
class StoredFile:
    data: bytes
    content_type: str | None


class Cdn:
    """Stored attachment bytes by URL path, and every download served (`downloads`, the
    paths; also failed ones in `refused`)."""

    def __init__(self, ids: Snowflakes, base_url: Callable[[], str]) -> None:
        self._ids = ids
        self._base_url = base_url
        self._key = secrets.token_bytes(32)
        self._files: dict[str, StoredFile] = {}
        self.lifetime = URL_LIFETIME
        self.downloads: list[str] = []
        self.refused: list[str] = []

    def attachment(
        self, channel_id: int, upload: Upload, *, ephemeral: bool = False
    ) -> dict[str, Any]:
        """Store `upload` and return its attachment object (AttachmentResponse). A slash
        command's attachment option is ephemeral: under /ephemeral-attachments/."""
        attachment_id = self._ids.next()
        filename = upload.filename
        if upload.spoiler and not filename.startswith(SPOILER_PREFIX):
            filename = SPOILER_PREFIX + filename
        folder = "ephemeral-attachments" if ephemeral else "attachments"
        path = f"/{folder}/{channel_id}/{attachment_id}/{filename}"
        self._files[path] = StoredFile(upload.data, upload.content_type)
        url = self.url(path)
        payload: dict[str, Any] = {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(upload.data),
            "url": url,
            "proxy_url": url.replace(f"/{folder}/", f"/proxy/{folder}/", 1),
            "flags": SPOILER_FLAG if filename.startswith(SPOILER_PREFIX) else 0,
        }
        if upload.content_type is not None:
            payload["content_type"] = upload.content_type
        if ephemeral:
            payload["ephemeral"] = True
        return payload

    def url(self, path: str, *, issued: float | None = None) -> str:
        """The signed URL of `path`, issued now (or at `issued`, Unix time)."""
        issued_at = int(time.time() if issued is None else issued)
        expires = issued_at + int(self.lifetime)
        query = f"ex={expires:08x}&is={issued_at:08x}"
        return f"{self._base_url()}{path}?{query}&hm={self._sign(path, query)}"

    def add_routes(self, app: web.Application) -> None:
        for prefix in ("", "/proxy"):
            for folder in ("attachments", "ephemeral-attachments"):
                route = f"{prefix}/{folder}/{{channel}}/{{id}}/{{filename}}"
                app.router.add_get(route, self._serve)

    async def _serve(self, request: web.Request) -> web.Response:
        path = request.path.removeprefix("/proxy")
        stored = self._files.get(path)
        ex, issued, signature = (request.query.get(k, "") for k in ("ex", "is", "hm"))
        valid = hmac.compare_digest(signature, self._sign(path, f"ex={ex}&is={issued}"))
        if stored is None or not valid or _expired(ex):
            self.refused.append(path)
            return web.Response(status=404, text=GONE)
        self.downloads.append(path)
        content_type = stored.content_type or "application/octet-stream"
        return web.Response(body=stored.data, headers={"Content-Type": content_type})

    def _sign(self, path: str, query: str) -> str:
        return hmac.new(self._key, f"{path}?{query}".encode(), hashlib.sha256).hexdigest()


def _expired(ex: str) -> bool:
    try:
        return int(ex, 16) <= time.time()
    except ValueError:
        return True
