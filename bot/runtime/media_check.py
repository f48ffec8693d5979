"""`check`'s media lines: can Meta fetch photos and videos from where the bridge puts them?

For the relay: is `public_url` an address Meta can reach (public, HTTPS), and does it lead to
this bridge's relay? The relay answers PROBE_PATH with an HMAC of a nonce under its key (kept in
the database), so a right answer proves the way through the proxy or tunnel. When nothing
answers, `check` serves the probe itself for a moment on listen_host:listen_port, so the way
can be tested before the bridge runs. For S3: does the bucket answer to the credentials?
Nothing is written, as for the rest of `check`.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import os
import secrets
import socket
import sqlite3
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bot.config import Config, ConfigError, MediaConfig
from bot.media.relay import PROBE_PATH, SECRET_STATE, MediaRelay, relay_secret
from bot.runtime.check_result import Check
from bot.runtime.media import relay_directory
from bot.runtime.runlock import running_pid
from bot.tls import tls_context
from storage.bridge_state import BridgeState
from storage.database import StorageError, open_readonly

PROBE_TIMEOUT = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


async def check_media(config: Config, env: Mapping[str, str]) -> AsyncIterator[Check]:
    """The lines for `[media]`: off, the relay's way from `public_url`, or the S3 bucket."""
    media = config.media
    if media.backend == "s3":
        yield await _check_s3(media, env)
        return
    if media.public_url is None:
        yield Check(
            "media", True, "off (set [media] public_url to publish photos and videos from chat)"
        )
        return
    async for check in _check_relay(config, media.public_url.rstrip("/")):
        yield check


def address_problem(address: IPAddress) -> str | None:
    """Why Meta cannot reach `address` ("a loopback address", ...), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_private:
        return "a private address"
    if not address.is_global or address.is_multicast:
        return "not a public address"
    return None


async def _check_relay(config: Config, public_url: str) -> AsyncIterator[Check]:
    media = config.media
    parts = urlsplit(public_url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        yield Check("media.public_url", False, f"{parts.netloc} does not end in a valid port")
        return
    try:
        addresses = await _resolve(host, port)
    except (OSError, UnicodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        yield Check(
            "media.public_url", False, f"{host} does not resolve ({reason}); check the host name"
        )
        return
    for address in addresses:
        problem = address_problem(address)
        if problem is not None:
            named = f"{address} is" if str(address) == host else f"{host} resolves to {address},"
            yield Check(
                "media.public_url",
                True,
                f"{named} {problem}: Meta cannot reach it; give the public address of a "
                "reverse proxy or tunnel in front of the relay",
                warning=True,
            )
            break
    if parts.scheme == "http":
        yield Check(
            "media.public_url",
            True,
            "http: Meta fetches media over HTTPS; put a TLS reverse proxy or tunnel in front "
            "of the relay and give its https:// address",
            warning=True,
        )
    listen_host = f"[{media.listen_host}]" if ":" in media.listen_host else media.listen_host
    yield await _probe_relay(config, public_url, f"{listen_host}:{media.listen_port}")


async def _resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses as this machine resolves it (a literal address is itself)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).partition("%")[0])  # no IPv6 scope
        if address not in found:
            found.append(address)
    return found


@dataclass(frozen=True, slots=True)
class _Answer:
    """What public_url said to the probe: the relay's proof, something else, or nothing."""

    proved: bool
    # None when public_url could not be reached at all; else what answered (e.g. "HTTP 404").
    answered: str | None
    reason: str = ""


async def _probe_relay(config: Config, public_url: str, listen: str) -> Check:
    media = config.media
    # Without a stored key no bridge has run on this database: any key will do for the
    # temporary relay, and it is not stored (check writes nothing).
    secret = _stored_relay_secret(config) or relay_secret(None)[0]
    relay = MediaRelay(relay_directory(config), secret, public_url, lifetime=media.url_lifetime)
    async with httpx.AsyncClient(
        timeout=PROBE_TIMEOUT, verify=tls_context(), follow_redirects=True
    ) as http:
        first = await _probe(http, public_url, relay)
        if first.proved:
            return Check("media relay", True, "public_url reaches this bridge's relay")
        # Nothing of ours answered: serve the probe here for a moment, and ask again.
        try:
            await relay.start(media.listen_host, media.listen_port)
        except OSError as exc:
            return _port_taken(config, first, listen, exc)
        try:
            second = await _probe(http, public_url, relay)
        finally:
            await relay.stop()
    if not second.proved:
        return Check("media relay", False, _not_proved(second, listen))
    pid = running_pid(config.storage.path)
    why = (
        "the bridge is not running"
        if pid is None
        else f"the running bridge (pid {pid}) does not serve it: restart it"
    )
    return Check(
        "media relay",
        True,
        f"public_url reaches this bridge's relay (tried with a temporary relay on {listen}: "
        f"{why})",
    )


def _port_taken(config: Config, first: _Answer, listen: str, exc: OSError) -> Check:
    """listen_host:listen_port could not be opened, and public_url did not prove the relay."""
    pid = running_pid(config.storage.path)
    if pid is not None:  # its relay, or what kept it from listening (its log says which)
        held = f"the running bridge (pid {pid}) should be listening on {listen}"
    elif exc.errno == errno.EADDRINUSE:
        held = f"{listen} is in use by another program"
    else:
        held = f"{listen} cannot be opened ({os.strerror(exc.errno) if exc.errno else exc})"
    return Check("media relay", False, f"{_not_proved(first, listen)}; {held}")


def _not_proved(answer: _Answer, listen: str) -> str:
    if answer.answered is None:
        return (
            f"cannot reach public_url ({answer.reason}); is the reverse proxy or tunnel up and "
            f"pointing at {listen}?"
        )
    return (
        f"public_url answers ({answer.answered}), but not with this bridge's relay (is the "
        f"proxy pointing at {listen}?)"
    )


async def _probe(http: httpx.AsyncClient, public_url: str, relay: MediaRelay) -> _Answer:
    nonce = secrets.token_urlsafe(16)
    try:
        response = await http.get(f"{public_url}{PROBE_PATH}", params={"nonce": nonce})
    except httpx.TimeoutException:
        return _Answer(False, None, f"no answer within {PROBE_TIMEOUT:.0f} s")
    except httpx.HTTPError as exc:
        return _Answer(False, None, str(exc) or type(exc).__name__)
    proved = response.status_code == 200 and response.text == relay.probe_answer(nonce)
    return _Answer(proved, f"HTTP {response.status_code}")


def _stored_relay_secret(config: Config) -> bytes | None:
    """The relay's signing key from the database, read without writing anything."""
    path = Path(config.storage.path)
    if not path.is_file():
        return None
    try:
        db = open_readonly(path)
    except StorageError:
        return None  # the storage line says what is wrong
    try:
        stored = BridgeState(db).get(SECRET_STATE)
    except sqlite3.Error:
        return None  # a database from before bridge_state: `run` migrates it
    finally:
        db.close()
    return bytes.fromhex(stored) if isinstance(stored, str) and stored else None


async def _check_s3(media: MediaConfig, env: Mapping[str, str]) -> Check:
    from bot.media.s3 import S3Store  # boto3 loads only for a bridge that uses it

    try:
        store = S3Store.from_config(media, env)
    except ConfigError as exc:
        key, _, detail = str(exc).partition(": ")
        return Check(key, False, detail, local=True)  # `run` stops on it too
    reason = await store.probe()
    if reason is not None:
        return Check("media", False, reason)
    return Check("media", True, f"S3 bucket {store.bucket!r} answers at {store.endpoint or 'AWS'}")
