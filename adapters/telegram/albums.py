"""Albums: Telegram sends each photo or video of an album as its own message (one media_group_id,
the caption on one of them), with nothing to say which is the last. The messages are gathered
until none has come for a short quiet period, then handled together."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from telegram import Message

from bot.tasks import spawn

ALBUM_QUIET = 1.0  # seconds without a new item before an album counts as complete
_REMEMBERED = 500  # recent albums kept, for a /crosspost answering one of their items


class Albums:
    def __init__(
        self, complete: Callable[[list[Message]], Awaitable[None]], quiet: float = ALBUM_QUIET
    ) -> None:
        self._complete = complete
        self._quiet = quiet
        self._open: dict[str, list[Message]] = {}
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._recent: OrderedDict[str, list[Message]] = OrderedDict()

    def add(self, message: Message) -> None:
        """One item arrived; the album is handled `quiet` seconds after its last item."""
        group = message.media_group_id
        assert group is not None
        self._open.setdefault(group, []).append(message)
        self._remember(group, message)
        timer = self._timers.pop(group, None)
        if timer is not None:
            timer.cancel()
        # Real time on purpose: how long a phone takes to upload the next item is not the
        # bridge's clock to skip.
        self._timers[group] = spawn(self._finish(group), name=f"album {group}")

    def album_of(self, message: Message) -> list[Message]:
        """Every item seen of the album `message` belongs to (just it, if none)."""
        group = message.media_group_id
        if group is None:
            return [message]
        return sorted(self._recent.get(group) or [message], key=lambda m: m.message_id)

    def replace(self, message: Message) -> None:
        """An item of a remembered album changed (its caption was edited)."""
        items = self._recent.get(message.media_group_id or "")
        if items is not None:
            items[:] = [message if m.message_id == message.message_id else m for m in items]

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._open.clear()

    async def _finish(self, group: str) -> None:
        await asyncio.sleep(self._quiet)
        self._timers.pop(group, None)
        messages = sorted(self._open.pop(group, []), key=lambda m: m.message_id)
        if messages:
            await self._complete(messages)

    def _remember(self, group: str, message: Message) -> None:
        items = self._recent.setdefault(group, [])
        if all(item.message_id != message.message_id for item in items):
            items.append(message)
        self._recent.move_to_end(group)
        while len(self._recent) > _REMEMBERED:
            self._recent.popitem(last=False)
