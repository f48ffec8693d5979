"""Awaiting a log line: a handler on the root logger that wakes waiters on every record, so a
test can wait for what an operator would read (no polling, no sleeps)."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class LogWatch(logging.Handler):
    """Every record logged while installed; `wait_for` returns once one matches."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._loop = asyncio.get_running_loop()
        self._changed = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        # Records may come from other threads (which is one of the bugs tests look for).
        self._loop.call_soon_threadsafe(self._changed.set)

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]

    def text(self) -> str:
        """The log as an operator reads it, tracebacks included."""
        lines = []
        for record in self.records:
            lines.append(f"{record.levelname} {record.name}: {record.getMessage()}")
            if record.exc_info and record.exc_info[1] is not None:
                lines.append("".join(traceback.format_exception(*record.exc_info)))
        return "\n".join(lines)

    async def wait_for(
        self,
        wanted: Callable[[str], bool] | str,
        within: float = 15.0,
    ) -> str:
        """The first message that contains `wanted` (or satisfies it), once it is logged."""
        match = (lambda text: wanted in text) if isinstance(wanted, str) else wanted
        try:
            async with asyncio.timeout(within):
                while True:
                    self._changed.clear()
                    for message in self.messages():
                        if match(message):
                            return message
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(
                f"no log line {wanted!r} within {within}s; the log:\n{self.text()}"
            ) from None


@contextmanager
def watching_logs(level: int = logging.INFO) -> Iterator[LogWatch]:
    """Install a LogWatch on the root logger (at `level`) for the duration."""
    root = logging.getLogger()
    watch = LogWatch()
    old_level = root.level
    root.addHandler(watch)
    root.setLevel(level)
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(old_level)
