"""Updates processed concurrently across chats, in order within one chat.

python-telegram-bot handles one update at a time by default, so a `/post` waiting for its
media container held up every other chat's commands. Here each update runs in its own task
(PTB creates them in arrival order) and waits only for the updates of its own chat that came
before it: asyncio locks are fair, so a chat's commands are still answered in the order sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates in progress at once, every chat together (PTB's own default for concurrency).
MAX_CONCURRENT_UPDATES = 256


class PerChatOrder(BaseUpdateProcessor):
    """Serializes the updates of each chat; different chats run concurrently."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._users: dict[object, int] = {}  # updates holding or waiting for each lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_of(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # forget quiet chats: the maps stay small
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB awaits the update tasks before it shuts down."""


def _chat_of(update: object) -> object:
    """The chat an update belongs to; updates without one share a single queue."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
