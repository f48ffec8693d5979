"""What tests observe: every REST call, every delivered message, interaction replies, edits,
gateway traffic, and event-driven waiting on all of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.waiting import Owner, Waitable

EPHEMERAL = 1 << 6


@dataclass(frozen=True)
class RecordedCall:
    """One REST request as the fake answered it. `path` is below /api/v10; `route` is the
    OpenAPI template it matched (None for unknown routes); `json` is the JSON body, or the
    `payload_json` part of a multipart body; `files` the uploaded file names."""

    method: str
    path: str
    route: str | None
    query: Mapping[str, str]
    json: Any
    files: tuple[str, ...]
    headers: Mapping[str, str]
    status: int
    response: Any
    time: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def authorization(self) -> str | None:
        return self.headers.get("Authorization")


@dataclass(frozen=True)
class Pings:
    """Who a message actually notifies once allowed_mentions is applied."""

    everyone: bool = False
    users: frozenset[int] = frozenset()
    roles: frozenset[int] = frozenset()
    replied_user: bool = False

    @property
    def anyone(self) -> bool:
        return self.everyone or bool(self.users) or bool(self.roles) or self.replied_user


@dataclass(frozen=True)
class SentMessage:
    """A message the fake accepted. `via` is how it came: "channel" (POST .../messages),
    "forum" (the first message of a forum post; `channel_id` is the new thread),
    "webhook" (an incoming webhook), "interaction" (a type-4 callback, or a deferred
    response completed by editing @original), "followup" (the first followup after a
    deferral takes over the deferred message's id), or "user" (post_message). Edits,
    including type-7 callbacks, are in `edits`."""

    id: int
    channel_id: int
    guild_id: int | None
    via: str
    content: str | None
    embeds: tuple[dict[str, Any], ...]
    components: tuple[dict[str, Any], ...]
    allowed_mentions: dict[str, Any] | None
    flags: int
    author_id: int
    pings: Pings
    webhook_id: int | None = None
    username: str | None = None
    avatar_url: str | None = None
    interaction_id: int | None = None
    files: tuple[str, ...] = ()
    uploads: tuple[bytes, ...] = field(default=(), repr=False)  # the files' bytes, in order
    time: float = field(default=0.0, repr=False)

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & EPHEMERAL)


@dataclass(frozen=True)
class MessageEdit:
    """An accepted edit (PATCH of a channel message, a webhook message or @original, or a
    type-7 callback); `changes` is the body as sent."""

    message_id: int
    channel_id: int
    changes: dict[str, Any]
    interaction_id: int | None
    time: float = field(repr=False)


@dataclass(frozen=True)
class InteractionReply:
    """One answer to an interaction, in order: kind "callback" (`type` is the callback type,
    `data` its data), "followup", "edit" (of @original or a followup) or "delete"."""

    interaction_id: int
    kind: str
    type: int | None
    data: Any
    message_id: int | None
    time: float = field(repr=False)


@dataclass(frozen=True)
class GatewayFrame:
    """One gateway payload: direction "in" (from the client) or "out" (from the fake)."""

    direction: str
    session_id: str | None
    op: int
    t: str | None
    s: int | None
    d: Any
    time: float = field(repr=False)


class Recorder(Waitable[Owner]):
    """Keeps the records and wakes `wait_for` callers whenever something is recorded."""

    label = "fake Discord"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[RecordedCall] = []
        self.messages: list[SentMessage] = []
        self.edits: list[MessageEdit] = []
        self.deleted: list[int] = []
        self.replies: list[InteractionReply] = []
        self.gateway: list[GatewayFrame] = []
        self.rate_limited = 0

    def reset(self) -> None:
        self.calls.clear()
        self.messages.clear()
        self.edits.clear()
        self.deleted.clear()
        self.replies.clear()
        self.gateway.clear()
        self.rate_limited = 0

    def summary(self, last: int = 25) -> str:
        calls = [
            f"  {c.method} {c.path} -> {c.status}" + (f" {_short(c.response)}" if not c.ok else "")
            for c in self.calls
        ][-last:]
        messages = [
            f"  #{m.id} in {m.channel_id} via {m.via}: {m.content!r}"
            + (f" +{len(m.embeds)} embeds" if m.embeds else "")
            for m in self.messages
        ][-last:]
        frames = [
            f"  {f.direction} op={f.op} t={f.t} s={f.s}"
            for f in self.gateway
            if f.op not in (1, 11)
        ][-last:]
        return "\n".join(
            [
                f"REST calls (last {last}):",
                *(calls or ["  none"]),
                f"messages (last {last}):",
                *(messages or ["  none"]),
                f"gateway frames (last {last}, heartbeats omitted):",
                *(frames or ["  none"]),
            ]
        )


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
