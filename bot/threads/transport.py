"""One httpx.AsyncClient speaking Graph: Bearer auth, error classification, retries.

Safe GETs are retried with exponential backoff and full jitter on transient failures. Anything
that changes state is sent once: a POST that timed out may have been applied, so only the caller
(bot.threads.publish) can decide how to settle it. The single exception is a connection that
never opened, since then nothing reached Meta at all.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from bot.threads.errors import ThreadsError, TransientError, classify_graph_error

log = logging.getLogger(__name__)

Params = Mapping[str, str | int | float | bool | None]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How safe requests are retried: `attempts` in all, delays doubling from `base_delay`."""

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def delay(self, attempt: int) -> float:
        # Full jitter keeps many bridges (or many jobs of one) from retrying in lockstep.
        return random.uniform(0, min(self.max_delay, self.base_delay * 2**attempt))


# Loading the CA bundle costs about 15 ms of CPU per client; every client shares one context.
_tls_context = functools.cache(httpx.create_ssl_context)


class GraphTransport:
    """Sends requests to the Graph API and returns decoded JSON, or raises a ThreadsError."""

    def __init__(
        self,
        access_token: str | None,
        *,
        api_base: str,
        timeout: float,
        retry: RetryPolicy,
        http: httpx.AsyncClient | None = None,
        on_error: Callable[[ThreadsError], None] | None = None,
    ) -> None:
        self._token = access_token
        self.on_error = on_error
        self.on_sent: Callable[[str], None] | None = None
        # Attempts that may have reached Meta but got no answer (a timeout, a broken
        # connection): a quota that counts only answered results must assume the worst.
        self.on_unanswered: Callable[[str], None] | None = None
        self.api_base = api_base.rstrip("/")
        self.retry = retry
        self._secrets: set[str] = set()
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout, verify=_tls_context())

    def __repr__(self) -> str:
        return f"GraphTransport(api_base={self.api_base!r})"

    @property
    def oauth_base(self) -> str:
        """The unversioned root that Meta serves the OAuth token endpoints from."""
        head, _, last = self.api_base.rpartition("/")
        return head if last.startswith("v") and last[1:2].isdigit() else self.api_base

    def set_access_token(self, token: str | None) -> None:
        self._token = token

    def add_secret(self, value: str | None) -> None:
        """Register a value (an app secret, a token being exchanged) to scrub from errors."""
        if value:
            self._secrets.add(value)

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def get(
        self, path: str, params: Params | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        return await self.request("GET", path, params=params, token=token, safe=True)

    async def post(
        self, path: str, data: Params | None = None, *, token: str | None = None
    ) -> dict[str, Any]:
        return await self.request("POST", path, data=data, token=token, safe=False)

    async def delete(self, path: str) -> dict[str, Any]:
        return await self.request("DELETE", path, safe=False)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        data: Params | None = None,
        token: str | None = None,
        safe: bool,
    ) -> dict[str, Any]:
        """Send one request; `safe` requests are retried on transient failures."""
        url = path if path.startswith("http") else f"{self.api_base}/{path.lstrip('/')}"
        attempt = 0
        while True:
            try:
                return await self._send_once(method, url, params, data, token)
            except _NotSent as exc:
                error: ThreadsError = exc.error
                may_retry = True  # nothing reached Meta, so even a POST may be sent again
            except TransientError as exc:
                error = exc
                may_retry = safe
            attempt += 1
            if not may_retry or attempt >= self.retry.attempts:
                raise error
            delay = self.retry.delay(attempt)
            log.info(
                "Threads %s %s failed (%s); retry %d in %.2fs",
                method,
                _path_of(url),
                error.reason,
                attempt,
                delay,
            )
            await asyncio.sleep(delay)

    async def _send_once(
        self, method: str, url: str, params: Params | None, data: Params | None, token: str | None
    ) -> dict[str, Any]:
        bearer = token or self._token
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        try:
            response = await self._http.request(
                method, url, params=_encode(params), data=_encode(data), headers=headers
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            error = TransientError(f"Could not reach Threads ({type(exc).__name__})")
            raise _NotSent(self._noted(error)) from None
        except httpx.TimeoutException:
            self._sent(url, answered=False)  # it may have reached Meta, and then it counts
            raise self._noted(TransientError("Threads did not answer in time")) from None
        except httpx.TransportError as exc:
            self._sent(url, answered=False)
            reason = f"The connection to Threads failed ({type(exc).__name__})"
            raise self._noted(TransientError(reason)) from None
        self._sent(url)
        body = _json_or_none(response)
        if response.is_success and isinstance(body, dict) and "error" not in body:
            return body
        raise self._noted(self._scrub(classify_graph_error(response.status_code, body)))

    def _sent(self, url: str, *, answered: bool = True) -> None:
        """Every request that reached (or may have reached) Meta, by path: quotas count
        those, answered or not."""
        if self.on_sent is not None:
            self.on_sent(_path_of(url))
        if not answered and self.on_unanswered is not None:
            self.on_unanswered(_path_of(url))

    def _noted(self, error: ThreadsError) -> ThreadsError:
        """Every failed attempt, retried or not, is reported (metrics count them)."""
        if self.on_error is not None:
            self.on_error(error)
        return error

    def _scrub(self, error: ThreadsError) -> ThreadsError:
        """Make sure no secret we hold can travel inside an exception message."""
        for secret in filter(None, (self._token, *self._secrets)):
            if secret in error.reason:
                error.reason = error.reason.replace(secret, "***")
                error.args = (error.reason,)
        return error


class _NotSent(Exception):
    def __init__(self, error: ThreadsError) -> None:
        self.error = error


def _encode(values: Params | None) -> dict[str, str] | None:
    """Graph takes strings: booleans as true/false, and None means "leave the key out"."""
    if values is None:
        return None
    encoded = {}
    for key, value in values.items():
        if value is None:
            continue
        encoded[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return encoded


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _path_of(url: str) -> str:
    return httpx.URL(url).path
