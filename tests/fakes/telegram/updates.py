"""The bot's incoming update queue and getUpdates long polling, with Telegram's semantics:
an update stays until a later getUpdates confirms it with a higher offset; a request with
timeout > 0 is held until an update arrives or the timeout runs out; a second getUpdates
terminates the held one with 409 Conflict."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from .errors import ApiError

# Telegram's default when allowed_updates was never given (or given as []).
NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    """Pending updates plus the one held getUpdates request."""

    def __init__(self, on_hold: Callable[[], Awaitable[None]] | None = None) -> None:
        self._on_hold = on_hold
        self.held = 0  # getUpdates requests waiting right now
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self._allowed: frozenset[str] | None = None
        self._wake = asyncio.Event()
        self._poll_generation = 0
        self._closed = False

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by an offset."""
        return list(self._pending)

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (an `update_id` is assigned when missing) and wake the poller."""
        if "update_id" in update:
            self._next_id = max(self._next_id, int(update["update_id"]) + 1)
        else:
            update = {"update_id": self._next_id, **update}
            self._next_id += 1
        self._pending.append(update)
        self._signal()
        return update

    def drop_pending(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        """Release any held getUpdates (answering []), now and for good."""
        self._closed = True
        self._signal()

    def reopen(self) -> None:
        self._closed = False

    async def poll(
        self,
        offset: int | None,
        limit: int,
        hold: float,
        allowed: Iterable[str] | None,
    ) -> list[dict[str, Any]]:
        """Answer one getUpdates call, holding it up to `hold` seconds while nothing is due."""
        if allowed is not None:
            self._allowed = frozenset(allowed) or None
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._signal()  # a held older request must now give way
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(hold, 0.0)
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            batch = self._deliverable(limit)
            remaining = deadline - loop.time()
            if batch or self._closed or remaining <= 0:
                return batch
            wake = self._wake
            self.held += 1
            try:
                if self._on_hold is not None:
                    await self._on_hold()  # lets tests wait until a poll is really held
                await asyncio.wait_for(wake.wait(), remaining)
            except TimeoutError:
                return self._deliverable(limit)
            finally:
                self.held -= 1

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        # Updates of a type the bot did not ask for are never delivered: drop them.
        self._pending = [u for u in self._pending if self._wanted(update_type(u))]
        return self._pending[:limit]

    def _wanted(self, kind: str) -> bool:
        if self._allowed is None:
            return kind not in NOT_BY_DEFAULT
        return kind in self._allowed

    def _signal(self) -> None:
        # Each waiter holds the event it started on; replacing it lets later waiters block.
        self._wake.set()
        self._wake = asyncio.Event()
