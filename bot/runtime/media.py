"""The media store the configuration asks for: the built-in relay (when [media] public_url is
set), an S3 bucket, or none (posting photos and videos from chat is then off, in words)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock
from bot.config import Config
from bot.media.relay import SECRET_STATE, MediaRelay, relay_secret
from bot.media.staging import MediaStore
from storage.store import Store

log = logging.getLogger(__name__)


def relay_directory(config: Config) -> Path:
    """Staged files live beside the database (`bridge.db` -> `bridge.db.media/`)."""
    database = Path(config.storage.path)
    return database.with_name(database.name + ".media")


def build_relay(config: Config, store: Store, clock: Clock) -> MediaRelay:
    """The relay with its signing key, made once and kept in the database (so URLs handed out
    before a restart stay valid after it)."""
    secret, new = relay_secret(store.state.get(SECRET_STATE))
    if new is not None:
        store.state.put(SECRET_STATE, new)
    media = config.media
    return MediaRelay(
        relay_directory(config),
        secret,
        media.public_url,
        lifetime=media.url_lifetime,
        clock=clock,
    )


def build_media_store(
    config: Config, store: Store, clock: Clock, env: Mapping[str, str] | None = None
) -> tuple[MediaStore | None, MediaRelay | None]:
    """The store for the pipeline, and the relay to start and stop (when it is the store)."""
    media = config.media
    if media.backend == "s3":
        from bot.media.s3 import S3Store  # boto3 loads only for a bridge that uses it

        return S3Store.from_config(media, os.environ if env is None else env), None
    if media.public_url is None:
        log.info("[media] public_url is not set: publishing photos and videos from chat is off")
        return None, None
    relay = build_relay(config, store, clock)
    return relay, relay


@dataclass(frozen=True, slots=True)
class MediaStatus:
    """What /healthz says of the media store: "off", "s3", or "relay" and whether it runs."""

    store: str
    running: bool | None = None  # the relay only

    @property
    def degraded(self) -> bool:
        """A relay that should serve but does not (its port was taken): text still posts."""
        return self.store == "relay" and not self.running

    def as_json(self) -> dict[str, object]:
        body: dict[str, object] = {"store": self.store}
        if self.running is not None:
            body["running"] = self.running
        return body


def media_status(config: Config, relay: MediaRelay | None) -> MediaStatus:
    if relay is not None:
        return MediaStatus("relay", relay.running)
    return MediaStatus("s3" if config.media.backend == "s3" else "off")
