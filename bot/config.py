"""Configuration: a TOML file (plus environment variables) -> frozen dataclasses.

Every section is a dataclass below; its fields are the keys, their annotations the types, their
metadata the documentation hooks (`env` for a secret that may come from the environment, `min`
and `max` for bounds, `url` for the schemes a URL may have, `timezone` for an IANA zone name,
`expected` for how the type reads in an error). The loader walks those
definitions, so a new key is one line here plus its comment in config.example.toml.

A mistake stops everything with one `ConfigError` naming the dotted key and what is wrong.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Union
from urllib.parse import urlsplit

from bot.events import FeedSettings
from bot.links import parse_username, parse_webhook_url
from bot.secret import Secret
from bot.settings_words import SettingError
from bot.settings_words import check as check_settings
from bot.threads.client import DEFAULT_API_BASE
from bot.zones import find_zone


class ConfigError(Exception):
    """A configuration mistake: the message starts with the dotted key it concerns."""


@dataclass(frozen=True, slots=True)
class ThreadsConfig:
    access_token: Secret | None = field(default=None, metadata={"env": "THREADS_ACCESS_TOKEN"})
    api_base: str = field(default=DEFAULT_API_BASE, metadata={"url": ("http", "https")})
    app_id: str | None = None
    app_secret: Secret | None = field(default=None, metadata={"env": "THREADS_APP_SECRET"})
    poll_interval: float = field(default=300.0, metadata={"min": 1.0})
    redirect_uri: str | None = None
    # Meta's Profile Discovery budget (profile_posts + profile_lookup, per rolling 24 h), the
    # part of it kept for people's commands, and the slowest a public profile is polled
    # while the budget allows.
    discovery_budget: int = field(default=1000, metadata={"min": 1})
    discovery_reserve: int = field(default=100, metadata={"min": 0})
    max_poll_interval: float = field(default=3600.0, metadata={"min": 1.0})
    # Meta's keyword-search budget (keyword_search, per rolling 24 h; a search that finds
    # nothing is free): search watches are planned within it like profiles within discovery.
    search_budget: int = field(default=2200, metadata={"min": 1})


@dataclass(frozen=True, slots=True)
class StorageConfig:
    path: str = "threads-bridge.db"


@dataclass(frozen=True, slots=True)
class TelegramConfig:
    token: Secret | None = field(default=None, metadata={"env": "TELEGRAM_BOT_TOKEN"})
    # python-telegram-bot appends the token to this (or fills a `{token}` placeholder).
    api_base: str = field(
        default="https://api.telegram.org/bot", metadata={"url": ("http", "https")}
    )
    publishers: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    admins: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    # People who may propose posts but not publish: theirs wait in review_chat for a publisher.
    contributors: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    review_chat: int | None = field(default=None, metadata={"expected": "a chat id"})
    # Where files are downloaded from: by default api_base with /bot -> /file/bot (a
    # self-hosted Bot API server may serve them elsewhere). Holds the token, like api_base.
    file_api_base: str | None = field(default=None, metadata={"url": ("http", "https")})

    @property
    def enabled(self) -> bool:
        return self.token is not None


@dataclass(frozen=True, slots=True)
class DiscordConfig:
    token: Secret | None = field(default=None, metadata={"env": "DISCORD_BOT_TOKEN"})
    api_base: str = field(
        default="https://discord.com/api/v10", metadata={"url": ("http", "https")}
    )
    gateway_url: str | None = field(default=None, metadata={"url": ("ws", "wss")})
    guild_ids: tuple[int, ...] = field(default=(), metadata={"expected": "a list of guild ids"})
    publishers: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    publisher_roles: tuple[int, ...] = field(
        default=(), metadata={"expected": "a list of role ids"}
    )
    admins: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    contributors: tuple[int, ...] = field(default=(), metadata={"expected": "a list of user ids"})
    contributor_roles: tuple[int, ...] = field(
        default=(), metadata={"expected": "a list of role ids"}
    )
    review_chat: int | None = field(default=None, metadata={"expected": "a channel id"})

    @property
    def enabled(self) -> bool:
        return self.token is not None


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A declared subscription: `profile` (a username, "me", or the connected account's
    "replies" / "mentions"; "@replies" is the profile of that name) into one or more chats."""

    profile: str
    telegram_chat: int | None = field(default=None, metadata={"expected": "a chat id"})
    telegram_topic: int | None = field(
        default=None, metadata={"expected": "a forum topic id (message_thread_id)"}
    )
    discord_channel: int | None = field(default=None, metadata={"expected": "a channel id"})
    # A webhook URL carries its own token: kept as a secret so it never shows in a log.
    discord_webhook: Secret | None = field(default=None, metadata={"expected": "a webhook URL"})
    # Threads lets a post be edited for 15 minutes: "update" delivers at once and edits the
    # chat message if the text changed once the window closed; "hold" waits for the window.
    edits: str = field(default="update", metadata={"choices": ("update", "hold")})
    # A delivered post deleted on Threads: its chat messages deleted ("remove"), or edited to
    # say so ("mark").
    deleted: str = field(default="remove", metadata={"choices": ("remove", "mark")})
    # What this feed lets through and how its posts read (as /settings shows them).
    include: tuple[str, ...] = field(default=(), metadata={"expected": "a list of words"})
    exclude: tuple[str, ...] = field(default=(), metadata={"expected": "a list of words"})
    regex: str | None = None
    replies: bool = True
    reposts: bool = True
    quotes: bool = True
    media_only: bool = False
    template: str | None = None

    def settings(self) -> FeedSettings:
        """The subscriptions' settings this feed declares."""
        return FeedSettings(
            include=tuple(w.strip() for w in self.include if w.strip()),
            exclude=tuple(w.strip() for w in self.exclude if w.strip()),
            regex=self.regex or None,
            replies=self.replies,
            reposts=self.reposts,
            quotes=self.quotes,
            media_only=self.media_only,
            template=self.template or None,
        )


