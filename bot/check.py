"""`threads-bridge check`: is the configuration right, and does every service accept it?

One line per check, saying what to fix when it fails. Nothing is written: the database is only
read, and only when it exists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.config import Config
from bot.credentials import threads_client
from bot.threads.errors import AuthError, PermissionDenied, ThreadsError, TransientError
from storage.store import Store


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.name}: {self.detail}"


async def run_checks(config: Config, config_path: str) -> AsyncIterator[Check]:
    yield Check("config", True, f"{config_path} is valid")
    yield await _check_threads(config)
    if config.telegram.token is not None:
        async for check in _check_telegram(config):
            yield check
    if config.discord.token is not None:
        async for check in _check_discord(config):
            yield check


def _stored_or_configured_token(config: Config) -> str | None:
    """What `run` would use, read without writing anything."""
    configured = config.threads.access_token.reveal() if config.threads.access_token else None
    path = Path(config.storage.path)
    if not path.exists():
        return configured
    store = Store.open(path)
    try:
        stored = store.tokens.effective(configured)
    finally:
        store.close()
    return stored.token if stored is not None else configured


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
    async with httpx.AsyncClient(timeout=10) as http:
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
        if me.status_code != 200:
            yield Check("telegram", False, f"Telegram answered {me.status_code}")
            return
        yield Check("telegram", True, f"bot @{me.json()['result'].get('username')}")
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
    answer = await http.post(f"{base}/getChat", data={"chat_id": str(chat_id)})
    if answer.status_code != 200:
        reason = answer.json().get("description", answer.status_code)
        return Check(
            name,
            False,
            f"the bot cannot reach chat {chat_id} ({reason}); add the "
            "bot to the group, or as an admin of the channel",
        )
    chat = answer.json()["result"]
    title = chat.get("title") or chat.get("first_name") or chat_id
    return Check(name, True, f"{chat.get('type')} {title}")


async def _check_discord(config: Config) -> AsyncIterator[Check]:
    assert config.discord.token is not None
    headers = {"Authorization": f"Bot {config.discord.token.reveal()}"}
    base = config.discord.api_base.rstrip("/")
    async with httpx.AsyncClient(headers=headers, timeout=10) as http:
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
        if response.status_code != 200:
            yield Check("discord", False, f"Discord answered {response.status_code}")
            return
        yield Check("discord", True, f"bot {response.json().get('username')}")
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
    if response.status_code != 200:
        return Check(name, False, f"Discord answered {response.status_code}")
    return Check(name, True, f"#{response.json().get('name')}")
