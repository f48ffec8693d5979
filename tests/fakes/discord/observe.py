"""The observation half of FakeDiscord: REST calls, delivered messages, interaction replies,
synced commands, gateway frames, and waiting for any of it without polling."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from typing import Any, Self

from .records import (
    GatewayFrame,
    InteractionReply,
    MessageEdit,
    RecordedCall,
    Recorder,
    SentMessage,
)
from .state import DiscordState


class Observation:
    state: DiscordState
    recorder: Recorder[Any]

    @property
    def calls(self) -> list[RecordedCall]:
        """Every REST call, in arrival order."""
        return self.recorder.calls

    def calls_to(self, method: str, path_glob: str) -> list[RecordedCall]:
        """Calls whose method matches ("*" any) and whose path below /api/v10 matches
        the fnmatch pattern (e.g. "/channels/*/messages")."""
        return [
            c
            for c in self.recorder.calls
            if method in ("*", c.method) and fnmatch.fnmatchcase(c.path, path_glob)
        ]

    @property
    def messages(self) -> list[SentMessage]:
        """Every message created (channel sends, forum posts, webhooks, interaction
        responses and followups, pushed user messages), in order."""
        return self.recorder.messages

    def messages_in(self, channel_id: int) -> list[SentMessage]:
        return [m for m in self.recorder.messages if m.channel_id == channel_id]

    def message(self, message_id: int) -> dict[str, Any]:
        """The message object as it is now (edits applied), as REST would answer it."""
        return self.state.messages[message_id].payload

    def is_deleted(self, message_id: int) -> bool:
        return self.state.messages[message_id].deleted

    @property
    def edits(self) -> list[MessageEdit]:
        return self.recorder.edits

    @property
    def rate_limited(self) -> int:
        """How many 429s the fake answered (modelled limits and injected ones)."""
        return self.recorder.rate_limited

    @property
    def gateway_frames(self) -> list[GatewayFrame]:
        return self.recorder.gateway

    def gateway_events(self, event: str) -> list[GatewayFrame]:
        """Dispatches of `event` the fake sent (e.g. "INTERACTION_CREATE", "RESUMED")."""
        return [f for f in self.recorder.gateway if f.direction == "out" and f.t == event]

    @property
    def identifies(self) -> int:
        return sum(1 for f in self.recorder.gateway if f.direction == "in" and f.op == 2)

    @property
    def resumes(self) -> int:
        """Sessions resumed (RESUMED sent)."""
        return len(self.gateway_events("RESUMED"))

    def responses_to(self, interaction_id: int) -> list[InteractionReply]:
        """Callback, followups, edits and deletes answering one interaction, in order."""
        return [r for r in self.recorder.replies if r.interaction_id == interaction_id]

    def autocomplete_choices(self, interaction_id: int) -> list[dict[str, Any]] | None:
        """The choices of a type-8 callback, or None if it has not been answered so."""
        for reply in self.responses_to(interaction_id):
            if reply.kind == "callback" and reply.type == 8:
                return list(reply.data.get("choices") or [])
        return None

    def modal_opened(self, interaction_id: int) -> dict[str, Any] | None:
        """The modal (custom_id, title, components) a type-9 callback opened, or None."""
        for reply in self.responses_to(interaction_id):
            if reply.kind == "callback" and reply.type == 9:
                return dict(reply.data)
        return None

    def commands(self, guild_id: int | None = None) -> list[dict[str, Any]]:
        """The synced commands (global when guild_id is None), as Discord stores them."""
        return self.state.commands.get(guild_id, [])

    async def wait_for(
        self,
        predicate: Callable[[Self], bool],
        timeout: float = 10.0,  # noqa: ASYNC109 - a deadline for the whole wait, by design
    ) -> None:
        """Wait until `predicate(fake)` holds, re-checked on every recorded REST call and
        gateway frame; on timeout an AssertionError lists what the fake saw."""
        await self.recorder.wait_for(self, predicate, within=timeout)

    def reset_records(self) -> None:
        """Forget calls, messages, replies and frames (not the world or the sessions)."""
        self.recorder.reset()