@dataclass(frozen=True, slots=True)
class CrosspostConfig:
    """A chat whose messages are published to Threads by themselves (bot/crosspost.py)."""

    telegram_chat: int | None = field(default=None, metadata={"expected": "a chat id"})
    discord_channel: int | None = field(default=None, metadata={"expected": "a channel id"})
    # "all": every message; "marked": only messages carrying `marker`, which is removed.
    mode: str = field(default="all", metadata={"choices": ("all", "marked")})
    marker: str = "#threads"
    approval: bool = False  # each post waits in review for a publisher's Approve
    include_forwards: bool = False
    # Appended to the text; {link} is the chat message's link, {chat} the chat's name.
    footer: str | None = None
    topic_tag: str | None = None  # the posts' topic (a hashtag, '#' optional)
    delete_follows: bool = False  # a deleted chat message deletes its Threads post
    # The post coming back through a watched "me" into this chat: not delivered ("skip"),
    # or delivered with a "(cross-posted from here)" line ("mark").
    echo: str = field(default="skip", metadata={"choices": ("skip", "mark")})


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True, slots=True)
class DigestConfig:
    """The account's insights posted into a chat by themselves (bot/insights/digest.py)."""

    telegram_chat: int | None = field(default=None, metadata={"expected": "a chat id"})
    discord_channel: int | None = field(default=None, metadata={"expected": "a channel id"})
    # "week": the 7 days before the digest's day; "day": the day before.
    every: str = field(default="week", metadata={"choices": ("week", "day")})
    at: str = "09:00"  # HH:MM in [publishing] timezone
    weekday: str = field(default="monday", metadata={"choices": WEEKDAYS})  # "week" only


