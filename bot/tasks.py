"""Background tasks that are owned, named and never fail silently.

Every task the bridge starts goes through `spawn`: it keeps a strong reference (asyncio only
keeps a weak one, so an unreferenced task can vanish mid-flight), names the task for the log and
for `asyncio.all_tasks()`, and logs an exception the moment the task dies of one. A task that is
cancelled is not a failure.

A loop the bridge cannot do without (the delivery worker's) goes through `keep_running`: one
database error, say, is logged and the loop starts again after a pause, instead of delivery
stopping for good.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

_owned: set[asyncio.Task[Any]] = set()


def spawn(coro: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
    """Start `coro` as a named task on the running loop; its failure is logged once."""
    task = asyncio.get_running_loop().create_task(coro, name=name)
    _owned.add(task)
    task.add_done_callback(_finished)
    return task


def keep_running(
    run: Callable[[], Coroutine[Any, Any, None]],
    *,
    name: str,
    first_pause: float = 1.0,
    max_pause: float = 60.0,
) -> asyncio.Task[None]:
    """Run `run()` as a named task and start it again whenever it dies of an exception:
    each failure is logged (with its traceback) and followed by a pause that doubles up to
    `max_pause`, back to `first_pause` once a run lasted longer than that. The task ends
    when `run()` returns or the task is cancelled."""
    return spawn(_supervise(run, name, first_pause, max_pause), name=name)


async def _supervise(
    run: Callable[[], Coroutine[Any, Any, None]], name: str, first_pause: float, max_pause: float
) -> None:
    pause = first_pause
    while True:
        started = time.monotonic()
        try:
            await run()
            return
        except Exception:
            if time.monotonic() - started > max_pause:
                pause = first_pause  # it ran fine for a while: a fresh failure
            log.exception("%s failed; starting it again in %.0fs", name, pause)
        await asyncio.sleep(pause)
        pause = min(pause * 2, max_pause)


def _finished(task: asyncio.Task[Any]) -> None:
    _owned.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("background task %r failed", task.get_name(), exc_info=error)
