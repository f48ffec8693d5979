"""A bare HTTP client for the fake, for tests that need exact wire control (no discord.py)."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, Self

import aiohttp

from .server import FakeDiscord


class RawDiscord:
    """`async with RawDiscord(fake) as api: status, body, headers = await api("GET", path)`.
    Sends the bot token unless `auth=False` (or another `token`)."""

    def __init__(self, fake: FakeDiscord) -> None:
        self.fake = fake
        self._session = aiohttp.ClientSession()

    async def __call__(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        query: dict[str, str] | None = None,
        auth: bool = True,
        token: str | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> tuple[int, Any, dict[str, str]]:
        """(status, JSON body or None, headers). With `files`, multipart with payload_json."""
        headers: dict[str, str] = {}
        if auth:
            headers["Authorization"] = f"Bot {token or self.fake.token}"
        data: Any = None
        if files:
            form = aiohttp.FormData(quote_fields=False)
            form.add_field("payload_json", json.dumps(json_body or {}))
            for field, (filename, content) in files.items():
                form.add_field(field, content, filename=filename)
            data = form
        elif json_body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(json_body)
        url = self.fake.api_base + path
        async with self._session.request(
            method, url, data=data, params=query, headers=headers
        ) as response:
            text = await response.text()
            body = json.loads(text) if text else None
            return response.status, body, dict(response.headers)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._session.close()
