"""One TLS context for every HTTPS client of the process.

Each httpx client left to build its own loads the whole CA bundle again: about 15 ms of CPU
per client, paid by every Telegram application (two clients), Threads client and token
check the bridge makes. The context is read-only once built, so they all share this one.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The context httpx would build by default (certifi's bundle), built once.
    (bot/threads keeps its own: that package depends on nothing of the bridge's.)"""
    return httpx.create_ssl_context()
