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
from apscheduler.triggers.interval import IntervalTrigger

from bot.events import Source, SourceKind
from jobs.polling import SourcePoller

log = logging.getLogger(__name__)

Job = Callable[..., Coroutine[Any, Any, object]]


def _job_id(source: Source) -> str:
    return f"poll-source-{source.id}"


def _jitter(interval: float) -> int:
    """A little jitter keeps many sources from polling in the same second."""
    return max(1, min(int(interval * 0.1), 30))


class PollScheduler:
    """Keeps exactly one polling job per watched source (the bridge's SourceWatcher)."""

    def __init__(
        self,
        poller: SourcePoller,
        *,
        interval: float,
        interval_of: Callable[[Source], float] | None = None,
        start_spread: float = 5.0,
    ) -> None:
        """`interval_of` gives each source its own interval (the discovery plan); without
        it every source is polled every `interval` seconds."""
        self._poller = poller
        self._interval = interval
        self._interval_of = interval_of or (lambda source: interval)
        self._adjust: Callable[[Source, float], float] = lambda source, seconds: seconds
        self._start_spread = start_spread
        self._sources: dict[int, Source] = {}  # polled sources, by id
        self._intervals: dict[int, float] = {}
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
            delay = random.uniform(0, min(self._start_spread, self._seconds(source)))
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
        self._sources.pop(source.id, None)
        self._intervals.pop(source.id, None)
        if self._scheduler.get_job(_job_id(source)) is not None:
            self._scheduler.remove_job(_job_id(source))
            log.info("stopped polling %s", source.label)

    def polled(self, kind: SourceKind) -> list[Source]:
        return [s for s in self._sources.values() if s.kind is kind]

    def interval(self, source: Source) -> float | None:
        """The interval `source` is polled at now (None: it is not polled)."""
        return self._intervals.get(source.id)

    def retime(self) -> None:
        """Give every source the interval `interval_of` says now (after a re-plan). A
        source's next poll never moves later than its new interval from now, so re-planning
        often cannot starve a slowly polled source."""
        now = datetime.now().astimezone()
        for source in list(self._sources.values()):
            seconds = self._seconds(source)
            if abs(seconds - self._intervals[source.id]) < 0.02 * self._intervals[source.id]:
                continue
            job = self._scheduler.get_job(_job_id(source))
            if job is None:
                continue
            soonest = now + timedelta(seconds=seconds + random.uniform(0, _jitter(seconds)))
            next_run = job.next_run_time
            self._intervals[source.id] = seconds
            job.modify(
                trigger=IntervalTrigger(seconds=seconds, jitter=_jitter(seconds), timezone="UTC"),
                misfire_grace_time=int(seconds),
                **({"next_run_time": min(next_run, soonest)} if next_run is not None else {}),
            )
            log.info("polling %s every %.0fs", source.label, seconds)

    def adjust_intervals(self, adjust: Callable[[Source, float], float]) -> None:
        """`adjust(source, planned)` gives the interval a source is polled at, given the one
        `interval_of` plans (Threads webhooks stretch it while events flow); `retime`
        applies a change."""
        self._adjust = adjust

    def _seconds(self, source: Source) -> float:
        return self._adjust(source, self._interval_of(source))

    def pause(self, kind: SourceKind) -> None:
        """Stop polling every source of `kind` until `resume` (Meta said stop)."""
        for source in self.polled(kind):
            if self._scheduler.get_job(_job_id(source)) is not None:
                self._scheduler.pause_job(_job_id(source))

    def resume(self, kind: SourceKind) -> None:
        """Poll every source of `kind` again, now: what was posted meanwhile is caught up."""
        now = datetime.now().astimezone()
        for n, source in enumerate(self.polled(kind)):
            job = self._scheduler.get_job(_job_id(source))
            if job is not None:
                job.modify(next_run_time=now + timedelta(seconds=n))  # one a second

    def next_run(self, name: str) -> datetime | None:
        """When the job called `name` runs next (None: paused or not scheduled)."""
        job = self._scheduler.get_job(name)
        return job.next_run_time if job is not None else None

    def run_once(self, job: Job, *, name: str, after: float) -> None:
        """`job` once, `after` seconds from now (replacing a pending run of that name)."""
        self._add_once(job, name=name, when=datetime.now().astimezone() + timedelta(seconds=after))

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
        seconds = self._seconds(source)
        self._sources[source.id] = source
        self._intervals[source.id] = seconds
        self._add_job(
            self._poller.poll,
            job_id=_job_id(source),
            name=f"poll {source.label}",
            seconds=seconds,
            first_run=first_run,
            args=[source.id],
            jitter=_jitter(seconds),
            misfire_grace_time=int(seconds),
        )
        log.info("polling %s every %.0fs", source.label, seconds)

    def _add_once(self, job: Job, *, name: str, when: datetime) -> None:
        if not inspect.iscoroutinefunction(job):
            raise TypeError(f"scheduled job {name!r} must be a coroutine function (async def)")
        self._scheduler.add_job(
            functools.partial(self._run, name, job),
            "date",
            id=name,
            name=name,
            run_date=when,
            replace_existing=True,
            misfire_grace_time=None,
        )

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
