"""`threads-bridge check`: is the configuration right, and does every service accept it?

One line per check, saying what to fix when it fails: first what `run` would refuse to start
with on this machine (preflight.py), then each service, then the media store (media_check.py:
can Meta fetch photos and videos from public_url or the bucket?). Nothing is written: the
database is opened read-only (no migration, no chmod, no file created), and only when it exists.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any

import httpx

from bot.config import Config
from bot.events import SourceKind
from bot.links import parse_webhook_url
from bot.runtime.check_result import Check
from bot.runtime.credentials import threads_client
from bot.runtime.media_check import check_media
from bot.runtime.preflight import delivery_notice, health_problem, storage_problem_of
from bot.runtime.runlock import running_pid
from bot.threads.errors import AuthError, PermissionDenied, ThreadsError, TransientError
from bot.tls import tls_context
from jobs.discovery_plan import Activity, plan_intervals, sustainable_rate
from storage.database import StorageError, open_readonly
from storage.discovery import DiscoveryLedger
from storage.sources import Sources
from storage.tokens import Tokens


async def run_checks(
    config: Config,
    config_path: str,
    *,
    health_port: int | None = None,
    env: Mapping[str, str] | None = None,
) -> AsyncIterator[Check]:
    """Every check in order; `env` is where S3 credentials are read (os.environ if None)."""
    yield Check("config", True, f"{config_path} is valid")
    for check in _local_checks(config, health_port):
        yield check
    yield await _check_threads(config)
    if config.telegram.token is not None:
        async for check in _check_telegram(config):
            yield check
    if config.discord.token is not None:
        async for check in _check_discord(config):
            yield check
        async for check in _check_webhooks(config):
            yield check
    async for check in check_media(config, os.environ if env is None else env):
        yield check


def _local_checks(config: Config, health_port: int | None) -> list[Check]:
    checks = []
    storage = storage_problem_of(config)
    if storage is not None:
        checks.append(Check(storage.key, False, storage.detail, local=True))
    health = health_problem(config, health_port)
    if health is not None:
        pid = running_pid(config.storage.path)
        if pid is not None and health.key != "server.health_host":
            # The running bridge holds its own port: that is no reason to refuse.
            checks.append(Check(health.key, True, f"in use by the running bridge (pid {pid})"))
        else:
            checks.append(Check(health.key, False, health.detail, local=True))
    notice = delivery_notice(config)
    if notice is not None:
        checks.append(Check("chat", True, notice, warning=True))
    short = _discovery_shortfall(config)
    if short is not None:
        checks.append(Check("threads.discovery_budget", True, short, warning=True))
    return checks


def _discovery_shortfall(config: Config) -> str | None:
    """A warning when the public profiles to watch (the [[feeds]] and the database's) cannot
    all be checked once per max_poll_interval within the discovery budget."""
    settings = config.threads
    profiles = {f.profile.lower().lstrip("@") for f in config.feeds} - {"me"}
    now = time.time()
    calls: list[float] = []
    path = Path(config.storage.path)
    if path.is_file():
        try:
            db = open_readonly(path)
        except StorageError:
            db = None  # the storage line says what is wrong
        if db is not None:
            try:
                calls = DiscoveryLedger(db).times(now)
                profiles |= {s.key for s in Sources(db).active() if s.kind is SourceKind.PROFILE}
            except sqlite3.Error:
                pass  # a database from before the ledger: `run` migrates it
            finally:
                db.close()
    reserve = min(settings.discovery_reserve, settings.discovery_budget - 1)
    plan = plan_intervals(
        [Activity(key) for key in sorted(profiles)],
        now=now,
        calls_per_day=sustainable_rate(calls, now=now, limit=settings.discovery_budget - reserve),
        poll_interval=settings.poll_interval,
        max_poll_interval=max(settings.max_poll_interval, settings.poll_interval),
    )
    used = len(calls)
    if plan.fits:
        return None
    slowest = max(plan.intervals.values())
    slowest_wanted = max(settings.max_poll_interval, settings.poll_interval)
    return (
        f"{len(profiles)} public profiles cannot all be checked every "
        f"{slowest_wanted:.0f} s within {settings.discovery_budget:,} lookups a "
        f"day ({used:,} used in the last 24 h); they will be checked about every "
        f"{slowest / 60:.0f} min. Watch fewer, or raise threads.max_poll_interval"
    )


def _stored_or_configured_token(config: Config) -> str | None:
    """What `run` would use, read without writing anything."""
    configured = config.threads.access_token.reveal() if config.threads.access_token else None
    path = Path(config.storage.path)
    if not path.is_file():
        return configured
    try:
        db = open_readonly(path)
    except StorageError:
        return configured  # the storage line above already says what is wrong
    try:
        stored = Tokens(db).effective(configured)
    except sqlite3.Error:
        return configured  # a database older than the tokens table: `run` migrates it
    finally:
        db.close()
    return stored.token if stored is not None else configured


def _json(response: httpx.Response) -> dict[str, Any] | None:
    """The body as JSON, or None when it is something else (a proxy's HTML error page)."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _not_json(service: str, response: httpx.Response, key: str) -> str:
    return (
        f"{service} answered {response.status_code} with something that is not its API's "
        f"JSON (a proxy or an outage?); try again later, or check {key}"
    )


async def _check_threads(config: Config) -> Check:
    token = _stored_or_configured_token(config)
    if token is None:
        return Check(
            "threads",
            False,
            "no access token: set threads.access_token or "
            "THREADS_ACCESS_TOKEN, or sign in with `threads-bridge auth url`",
        )
    async with threads_client(config, token) as client:
        try:
            me = await client.me()
        except AuthError as exc:
            return Check(
                "threads",
                False,
                f"the access token was rejected ({exc.reason}); "
                "sign in again with `threads-bridge auth url`",
            )
        except PermissionDenied as exc:
            return Check(
                "threads",
                False,
                f"a permission is missing ({exc.reason}); grant "
                "threads_basic to the app and sign in again",
            )
        except TransientError as exc:
            return Check(
                "threads",
                False,
                f"could not reach {config.threads.api_base} "
                f"({exc.reason}); check the network and threads.api_base",
            )
        except ThreadsError as exc:
            return Check("threads", False, exc.reason)
    return Check("threads", True, f"connected as @{me.username}")


async def _check_telegram(config: Config) -> AsyncIterator[Check]:
    assert config.telegram.token is not None
    # Plain HTTP rather than python-telegram-bot: the core never imports a chat library. The
    # Bot API URL carries the token; httpx's request log is off and our logs redact it.
    base = _telegram_base(config.telegram.api_base, config.telegram.token.reveal())
    async with httpx.AsyncClient(timeout=10, verify=tls_context()) as http:
        try:
            me = await http.post(f"{base}/getMe")
        except httpx.HTTPError as exc:
            yield Check(
                "telegram",
                False,
                f"could not reach {config.telegram.api_base} "
                f"({type(exc).__name__}); check the network and telegram.api_base",
            )
            return
        if me.status_code in (401, 404):
            yield Check(
                "telegram",
                False,
                "the bot token was refused; copy it again from "
                "@BotFather into telegram.token or TELEGRAM_BOT_TOKEN",
            )
            return
        body = _json(me)
        if body is None:
            yield Check("telegram", False, _not_json("Telegram", me, "telegram.api_base"))
            return
        if me.status_code != 200:
            yield Check("telegram", False, f"Telegram answered {me.status_code}")
            return
        yield Check("telegram", True, f"bot @{(body.get('result') or {}).get('username')}")
        for index, feed in enumerate(config.feeds):
            if feed.telegram_chat is not None:
                yield await _telegram_chat(http, base, index, feed.telegram_chat)


def _telegram_base(api_base: str, token: str) -> str:
    """As python-telegram-bot builds it: a {token} placeholder, or the token appended."""
    if "{token}" in api_base:
        return api_base.format(token=token).rstrip("/")
    return f"{api_base}{token}"


async def _telegram_chat(http: httpx.AsyncClient, base: str, index: int, chat_id: int) -> Check:
    name = f"feeds[{index}].telegram_chat"
    try:
        answer = await http.post(f"{base}/getChat", data={"chat_id": str(chat_id)})
    except httpx.HTTPError as exc:
        return Check(name, False, f"could not ask Telegram about chat {chat_id} ({exc!r})")
    body = _json(answer)
    if body is None:
        return Check(name, False, _not_json("Telegram", answer, "telegram.api_base"))
    if answer.status_code != 200:
        reason = body.get("description", answer.status_code)
        return Check(
            name,
            False,
            f"the bot cannot reach chat {chat_id} ({reason}); add the "
            "bot to the group, or as an admin of the channel",
        )
    chat = body.get("result") or {}
    title = chat.get("title") or chat.get("first_name") or chat_id
    return Check(name, True, f"{chat.get('type')} {title}")


async def _check_discord(config: Config) -> AsyncIterator[Check]:
    assert config.discord.token is not None
    headers = {"Authorization": f"Bot {config.discord.token.reveal()}"}
    base = config.discord.api_base.rstrip("/")
    async with httpx.AsyncClient(headers=headers, timeout=10, verify=tls_context()) as http:
        try:
            response = await http.get(f"{base}/users/@me")
        except httpx.HTTPError as exc:
            yield Check(
                "discord",
                False,
                f"could not reach {base} ({type(exc).__name__}); "
                "check the network and discord.api_base",
            )
            return
        if response.status_code == 401:
            yield Check(
                "discord",
                False,
                "the bot token was refused; reset it in the "
                "developer portal (Bot -> Reset Token) and update discord.token",
            )
            return
        body = _json(response)
        if response.status_code != 200 or body is None:
            yield Check("discord", False, f"Discord answered {response.status_code}")
            return
        yield Check("discord", True, f"bot {body.get('username')}")
        for index, feed in enumerate(config.feeds):
            if feed.discord_channel is not None:
                yield await _discord_channel(http, base, index, feed.discord_channel)


async def _discord_channel(http: httpx.AsyncClient, base: str, index: int, channel: int) -> Check:
    name = f"feeds[{index}].discord_channel"
    response = await http.get(f"{base}/channels/{channel}")
    if response.status_code in (403, 404):
        return Check(
            name,
            False,
            f"the bot cannot see channel {channel}; invite it to the "
            "server and give it View Channels and Send Messages there",
        )
    body = _json(response)
    if response.status_code != 200 or body is None:
        return Check(name, False, f"Discord answered {response.status_code}")
    return Check(name, True, f"#{body.get('name')}")


async def _check_webhooks(config: Config) -> AsyncIterator[Check]:
    """A webhook answers GET with its channel while it exists; a deleted one answers 404.
    Asked without the bot token: the webhook's own token is its credential."""
    base = config.discord.api_base.rstrip("/")
    async with httpx.AsyncClient(timeout=10, verify=tls_context()) as http:
        for index, feed in enumerate(config.feeds):
            if feed.discord_webhook is None:
                continue
            parsed = parse_webhook_url(feed.discord_webhook.reveal())
            if parsed is None:  # the configuration refuses these; kept for the type
                continue
            yield await _discord_webhook(http, base, f"feeds[{index}].discord_webhook", *parsed)


async def _discord_webhook(
    http: httpx.AsyncClient, base: str, name: str, webhook_id: str, token: str
) -> Check:
    try:
        response = await http.get(f"{base}/webhooks/{webhook_id}/{token}")
    except httpx.HTTPError as exc:
        return Check(name, False, f"could not reach {base} ({type(exc).__name__})")
    body = _json(response)
    if response.status_code in (401, 404):
        return Check(
            name,
            False,
            f"Discord does not know webhook {webhook_id} (deleted, or its token was reset); "
            "create one in the channel's settings (Integrations -> Webhooks) and put its URL "
            "here",
        )
    if response.status_code != 200 or body is None:
        return Check(name, False, f"Discord answered {response.status_code}")
    return Check(name, True, f"webhook {body.get('name')} into channel {body.get('channel_id')}")
