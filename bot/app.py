"""The composition root: config -> store -> Threads -> bridge -> adapters -> delivery ->
scheduler, started in that order and stopped in reverse."""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress

from adapters.base import ChatAdapter
from bot.bridge import Bridge
from bot.commands import Context
from bot.config import Config
from bot.events import Destination, Profile
from bot.feeds import reconcile_feeds
from bot.links import parse_webhook_url
from bot.recovery import settle_publications
from bot.threads.client import ThreadsClient
from bot.threads.errors import ThreadsError
from bot.threads.publish import Publisher
from jobs.delivery import DeliveryWorker
from jobs.polling import SourcePoller
from jobs.scheduler import PollScheduler
from storage.store import Store

log = logging.getLogger(__name__)


class BridgeApp:
    """Everything `threads-bridge run` runs, owned in one place."""

    def __init__(
        self,
        config: Config,
        *,
        threads: ThreadsClient | None = None,
        discord_ready_timeout: float = 2.0,
    ) -> None:
        """`threads` replaces the client built from the config (tests pass one with quick
        retries); `discord_ready_timeout` is how long discord.py waits for more servers after
        the last one arrives before it calls itself ready."""
        self.config = config
        self._discord_ready_timeout = discord_ready_timeout
        token = config.threads.access_token
        self.store = Store.open(config.storage.path)
        self.threads = threads or ThreadsClient(
            token.reveal() if token else None,
            api_base=config.threads.api_base,
            app_id=config.threads.app_id,
            app_secret=config.threads.app_secret.reveal() if config.threads.app_secret else None,
        )
        self.publisher = Publisher(self.threads)
        self.poller = SourcePoller(
            self.store,
            self.threads,
            on_queued=self._wake_delivery,
            connected_account=lambda: self.ctx.me,
        )
        self.scheduler = PollScheduler(self.poller, interval=config.threads.poll_interval)
        self.ctx = Context(
            store=self.store,
            threads=self.threads,
            publisher=self.publisher,
            watcher=self.scheduler,
            publishers={
                "telegram": frozenset(str(u) for u in config.telegram.publishers),
                "discord": frozenset(str(u) for u in config.discord.publishers),
            },
            publisher_roles={"discord": frozenset(str(r) for r in config.discord.publisher_roles)},
        )
        self.bridge = Bridge(self.ctx)
        self.adapters: list[ChatAdapter] = self._build_adapters()
        self.delivery = DeliveryWorker(self.store, {a.platform: a for a in self.adapters})
        self._stopped = False

    def _build_adapters(self) -> list[ChatAdapter]:
        adapters: list[ChatAdapter] = []
        telegram = self.config.telegram
        if telegram.token is not None:
            from adapters.telegram import TelegramAdapter

            adapters.append(
                TelegramAdapter(telegram.token.reveal(), self.bridge, api_base=telegram.api_base)
            )
        discord = self.config.discord
        if discord.token is not None:
            from adapters.discord import DiscordAdapter

            adapters.append(
                DiscordAdapter(
                    discord.token.reveal(),
                    self.bridge,
                    api_base=discord.api_base,
                    gateway_url=discord.gateway_url,
                    guild_ids=discord.guild_ids,
                    guild_ready_timeout=self._discord_ready_timeout,
                    webhooks=dict(
                        parsed
                        for feed in self.config.feeds
                        if feed.discord_webhook is not None
                        and (parsed := parse_webhook_url(feed.discord_webhook.reveal()))
                    ),
                )
            )
        return adapters

    def _wake_delivery(self) -> None:
        self.delivery.wake()

    async def start(self) -> None:
        self.ctx.me = await self._connected_account()
        reconcile_feeds(
            self.store, self.config.feeds, self.ctx.me.username if self.ctx.me else None
        )
        for adapter in self.adapters:
            await adapter.start()
        await settle_publications(self.store, self.publisher, self._notify)
        self.delivery.start()
        self.scheduler.start(self.store.sources.active())
        log.info(
            "bridge running: %d sources, %d adapters",
            len(self.store.sources.active()),
            len(self.adapters),
        )

    async def stop(self) -> None:
        """Stop everything, each step guarded so one failure cannot leave the rest running."""
        if self._stopped:
            return
        self._stopped = True
        self.scheduler.shutdown()
        await self.poller.wait_idle(grace=5.0)
        await self.delivery.stop()  # before the adapters: it sends through them
        for adapter in reversed(self.adapters):
            try:
                await adapter.stop()
            except Exception:
                log.exception("stopping %s failed", adapter.platform)
        await self.threads.aclose()
        self.store.close()

    async def run(self) -> None:
        """Start, run until SIGINT or SIGTERM, stop."""
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await self.start()
            await stop.wait()
            log.info("stopping")
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with suppress(Exception):
                    loop.remove_signal_handler(signum)
            await self.stop()

    async def _connected_account(self) -> Profile | None:
        try:
            me = await self.threads.me()
        except ThreadsError as exc:
            log.error("could not read the connected Threads account: %s", exc)
            return None
        log.info("connected to Threads as @%s", me.username)
        return me

    async def _notify(self, destination: Destination, text: str) -> None:
        for adapter in self.adapters:
            if adapter.platform == destination.platform:
                await adapter.notify(destination, text)