@dataclass(frozen=True, slots=True)
class ServerConfig:
    health_port: int | None = field(
        default=None, metadata={"min": 1, "max": 65535, "expected": "a port"}
    )
    health_host: str = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class WebhooksConfig:
    """Threads webhooks (optional push), served on the health server (bot/runtime/webhooks.py).
    Their signatures are checked with threads.app_secret."""

    path: str | None = None  # e.g. "/threads/webhook"; unset: no webhooks
    verify_token: Secret | None = field(
        default=None, metadata={"env": "THREADS_WEBHOOK_VERIFY_TOKEN"}
    )

    @property
    def enabled(self) -> bool:
        return self.path is not None


@dataclass(frozen=True, slots=True)
class PublishingConfig:
    # A /post longer than one Threads post (500): a reply chain of posts, or one post whose
    # first part is the text and the rest a text attachment (up to 10,000 characters).
    long_text: str = field(default="chain", metadata={"choices": ("chain", "attachment")})
    # The time zone /schedule reads and shows times in, unless a chat sets its own (/timezone).
    timezone: str = field(default="UTC", metadata={"timezone": True})


@dataclass(frozen=True, slots=True)
class MediaConfig:
    """Where photos and videos from chat wait for Meta to fetch them (bot/media/)."""

    backend: str = field(default="relay", metadata={"choices": ("relay", "s3")})
    # relay: the public HTTPS address that reaches listen_host:listen_port (a reverse proxy
    # or tunnel in front of the bridge). Meta fetches the files from there.
    public_url: str | None = field(default=None, metadata={"url": ("http", "https")})
    listen_host: str = "127.0.0.1"
    listen_port: int = field(default=8788, metadata={"min": 0, "max": 65535, "expected": "a port"})
    # How long a URL handed to Meta stays valid, and a staged file at most is kept.
    url_lifetime: float = field(default=3600.0, metadata={"min": 60.0, "max": 86400.0})
    # s3: the bucket (credentials from the environment: AWS_ACCESS_KEY_ID, ...).
    bucket: str | None = None
    endpoint: str | None = field(default=None, metadata={"url": ("http", "https")})
    region: str | None = None
    prefix: str = "threads-bridge/"


