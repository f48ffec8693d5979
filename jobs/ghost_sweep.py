"""Ghost posts leave the chat when they expire on Threads: a minute job deletes the chat
messages of every delivered ghost post whose expiry has passed (storage/ghosts.py keeps them,
written with the message map when each part was sent, so a restart loses none)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from bot.clock import SYSTEM_CLOCK, Clock
from bot.events import Destination
from storage.ghosts import GhostExpiry

log = logging.getLogger(__name__)

GIVE_UP_AFTER = 30  # failed tries (a minute apart): a platform that long away keeps the message


@runtime_checkable
class MessageRemover(Protocol):
    """The part of a chat adapter that removes one of the bridge's own messages."""

    platform: str

    async def delete_message(self, destination: Destination, message_id: str) -> bool:
        """True once the message is gone; False when the platform says it cannot be (it was
        already deleted, or may no longer be). Raises when it may work later."""


class GhostSweep:
    def __init__(
        self,
        ghosts: GhostExpiry,
        removers: Mapping[str, MessageRemover],
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        self._ghosts = ghosts
        self._removers = removers
        self._clock = clock

    async def remove_expired(self) -> int:
        """Delete the chat messages of expired ghost posts; how many went."""
        removed = 0
        for message in self._ghosts.due(self._clock.time()):
            remover = self._removers.get(message.destination.platform)
            if remover is None:  # that platform is no longer configured
                self._ghosts.removed(message)
                continue
            try:
                gone = await remover.delete_message(message.destination, message.message_id)
            except Exception as exc:  # any failure: tried again next minute
                log.warning(
                    "ghost post %s: message %s in %s not removed yet (%s)",
                    message.post_id,
                    message.message_id,
                    message.destination,
                    exc,
                )
                if message.attempts + 1 >= GIVE_UP_AFTER:
                    self._ghosts.removed(message)
                else:
                    self._ghosts.failed(message)
                continue
            if not gone:
                log.info(
                    "ghost post %s: message %s in %s could not be removed (already gone?)",
                    message.post_id,
                    message.message_id,
                    message.destination,
                )
            removed += gone
            self._ghosts.removed(message)
        return removed
