"""discord.py errors -> the delivery outcomes the worker acts on.

discord.py already waits out 429s that carry a retry_after it accepts; what reaches us is a
429 it gave up on, or one without Cloudflare's Via header (an IP-level limit).
"""

from __future__ import annotations

import aiohttp
import discord

from bot.outbound import (
    DeliveryError,
    DeliveryFailed,
    DeliveryRejected,
    DestinationGone,
    RetryAfter,
)


def classify(exc: Exception) -> DeliveryError:
    if isinstance(exc, discord.RateLimited):
        return RetryAfter(f"rate limited for {exc.retry_after:.1f}s", exc.retry_after)
    if isinstance(exc, discord.Forbidden | discord.NotFound):
        return DestinationGone(f"{exc.status} {exc.text or 'forbidden or gone'}")
    if isinstance(exc, discord.HTTPException):
        if exc.status == 429:
            retry_after = _retry_after(exc)
            return RetryAfter(f"429 {exc.text}", retry_after)
        if exc.status >= 500:
            return DeliveryFailed(f"{exc.status} {exc.text}")
        return DeliveryRejected(f"{exc.status} {exc.text}")
    if isinstance(exc, aiohttp.ClientError | TimeoutError | discord.GatewayNotFound):
        return DeliveryFailed(f"{type(exc).__name__}: {exc}")
    return DeliveryFailed(repr(exc))


def _retry_after(exc: discord.HTTPException) -> float:
    header = exc.response.headers.get("Retry-After") if exc.response is not None else None
    try:
        return max(float(header), 1.0) if header else 5.0
    except ValueError:
        return 5.0
