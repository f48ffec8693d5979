"""The composition root: config -> store -> Threads -> bridge -> adapters -> delivery ->
scheduler (+ housekeeping, + health server), started in that order and stopped in reverse."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import suppress

from adapters.base import ChatAdapter
from bot.bridge import Bridge
from bot.clock import SYSTEM_CLOCK, Clock
from bot.commands import Context
from bot.commands.publish_request import PublishRequest, execute
from bot.config import Config
from bot.crosspost import Autopost
from bot.events import Button, Destination, Image, Profile, SourceKind
from bot.insights.digest import Digests
from bot.loop_guard import LoopGuard
from bot.media.pipeline import MediaPipeline
from bot.review import RETRY_EVERY, ReviewDesk
from bot.runtime.alerts import Alerts
from bot.runtime.credentials import require_token, threads_client
from bot.runtime.feeds import reconcile_feeds
from bot.runtime.health import HealthServer
from bot.runtime.logs import redact
from bot.runtime.media import build_media_store, media_status
from bot.runtime.metrics import Metrics
from bot.runtime.recovery import settle_publications
from bot.runtime.webhooks import WebhookEndpoint
from bot.runtime.wiring import (
    admin_destinations,
    build_adapters,
    configured_secrets,
    review_chats,
)
from bot.tasks import spawn
from bot.threads.client import ThreadsClient
from bot.threads.errors import AuthError, ThreadsError
from bot.threads.publish import Published, Publisher
from jobs.delivery import DeliveryWorker
from jobs.discovery import (
    DiscoveryBudget,
    PlannedPolling,
    interval_by_kind,
    search_allowance,
)
from jobs.discovery_pause import DiscoveryPause
from jobs.ghost_sweep import GhostSweep, MessageRemover
from jobs.maintenance import Maintenance
from jobs.polling import PollOutcome, SourcePoller
from jobs.post_changes import PostChanges, editors_of
from jobs.publish_worker import PublishWorker
from jobs.scheduler import PollScheduler
from jobs.webhook_feed import WebhookFeed
from storage.publish_queue import QueuedPost
from storage.store import Store

log = logging.getLogger(__name__)

HOUR = 3600.0
STOP_GRACE = 5.0  # seconds for jobs and sends in progress to finish at a stop


class BridgeApp:
    """Everything `threads-bridge run` (and `demo`) runs, owned in one place."""

    def __init__(
        self,
        config: Config,
        *,
        threads: ThreadsClient | None = None,
        extra_adapters: Sequence[Callable[[Bridge], ChatAdapter]] = (),
        extra_publishers: Mapping[str, frozenset[str]] | None = None,
        health_port: int | None = None,
        discord_ready_timeout: float = 2.0,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`threads` replaces the client built from the config (tests pass one with quick
        retries); `extra_adapters` build adapters that run beside the configured ones (the
        demo's console);
        `health_port` overrides `server.health_port`; `discord_ready_timeout` is how long
        discord.py waits for more servers after the last one before it calls itself ready;
        `clock` is what pacing, chat spacing, flood waits and delivery retries wait on (tests
        pass one that skips over waits)."""
        # No I/O here (issue 9): the database and the token are opened by `open()`, which
        # `start()` calls; constructing an app touches neither disk nor network.
        self.config = config
        self._threads = threads
        self._extra_adapters = extra_adapters
        self._extra_publishers = extra_publishers
        self._discord_ready_timeout = discord_ready_timeout
        self.clock = clock
        self._health_port = health_port if health_port is not None else config.server.health_port
        self._opened = False
        self._stopped = False

    def open(self) -> None:
        """Open the database, adopt the token and build the parts (idempotent). `start()`
        calls it; the demo calls it first to seed its subscriptions before anything starts."""
        if self._opened:
            return
        config = self.config
        redact(*configured_secrets(config))
        self.store = Store.open(config.storage.path)
        try:
            token = require_token(config, self.store)
        except BaseException:
            self.store.close()
            raise
        self._opened = True
        redact(token.token)
        self.threads = self._threads or threads_client(config, token.token)
        self.threads.set_error_listener(self._api_error)
        self.publisher = Publisher(self.threads)
        # Built before the Context it serves: the poller's fan-out reads the cross-posting
        # rules through it (self.loop_guard, below).
        self.poller = SourcePoller(
            self.store,
            self.threads,
            on_queued=self._wake_delivery,
            connected_account=lambda: self.ctx.me,
            on_polled=self._polled,
            fan_out=lambda items, subs: self.loop_guard.fan_out(items, subs),
        )
        # Meta's profile-discovery budget: every discovery request counted in the ledger,
        # each public profile's interval planned to fit, a pause when Meta says stop.
        self.discovery = DiscoveryBudget(self.store, config.threads)
        # Keyword search: its own budget in the same ledger and planner (search watches).
        self.search = DiscoveryBudget(
            self.store, config.threads, allowance=search_allowance(config.threads)
        )
        self.threads.set_discovery_listener(self.discovery.record)  # both: by endpoint
        self.scheduler = PollScheduler(
            self.poller,
            interval=config.threads.poll_interval,
            interval_of=interval_by_kind(self.discovery, self.search),
        )
        self.polling = PlannedPolling(self.scheduler, self.discovery, self.search)
        self.discovery_pause = DiscoveryPause(
            self.scheduler,
            self.poller,
            profiles=self.discovery.profiles,
            on_change=self._discovery_refused,
            on_refused_again=self.discovery.refused,
            state=self.store.state,
        )
        self.search_pause = DiscoveryPause(
            self.scheduler,
            self.poller,
            profiles=self.search.profiles,
            on_change=self._search_refused,
            on_refused_again=self.search.refused,
            state=self.store.state,
            kind=SourceKind.SEARCH,
        )
        self.ctx = Context(
            store=self.store,
            threads=self.threads,
            publisher=self.publisher,
            watcher=self.polling,
            discovery=self.discovery,
            search=self.search,
            long_text=config.publishing.long_text,
            timezone=config.publishing.timezone,
            clock=self.clock,
            deliveries_queued=self._wake_delivery,
            publishers={
                "telegram": frozenset(str(u) for u in config.telegram.publishers),
                "discord": frozenset(str(u) for u in config.discord.publishers),
                **(self._extra_publishers or {}),
            },
            publisher_roles={"discord": frozenset(str(r) for r in config.discord.publisher_roles)},
            contributors={
                "telegram": frozenset(str(u) for u in config.telegram.contributors),
                "discord": frozenset(str(u) for u in config.discord.contributors),
            },
            contributor_roles={
                "discord": frozenset(str(r) for r in config.discord.contributor_roles)
            },
        )
        # Posts waiting for a publisher's approval are shown in the review chats.
        chats = review_chats(config)
        self.reviews = (
            ReviewDesk(
                self.store.queue,
                chats,
                self._notify,
                self.store.state,
                long_text=config.publishing.long_text,
            )
            if chats
            else None
        )
        self.ctx.reviews = self.reviews
        # Every publish goes through the durable queue and its one worker.
        self.publishing = PublishWorker(
            self.store.queue,
            self.store.publications,
            self._publish_row,
            quota=self.threads.publishing_limit,
            notify=self._notify,
            clock=self.clock,
        )
        self.ctx.publishing = self.publishing
        # [[crosspost]] chats: their messages become queue rows by themselves.
        self.ctx.autopost = Autopost(self.ctx, config.crossposts, self._notify)
        # ... and their posts coming back through a watched "me" are kept out of (or marked
        # in) the chat they came from.
        self.loop_guard = LoopGuard(self.store.publications, self.ctx.autopost)
        media_store, self.media_relay = build_media_store(config, self.store, self.clock)
        self.ctx.media = MediaPipeline(media_store, clock=self.clock)
        self.bridge = Bridge(self.ctx)
        self.adapters = [
            *build_adapters(
                config,
                self.bridge,
                discord_ready_timeout=self._discord_ready_timeout,
                clock=self.clock,
            ),
            *(make(self.bridge) for make in self._extra_adapters),
        ]
        self.delivery = DeliveryWorker(
            self.store,
            {a.platform: a for a in self.adapters},
            clock=self.clock,
            prepare=self.loop_guard.mark,
        )
        # Ghost posts' chat messages, removed when the posts expire on Threads.
        self.ghost_sweep = GhostSweep(
            self.store.ghosts,
            {a.platform: a for a in self.adapters if isinstance(a, MessageRemover)},
            clock=self.clock,
        )
        self.alerts = Alerts(self._notify, admin_destinations(config))
        # [[digest]] chats: the account's insights posted at their time.
        self.digests = Digests(
            config.digests,
            self.threads,
            lambda: self.ctx.me,
            lambda chat, text, image: self._notify(chat, text, image=image),
            self.store.state,
            timezone=config.publishing.timezone,
            clock=self.clock,
        )
        self.maintenance = Maintenance(self.store, self.threads, self.alerts)
        self.maintenance.use_token(token.token)
        self.metrics = Metrics(
            self.store,
            quota=lambda: self.maintenance.last_quota,
            adapters=self.adapter_health,
            discovery=self.discovery,
            relay=self.media_relay,
            search=self.search,
        )
        # Threads webhooks (optional): pushed posts into the same feed, and the connected
        # account's sources polled slowly while their events flow.
        # Posts that change after delivery: re-read once their edit window has closed;
        # edited or deleted in the chats (jobs/post_changes.py).
        self.post_changes = PostChanges(
            self.store,
            self.threads,
            editors_of(self.adapters),
            self.discovery,
            on_released=self._wake_delivery,
            prepare=self.loop_guard.mark,
            clock=self.clock.time,
        )
        self.webhook_feed = WebhookFeed(
            self.store,
            self.threads,
            self.poller,
            slow_interval=max(config.threads.max_poll_interval, config.threads.poll_interval),
            connected_account=lambda: self.ctx.me,
            on_flow_change=self.scheduler.retime,
            on_deleted=self.post_changes.post_gone,
            clock=self.clock.time,
        )
        self.scheduler.adjust_intervals(self.webhook_feed.interval)
        self.webhooks = self._webhook_endpoint()
        self.health = HealthServer(
            self.metrics,
            scheduler_running=lambda: self.scheduler.running,
            adapters=self.adapter_health,
            media=lambda: media_status(config, self.media_relay),
            webhooks=self.webhooks,
        )

    def _webhook_endpoint(self) -> WebhookEndpoint | None:
        webhooks, app_secret = self.config.webhooks, self.config.threads.app_secret
        if webhooks.path is None or webhooks.verify_token is None or app_secret is None:
            return None  # the config's check says which key is missing when path is set
        return WebhookEndpoint(
            webhooks.path,
            verify_token=webhooks.verify_token,
            app_secret=app_secret,
            on_event=self.webhook_feed.handle,
            on_result=self.metrics.record_webhook,
        )

    def adapter_health(self) -> dict[str, bool]:
        return {adapter.platform: adapter.connected for adapter in self.adapters}

    async def start(self) -> None:
        self.open()
        self.ctx.me, rejected = await self._connected_account()
        reconcile_feeds(
            self.store, self.config.feeds, self.ctx.me.username if self.ctx.me else None
        )
        for adapter in self.adapters:
            await adapter.start()
        if rejected is not None:  # told now that the adapters can carry the alert
            await self.maintenance.token_rejected(rejected)
        await settle_publications(self.store, self.publisher, self._notify)
        self.publishing.recover()  # after the containers were settled by status
        self.publishing.start()
        self.delivery.start()
        self.scheduler.start(self.store.sources.active())
        self.discovery.paused = self.discovery_pause.restore()
        self.search.paused = self.search_pause.restore()
        self._schedule_housekeeping()
        if self._health_port is not None:  # 0: any free port (see self.health.port)
            await self.health.start(self.config.server.health_host, self._health_port)
        await self._start_relay()
        log.info(
            "bridge running: %d sources, %d adapters",
            len(self.store.sources.active()),
            len(self.adapters),
        )

    async def _publish_row(
        self, row: QueuedPost, on_started: Callable[[int], None]
    ) -> list[Published]:
        request = PublishRequest.from_json(row.request)
        try:
            return await execute(self.ctx, row.chat, row.user, request, on_started)
        except ThreadsError:
            # A reply (or quote) to a post deleted since it was delivered: Meta refuses it.
            # If the post is gone, its chat messages are removed or marked.
            target = request.reply_to_id or request.quote_post_id
            if target is not None:
                await self.post_changes.check_gone(target)
            raise

    async def _start_relay(self) -> None:
        """The media relay, when it is the media store. A port that cannot be opened turns
        media off with a line in the log (and /healthz), never stops the bridge."""
        relay = self.media_relay
        if relay is None:
            return
        media = self.config.media
        try:
            await relay.start(media.listen_host, media.listen_port)
        except OSError as exc:
            log.error(
                "the media relay could not listen on %s:%d (%s): photos and videos from chat "
                "cannot be published until it can",
                media.listen_host,
                media.listen_port,
                exc.strerror or exc,
            )
            return
        self.scheduler.add_periodic(relay.sweep_job, seconds=600, name="media sweep")

    def _schedule_housekeeping(self) -> None:
        m, add = self.maintenance, self.scheduler.add_periodic
        add(m.refresh_token_if_due, seconds=HOUR, name="refresh token", first_in=60)
        add(m.pick_up_stored_token, seconds=60, name="pick up stored token")
        add(m.snapshot_quota, seconds=600, name="quota snapshot", first_in=1)
        add(m.prune, seconds=24 * HOUR, name="prune outbox", first_in=HOUR)
        add(self.polling.replan_job, seconds=600, name="discovery plan")
        add(self.post_changes.reread_due, seconds=60, name="re-read posts", first_in=5)
        add(self.ghost_sweep.remove_expired, seconds=60, name="ghost posts", first_in=5)
        if self.webhooks is not None:  # events stopped: the usual poll interval again
            add(self.webhook_feed.check_flow, seconds=300, name="webhook flow")
        if self.config.digests:
            add(self.digests.send_due, seconds=60, name="digests", first_in=1)
        if self.reviews is not None:  # reviews a chat did not take (it was down), again
            add(self.reviews.show_unshown, seconds=RETRY_EVERY, name="reviews", first_in=1)

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Stop everything in reverse order of start. Jobs, polls and sends in progress get
        `grace` seconds to finish first. Each step is guarded: one that fails is logged and
        the steps after it still run, so nothing is left running or open."""
        if self._stopped or not self._opened:  # never opened: nothing to stop or close
            return
        self._stopped = True
        steps: list[tuple[str, Callable[[], Awaitable[None]]]] = [
            ("the health server", self.health.stop),
            ("webhook events", lambda: self._drain_webhooks(grace)),
            *((("the media relay", self.media_relay.stop),) if self.media_relay else ()),
            ("the scheduler", lambda: self.scheduler.stop(grace)),
            ("publishing", self.publishing.stop),
            ("polling", lambda: self.poller.wait_idle(grace)),
            ("delivery", self.delivery.stop),  # before the adapters: it sends through them
            *((f"the {a.platform} adapter", a.stop) for a in reversed(self.adapters)),
            ("the Threads client", self.threads.aclose),
        ]
        for name, step in steps:
            try:
                await step()
            except Exception:
                log.exception("stopping %s failed", name)
        try:
            self.store.close()
        except Exception:
            log.exception("closing the database failed")

    async def _drain_webhooks(self, grace: float) -> None:
        if self.webhooks is not None:
            await self.webhooks.drain(grace)

    async def run(self, on_started: Callable[[], Awaitable[None]] | None = None) -> None:
        """Start, run until SIGINT or SIGTERM, stop."""
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        try:
            await self.start()
            if on_started is not None:
                await on_started()
            await stop.wait()
            log.info("stopping")
        finally:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with suppress(Exception):
                    loop.remove_signal_handler(signum)
            await self.stop()

    def _wake_delivery(self) -> None:
        self.delivery.wake()

    def _polled(self, outcome: PollOutcome) -> None:
        self.metrics.record_poll(new_posts=outcome.new_posts, failed=outcome.error is not None)
        self.discovery_pause.outcome(outcome)
        self.search_pause.outcome(outcome)
        if isinstance(outcome.error, AuthError):
            spawn(self.maintenance.token_rejected(outcome.error), name="alert: token rejected")

    def _discovery_refused(self, paused: bool, probe_in: float) -> None:
        self.discovery.paused = paused
        if not paused:
            self.alerts.clear("discovery")
            self.polling.replan()  # with what a lasting refusal taught: slower, to stay clear
            return
        text = (
            "Meta refuses profile lookups for this account (its "
            f"{self.discovery.budget:,} a day may have been spent by another app or an earlier "
            "run). Public profiles are paused and tried "
            f"again in {probe_in:.0f} s, then less often; nothing posted meanwhile is lost. "
            "The connected account keeps flowing."
        )
        spawn(self.alerts.raise_alert("discovery", text), name="alert: discovery refused")

    def _search_refused(self, paused: bool, probe_in: float) -> None:
        self.search.paused = paused
        if not paused:
            self.alerts.clear("search")
            self.polling.replan()
            return
        text = (
            "Meta refuses keyword searches for this account (its "
            f"{self.search.budget:,} a day may have been spent by another app). Search watches "
            f"are paused and tried again in {probe_in:.0f} s, then less often; profiles and "
            "the connected account keep flowing."
        )
        spawn(self.alerts.raise_alert("search", text), name="alert: search refused")

    def _api_error(self, error: ThreadsError) -> None:
        self.metrics.record_api_error(error)

    async def _connected_account(self) -> tuple[Profile | None, AuthError | None]:
        """The account the token belongs to; the bridge still starts without it (chat
        commands keep working and say what is wrong), and a rejected token is reported."""
        try:
            me = await self.threads.me()
        except ThreadsError as exc:
            log.error("could not read the connected Threads account: %s", exc)
            return None, exc if isinstance(exc, AuthError) else None
        log.info("connected to Threads as @%s", me.username)
        return me, None

    async def _notify(
        self,
        destination: Destination,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        image: Image | None = None,
    ) -> None:
        for adapter in self.adapters:
            if adapter.platform == destination.platform:
                await adapter.notify(destination, text, buttons, image=image)
