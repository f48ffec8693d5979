"""Background tasks that are owned, named and never fail silently.

Every task the bridge starts goes through `spawn`: it keeps a strong reference (asyncio only
keeps a weak one, so an unreferenced task can vanish mid-flight), names the task for the log and
for `asyncio.all_tasks()`, and logs an exception the moment the task dies of one. A task that is
cancelled is not a failure.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
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


def _finished(task: asyncio.Task[Any]) -> None:
    _owned.discard(task)
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.error("background task %r failed", task.get_name(), exc_info=error)
