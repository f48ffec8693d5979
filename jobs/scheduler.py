"""APScheduler 3 set-up: one interval job per Threads source, never one per subscription."""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.events import Source
from jobs.polling import SourcePoller

log = logging.getLogger(__name__)


def _job_id(source: Source) -> str:
    return f"poll-source-{source.id}"


class PollScheduler:
    """Keeps exactly one polling job per watched source (the bridge's SourceWatcher)."""

    def __init__(
        self, poller: SourcePoller, *, interval: float, start_spread: float = 5.0
    ) -> None:
        self._poller = poller
        self._interval = interval
        # A little jitter keeps many sources from polling in the same second.
        self._jitter = max(1, min(int(interval * 0.1), 30))
        self._start_spread = start_spread
        self._scheduler = AsyncIOScheduler(timezone="UTC")

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def start(self, sources: list[Source]) -> None:
        """Start polling; sources polled before start within a few seconds, spread out."""
        if not self._scheduler.running:
            self._scheduler.start()
        for source in sources:
            delay = random.uniform(0, min(self._start_spread, self._interval))
            self._add(source, datetime.now().astimezone() + timedelta(seconds=delay))

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def watch(self, source: Source) -> None:
        """Poll a source now (its baseline) and every interval after, if not already."""
        if self._scheduler.get_job(_job_id(source)) is None:
            self._add(source, datetime.now().astimezone())

    def unwatch(self, source: Source) -> None:
        if self._scheduler.get_job(_job_id(source)) is not None:
            self._scheduler.remove_job(_job_id(source))
            log.info("stopped polling %s", source.label)

    def add_periodic(
        self,
        job: Callable[[], Awaitable[object] | object],
        *,
        seconds: float,
        name: str,
        first_in: float | None = None,
    ) -> None:
        """A housekeeping job every `seconds` (first after `first_in`, default one period)."""
        first = datetime.now().astimezone() + timedelta(
            seconds=seconds if first_in is None else first_in
        )
        self._scheduler.add_job(
            job,
            "interval",
            seconds=seconds,
            id=name,
            name=name,
            next_run_time=first,
            max_instances=1,
            coalesce=True,
            replace_existing=True,
        )

    def _add(self, source: Source, first_run: datetime) -> None:
        self._scheduler.add_job(
            self._poller.poll,
            "interval",
            args=[source.id],
            id=_job_id(source),
            name=f"poll {source.label}",
            seconds=self._interval,
            jitter=self._jitter,
            next_run_time=first_run,
            max_instances=1,  # a slow poll is never overtaken by the next one
            coalesce=True,  # after a pause, one catch-up poll rather than a burst
            misfire_grace_time=int(self._interval),
            replace_existing=True,
        )
        log.info("polling %s every %.0fs", source.label, self._interval)
