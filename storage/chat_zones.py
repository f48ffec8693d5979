"""Each chat's own time zone for /schedule (`/timezone`), kept in bridge_state by chat."""

from __future__ import annotations

from bot.events import Destination
from storage.bridge_state import BridgeState


class ChatZones:
    def __init__(self, state: BridgeState) -> None:
        self._state = state

    def get(self, chat: Destination) -> str | None:
        """The chat's zone, or None: the configured [publishing] timezone applies."""
        zone = self._state.get(zone_key(chat))
        return str(zone) if zone else None

    def set(self, chat: Destination, zone: str | None) -> None:
        if zone is None:
            self._state.forget(zone_key(chat))
        else:
            self._state.put(zone_key(chat), zone)


def zone_key(chat: Destination) -> str:
    """The chat's name in bridge_state (chat_moves.py renames it when the chat moves)."""
    # Per chat, not per forum topic: a group keeps one clock.
    return f"timezone:{chat.platform}:{chat.chat_id}"
