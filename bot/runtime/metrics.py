"""Prometheus metrics: counters fed by hooks as things happen, gauges read at scrape time.

A registry of its own (not prometheus_client's global one), so that several bridges in one
process (the tests) never collide.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.media.relay import MediaRelay
from bot.threads.errors import ThreadsError
from bot.threads.models import PublishingLimit
from jobs.discovery import DiscoveryBudget
from storage.store import Store

PREFIX = "threads_bridge"


class Metrics:
    def __init__(
        self,
        store: Store,
        *,
        quota: Callable[[], PublishingLimit | None],
        adapters: Callable[[], Mapping[str, bool]],
        discovery: DiscoveryBudget | None = None,
        relay: MediaRelay | None = None,
        search: DiscoveryBudget | None = None,
    ) -> None:
        """`search`: the keyword-search budget, reported beside discovery."""
        self.registry = CollectorRegistry()
        self.polls = Counter(
            f"{PREFIX}_polls",
            "Polls of Threads sources, by result",
            ["result"],
            registry=self.registry,
        )
        self.posts_seen = Counter(
            f"{PREFIX}_posts_seen", "New Threads posts found by polling", registry=self.registry
        )
        self.api_errors = Counter(
            f"{PREFIX}_api_errors",
            "Failed Threads API requests, by error class",
            ["error_class"],
            registry=self.registry,
        )
        self.webhook_events = Counter(
            f"{PREFIX}_webhook_events",
            "Threads webhook POSTs, by result (accepted, refused: bad or no signature, "
            "malformed: signed but no event)",
            ["result"],
            registry=self.registry,
        )
        self.registry.register(_StateCollector(store, quota, adapters))
        if discovery is not None:
            self.registry.register(_DiscoveryCollector(discovery, search))
        if relay is not None:
            self.registry.register(_RelayCollector(relay))

    def record_poll(self, *, new_posts: int, failed: bool) -> None:
        self.polls.labels(result="error" if failed else "ok").inc()
        self.posts_seen.inc(new_posts)

    def record_webhook(self, result: str) -> None:
        self.webhook_events.labels(result=result).inc()

    def record_api_error(self, error: ThreadsError) -> None:
        self.api_errors.labels(error_class=type(error).__name__).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


class _StateCollector(Collector):
    """What the database and the adapters say right now."""

    def __init__(
        self,
        store: Store,
        quota: Callable[[], PublishingLimit | None],
        adapters: Callable[[], Mapping[str, bool]],
    ) -> None:
        self._store = store
        self._quota = quota
        self._adapters = adapters

    def collect(self) -> Iterator[GaugeMetricFamily]:
        deliveries = GaugeMetricFamily(
            f"{PREFIX}_deliveries", "Outbox rows by state", labels=["state"]
        )
        counts = self._store.outbox.counts_by_state()
        for state in ("pending", "delivered", "dead", "dropped"):
            deliveries.add_metric([state], counts.get(state, 0))
        yield deliveries
        yield GaugeMetricFamily(
            f"{PREFIX}_outbox_depth",
            "Deliveries waiting to be sent",
            value=counts.get("pending", 0),
        )
        quota = GaugeMetricFamily(
            f"{PREFIX}_publishing_quota_remaining",
            "Threads publishing quota left in the rolling 24 h window",
            labels=["kind"],
        )
        limit = self._quota()
        if limit is not None:
            quota.add_metric(["posts"], limit.posts.remaining)
            if limit.replies is not None:
                quota.add_metric(["replies"], limit.replies.remaining)
        yield quota
        connected = GaugeMetricFamily(
            f"{PREFIX}_adapter_connected",
            "1 when the chat adapter is connected",
            labels=["platform"],
        )
        for platform, up in self._adapters().items():
            connected.add_metric([platform], 1 if up else 0)
        yield connected
        token = self._store.tokens.get()
        if token is not None and token.expires_at is not None:
            yield GaugeMetricFamily(
                f"{PREFIX}_token_expiry_timestamp_seconds",
                "When the Threads access token expires",
                value=token.expires_at,
            )


class _DiscoveryCollector(Collector):
    """Meta's profile-discovery budget as the bridge counts it, and each source's interval."""

    def __init__(self, discovery: DiscoveryBudget, search: DiscoveryBudget | None) -> None:
        self._discovery = discovery
        self._search = search

    def collect(self) -> Iterator[GaugeMetricFamily]:
        used = self._discovery.used()
        yield GaugeMetricFamily(
            f"{PREFIX}_discovery_budget",
            "Profile-discovery requests Meta allows per rolling 24 h (configured)",
            value=self._discovery.budget,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_discovery_used",
            "Profile-discovery requests sent in the last 24 h",
            value=used,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_discovery_remaining",
            "Profile-discovery requests left in the rolling 24 h window",
            value=self._discovery.left(),
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_discovery_paused",
            "1 while Meta refuses profile discovery and public profiles wait for a probe",
            value=1 if self._discovery.paused else 0,
        )
        if self._search is not None:
            yield from _search_gauges(self._search)
        intervals = GaugeMetricFamily(
            f"{PREFIX}_poll_interval_seconds",
            "Seconds between polls of each public profile and search watch, as planned",
            labels=["source"],
        )
        for budget in filter(None, (self._discovery, self._search)):
            for source in budget.profiles():
                intervals.add_metric([source.label], budget.interval(source))
        yield intervals


def _search_gauges(search: DiscoveryBudget) -> Iterator[GaugeMetricFamily]:
    """Meta's keyword-search budget: only searches that found something are counted."""
    yield GaugeMetricFamily(
        f"{PREFIX}_search_budget",
        "Keyword searches Meta allows per rolling 24 h (configured)",
        value=search.budget,
    )
    yield GaugeMetricFamily(
        f"{PREFIX}_search_used",
        "Keyword searches counted in the last 24 h (those that found something)",
        value=search.used(),
    )
    yield GaugeMetricFamily(
        f"{PREFIX}_search_remaining",
        "Keyword searches left in the rolling 24 h window",
        value=search.left(),
    )
    yield GaugeMetricFamily(
        f"{PREFIX}_search_paused",
        "1 while Meta refuses keyword searches and search watches wait for a probe",
        value=1 if search.paused else 0,
    )


class _RelayCollector(Collector):
    """The built-in media relay: whether it serves, and the files Meta fetched from it."""

    def __init__(self, relay: MediaRelay) -> None:
        self._relay = relay

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        yield GaugeMetricFamily(
            f"{PREFIX}_media_relay_running",
            "1 while the media relay listens (0: photos and videos from chat cannot be posted)",
            value=1 if self._relay.running else 0,
        )
        yield CounterMetricFamily(
            f"{PREFIX}_media_files_served",
            "Files the media relay served (Meta fetching photos and videos from chat)",
            value=self._relay.fetches,
        )
