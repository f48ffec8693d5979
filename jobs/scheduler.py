"""APScheduler 3 set-up: one interval job per Threads source, never one per subscription, plus
the housekeeping jobs.

Every job is a coroutine function run on the event loop. APScheduler would run a plain function
in a worker thread, where the SQLite connection (which belongs to the loop's thread) refuses it,
so registering one fails at once with a TypeError instead of failing every period.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import random
from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.events import Source
from jobs.polling import SourcePoller

log = logging.getLogger(__name__)

Job = Callable[..., Coroutine[Any, Any, object]]


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
        self._in_progress: dict[asyncio.Task[Any], str] = {}  # job runs -> the job's name
        self._stopping = False

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running) and not self._stopping

    def start(self, sources: list[Source]) -> None:
        """Start polling; sources polled before start within a few seconds, spread out."""
        if not self._scheduler.running:
            self._scheduler.start()
        for source in sources:
            delay = random.uniform(0, min(self._start_spread, self._interval))
            self._add(source, datetime.now().astimezone() + timedelta(seconds=delay))

    async def stop(self, grace: float) -> None:
        """Launch no more jobs, let the ones running finish for up to `grace` seconds, cut
        short what is still running then (one log line each), and shut down. A poll cut short
        committed nothing: the next start fetches the same posts again."""
        if not self._scheduler.running:
            return
        self._stopping = True
        self._scheduler.pause()
        running = dict(self._in_progress)
        if running:
            log.info(
                "waiting up to %.0fs for %s to finish", grace, ", ".join(sorted(running.values()))
            )
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                log.warning("%s did not finish within %.0fs; cut short", running[task], grace)
                task.cancel()
            if late:
                await asyncio.wait(late)
        self._scheduler.shutdown(wait=False)

    def watch(self, source: Source) -> None:
        """Poll a source now (its baseline) and every interval after, if not already."""
        if self._scheduler.get_job(_job_id(source)) is None:
            self._add(source, datetime.now().astimezone())

    def unwatch(self, source: Source) -> None:
        if self._scheduler.get_job(_job_id(source)) is not None:
            self._scheduler.remove_job(_job_id(source))
            log.info("stopped polling %s", source.label)

    def run_soon(self, name: str) -> None:
        """Run the job called `name` (a housekeeping job) now, through the scheduler, rather
        than at its next time; it stays on its interval afterwards."""
        self._scheduler.modify_job(name, next_run_time=datetime.now().astimezone())

    def add_periodic(
        self,
        job: Job,
        *,
        seconds: float,
        name: str,
        first_in: float | None = None,
    ) -> None:
        """A housekeeping coroutine every `seconds` (first after `first_in`, default one
        period)."""
        first = datetime.now().astimezone() + timedelta(
            seconds=seconds if first_in is None else first_in
        )
        self._add_job(job, job_id=name, name=name, seconds=seconds, first_run=first)

    def _add(self, source: Source, first_run: datetime) -> None:
        self._add_job(
            self._poller.poll,
            job_id=_job_id(source),
            name=f"poll {source.label}",
            seconds=self._interval,
            first_run=first_run,
            args=[source.id],
            jitter=self._jitter,
            misfire_grace_time=int(self._interval),
        )
        log.info("polling %s every %.0fs", source.label, self._interval)

    def _add_job(
        self,
        job: Job,
        *,
        job_id: str,
        name: str,
        seconds: float,
        first_run: datetime,
        args: list[object] | None = None,
        **options: Any,
    ) -> None:
        if not inspect.iscoroutinefunction(job):
            raise TypeError(
                f"scheduled job {name!r} must be a coroutine function (async def): "
                "APScheduler runs anything else in a worker thread, away from the database"
            )
        self._scheduler.add_job(
            functools.partial(self._run, name, job),
            "interval",
            args=args or [],
            id=job_id,
            name=name,
            seconds=seconds,
            next_run_time=first_run,
            max_instances=1,  # a slow run is never overtaken by the next one
            coalesce=True,  # after a pause, one catch-up run rather than a burst
            replace_existing=True,
            **options,
        )

    async def _run(self, name: str, job: Job, *args: object) -> None:
        """One run of a job, known to `stop` while it lasts."""
        task = asyncio.current_task()
        assert task is not None
        self._in_progress[task] = name
        try:
            await job(*args)
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # Cut short by `stop`, which said so: nothing for the scheduler to report.
        finally:
            del self._in_progress[task]