@dataclass(frozen=True, slots=True)
class Config:
    threads: ThreadsConfig = field(default_factory=ThreadsConfig)
    storage: StorageConfig = field(default_factory=StorageConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    server: ServerConfig = field(default_factory=ServerConfig)
    publishing: PublishingConfig = field(default_factory=PublishingConfig)
    media: MediaConfig = field(default_factory=MediaConfig)
    webhooks: WebhooksConfig = field(default_factory=WebhooksConfig)
    feeds: tuple[FeedConfig, ...] = ()
    # Read from [[crosspost]] tables (one chat each).
    crossposts: tuple[CrosspostConfig, ...] = field(default=(), metadata={"key": "crosspost"})
    # Read from [[digest]] tables (one chat each).
    digests: tuple[DigestConfig, ...] = field(default=(), metadata={"key": "digest"})


def load_config(
    path: str | Path,
    *,
    env: Mapping[str, str] | None = None,
    require_threads_token: bool = True,
) -> Config:
    """Read, interpolate, validate. Relative paths inside are taken from the file's folder."""
    env = os.environ if env is None else env
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ConfigError(
            f"{path}: is a folder; pass the configuration file, e.g. {path / 'config.toml'}"
        ) from None
    except PermissionError:
        raise ConfigError(
            f"{path}: not readable by this user (uid {os.geteuid()}); make it readable "
            "(chown/chmod) or run as its owner"
        ) from None
    except UnicodeDecodeError as exc:
        line = exc.object[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (line {line}); save the file as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    config = parse_config(raw, env=env, base_dir=path.parent)
    if require_threads_token and config.threads.access_token is None:
        raise ConfigError(
            "threads.access_token: missing; set it in the file or in THREADS_ACCESS_TOKEN"
        )
    return config


def parse_config(
    raw: Mapping[str, Any], *, env: Mapping[str, str], base_dir: Path | None = None
) -> Config:
    """Build a Config from already-parsed TOML (tests use this with a dict)."""
    config: Config = _build(Config, raw, "", env)
    if not config.storage.path.strip():
        raise ConfigError(
            "storage.path: empty; set it to the database file, e.g. threads-bridge.db"
        )
    _check_feeds(config)
    _check_reviews(config)
    _check_crossposts(config)
    _check_webhooks(config)
    _check_digests(config)
    if base_dir is not None and not Path(config.storage.path).is_absolute():
        storage = StorageConfig(path=str(base_dir / config.storage.path))
        config = Config(**{**_as_kwargs(config), "storage": storage})
    return config


def _check_feeds(config: Config) -> None:
    """Cross-key rules the types cannot say."""
    for index, feed in enumerate(config.feeds):
        where = f"feeds[{index}]"
        if feed.profile != "me" and parse_username(feed.profile) is None:
            raise ConfigError(f"{where}.profile: not a Threads username: {feed.profile!r}")
        try:
            check_settings(feed.settings())
        except SettingError as exc:
            raise ConfigError(f"{where}.{exc}") from None
        # Before the general rule: a topic alone is a chat id left out, and saying so is
        # more useful than "needs a destination".
        if feed.telegram_topic is not None and feed.telegram_chat is None:
            raise ConfigError(
                f"{where}.telegram_topic: needs telegram_chat (the id of the forum supergroup "
                "the topic belongs to)"
            )
        if (
            feed.telegram_chat is None
            and feed.discord_channel is None
            and (feed.discord_webhook is None)
        ):
            raise ConfigError(
                f"{where}: needs a destination (telegram_chat, discord_channel or discord_webhook)"
            )
        if feed.telegram_chat is not None and not config.telegram.enabled:
            raise ConfigError(
                f"{where}.telegram_chat: needs a Telegram bot token "
                "(telegram.token or TELEGRAM_BOT_TOKEN)"
            )
        for key in ("discord_channel", "discord_webhook"):
            if getattr(feed, key) is not None and not config.discord.enabled:
                raise ConfigError(
                    f"{where}.{key}: needs a Discord bot token "
                    "(discord.token or DISCORD_BOT_TOKEN)"
                )
        if (
            feed.discord_webhook is not None
            and parse_webhook_url(feed.discord_webhook.reveal()) is None
        ):
            raise ConfigError(
                f"{where}.discord_webhook: expected https://discord.com/api/webhooks/ID/TOKEN"
            )


def _check_reviews(config: Config) -> None:
    """Contributors' posts wait in a review chat: without one they could never be decided."""
    for platform, section in (("telegram", config.telegram), ("discord", config.discord)):
        proposers = [("contributors", section.contributors)]
        if isinstance(section, DiscordConfig):
            proposers.append(("contributor_roles", section.contributor_roles))
        for key, listed in proposers:
            if listed and section.review_chat is None:
                raise ConfigError(
                    f"{platform}.{key}: needs {platform}.review_chat (the chat where publishers "
                    "approve or reject the posts contributors propose)"
                )


def _check_digests(config: Config) -> None:
    for index, digest in enumerate(config.digests):
        where = f"digest[{index}]"
        chats = [
            key for key in ("telegram_chat", "discord_channel") if getattr(digest, key) is not None
        ]
        if len(chats) != 1:
            raise ConfigError(f"{where}: needs exactly one of telegram_chat or discord_channel")
        platform = config.telegram if chats[0] == "telegram_chat" else config.discord
        if not platform.enabled:
            which = "Telegram" if chats[0] == "telegram_chat" else "Discord"
            raise ConfigError(f"{where}.{chats[0]}: needs a {which} bot token")
        if digest_time(digest.at) is None:
            raise ConfigError(f"{where}.at: expected a time of day as HH:MM, got {digest.at!r}")


def digest_time(text: str) -> tuple[int, int] | None:
    """ "09:00" -> (9, 0); None when it is no time of day."""
    hours, colon, minutes = text.strip().partition(":")
    if not (colon and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        return None
    hour, minute = int(hours), int(minutes)
    return (hour, minute) if hour < 24 and minute < 60 else None


def _check_crossposts(config: Config) -> None:
    seen: set[tuple[str, int]] = set()
    for index, rule in enumerate(config.crossposts):
        where = f"crosspost[{index}]"
        chats = [
            (key, getattr(rule, key))
            for key in ("telegram_chat", "discord_channel")
            if getattr(rule, key) is not None
        ]
        if len(chats) != 1:
            raise ConfigError(f"{where}: needs exactly one of telegram_chat or discord_channel")
        key, chat = chats[0]
        platform = config.telegram if key == "telegram_chat" else config.discord
        if not platform.enabled:
            which = "Telegram" if key == "telegram_chat" else "Discord"
            raise ConfigError(f"{where}.{key}: needs a {which} bot token")
        if (key, chat) in seen:
            raise ConfigError(f"{where}.{key}: {chat} has a [[crosspost]] entry already")
        seen.add((key, chat))
        if not rule.marker.strip():
            raise ConfigError(f"{where}.marker: empty; leave it out for #threads")
        review_chats = (config.telegram.review_chat, config.discord.review_chat)
        if rule.approval and all(chat is None for chat in review_chats):
            raise ConfigError(
                f"{where}.approval: needs a review chat (telegram.review_chat or "
                "discord.review_chat) where publishers approve or reject the posts"
            )
        tag = (rule.topic_tag or "").removeprefix("#")
        if rule.topic_tag is not None and (not tag or any(c in tag for c in ".& ")):
            raise ConfigError(
                f"{where}.topic_tag: a hashtag of 1 to 50 characters without '.', '&' or "
                f"spaces, got {rule.topic_tag!r}"
            )


def _check_webhooks(config: Config) -> None:
    """Webhooks are served by the health server and signed with the app secret."""
    path = config.webhooks.path
    if path is None:
        return
    if not path.startswith("/") or path in ("/healthz", "/metrics") or " " in path:
        raise ConfigError(
            f'webhooks.path: expected a path such as "/threads/webhook" (not /healthz or '
            f"/metrics), got {path!r}"
        )
    needs = (
        ("server.health_port", config.server.health_port),
        ("threads.app_secret", config.threads.app_secret),
        ("webhooks.verify_token", config.webhooks.verify_token),
    )
    for key, value in needs:
        if value is None:
            why = {
                "server.health_port": "the health server is where Meta's webhooks arrive",
                "threads.app_secret": "it checks every event's X-Hub-Signature-256",
                "webhooks.verify_token": "Meta's verification request must match it; or set "
                "THREADS_WEBHOOK_VERIFY_TOKEN",
            }[key]
            raise ConfigError(f"webhooks.path: needs {key} ({why})")


def _did_you_mean(key: str, known: Mapping[str, object]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _as_kwargs(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _build(cls: type[Any], raw: object, where: str, env: Mapping[str, str]) -> Any:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where or 'config'}: expected a table of keys")
    hints = typing.get_type_hints(cls)
    # A field's key in the file is its name, unless its metadata names another (`key`).
    known = {f.metadata.get("key", f.name): f for f in fields(cls)}
    for key in raw:
        if key not in known:
            what = "section" if not where else "key"
            raise ConfigError(f"{_join(where, key)}: unknown {what}{_did_you_mean(key, known)}")
    values: dict[str, Any] = {}
    for key, spec in known.items():
        name = spec.name
        dotted = _join(where, key)
        kind = hints[name]
        if key in raw:
            values[name] = _convert(raw[key], kind, dotted, env, spec.metadata)
        elif "env" in spec.metadata and env.get(spec.metadata["env"]):
            values[name] = _convert(env[spec.metadata["env"]], kind, dotted, env, spec.metadata)
        elif spec.default is MISSING and spec.default_factory is MISSING:
            raise ConfigError(f"{dotted}: missing")
        elif _is_section(kind):
            values[name] = _build(kind, {}, dotted, env)
    return cls(**values)


def _convert(
    value: object, kind: Any, key: str, env: Mapping[str, str], meta: Mapping[str, Any]
) -> Any:
    expected = meta.get("expected")
    if isinstance(value, str):
        value = _interpolate(value, key, env)
    if _is_section(kind):
        return _build(kind, value, key, env)
    origin = typing.get_origin(kind)
    if origin in (Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        if value == "" and type(None) in typing.get_args(kind):
            return None
        return _convert(value, options[0], key, env, meta)
    if origin in (list, tuple):
        (item_kind, *_) = typing.get_args(kind)
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected {expected or 'a list'}")
        items = [
            _convert(item, item_kind, f"{key}[{index}]", env, {})
            for index, item in enumerate(value)
        ]
        return tuple(items) if origin is tuple else items
    converted = _scalar(value, kind)
    if converted is None:
        # A secret of the wrong type is still a secret: its value is not repeated.
        got = f", got {type(value).__name__}" if kind is Secret else f", got {value!r}"
        raise ConfigError(f"{key}: expected {expected or _DESCRIBE[kind]}{got}")
    if kind is float and not math.isfinite(converted):
        raise ConfigError(f"{key}: expected a finite number, got {value!r}")
    if "min" in meta and converted < meta["min"]:
        raise ConfigError(f"{key}: must be at least {meta['min']}, got {value!r}")
    if "max" in meta and converted > meta["max"]:
        raise ConfigError(f"{key}: must be at most {meta['max']}, got {value!r}")
    if "choices" in meta and converted not in meta["choices"]:
        choices = " or ".join(f'"{choice}"' for choice in meta["choices"])
        raise ConfigError(f"{key}: expected {choices}, got {value!r}")
    if meta.get("timezone"):
        zone = find_zone(converted)
        if zone is None:
            raise ConfigError(
                f'{key}: expected an IANA time zone such as "Europe/Berlin", got {value!r}'
            )
        converted = zone
    if "url" in meta and not _is_url(converted, meta["url"]):
        schemes = " or ".join(f"{scheme}://" for scheme in meta["url"])
        raise ConfigError(f"{key}: expected a URL starting with {schemes}, got {value!r}")
    return converted


def _is_url(value: str, schemes: tuple[str, ...]) -> bool:
    try:
        parts = urlsplit(value)
        return parts.scheme in schemes and bool(parts.hostname)
    except ValueError:  # an unclosed [IPv6] bracket, a port that is not a number
        return False


_DESCRIBE: dict[Any, str] = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    Secret: "a string",
}


def _scalar(value: object, kind: Any) -> Any:
    if kind is bool:
        return value if isinstance(value, bool) else None
    if isinstance(value, bool):
        return None  # TOML `true` is never a number or a string here
    if kind is int:
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)  # ids in ${VAR} interpolations arrive as strings
        return value if isinstance(value, int) else None
    if kind is float:
        return float(value) if isinstance(value, int | float) else None
    if kind is str:
        return value if isinstance(value, str) else None
    if kind is Secret:
        return Secret(value) if isinstance(value, str) and value else None
    raise TypeError(f"no conversion for {kind!r}")


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _interpolate(value: str, key: str, env: Mapping[str, str]) -> str:
    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in env:
            raise ConfigError(f"{key}: environment variable {name} is not set")
        return env[name]

    return _VAR.sub(lookup, value)


def _is_section(kind: Any) -> bool:
    return isinstance(kind, type) and is_dataclass(kind)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key
