"""A bare HTTP client for the fake, for tests that need exact wire control (no PTB)."""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, Self

import httpx

Files = dict[str, tuple[str, bytes]]


def encode(params: dict[str, Any]) -> dict[str, str]:
    """Encode values the way PTB does: strings stay, everything else becomes JSON text."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}


class RawApi:
    """`async with RawApi(fake.base_url, token) as api: status, body = await api("getMe")`.
    Keeps one connection pool; never reads proxy settings from the environment."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0) -> None:
        self._prefix = f"{base_url}{token}/"
        self._client = httpx.AsyncClient(trust_env=False, timeout=timeout)

    async def __call__(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        files: Files | None = None,
        http_timeout: float | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """POST `/bot<token>/<method>` (form, or multipart with files); (status, JSON body)."""
        extra: dict[str, Any] = {} if http_timeout is None else {"timeout": http_timeout}
        response = await self._client.post(
            self._prefix + method, data=encode(params or {}), files=files, **extra
        )
        return response.status_code, response.json()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._client.aclose()


async def post_api(
    base_url: str,
    token: str,
    method: str,
    params: dict[str, Any] | None = None,
    *,
    files: Files | None = None,
    http_timeout: float = 10.0,
) -> tuple[int, dict[str, Any]]:
    """One call on a fresh connection (see RawApi for many)."""
    async with RawApi(base_url, token, http_timeout) as api:
        return await api(method, params, files=files)
