"""What REST handlers work with: the world, the records, message and interaction factories,
the gateway to echo events through, and the types of a request and its reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import DiscordError, field_error, not_found
from .interactions import InteractionFactory, PendingInteraction
from .messages import Messages
from .models import FakeChannel
from .records import Recorder
from .state import DiscordState

Publish = Callable[[str, dict[str, Any]], Awaitable[None]]


@dataclass
class Request:
    """A parsed REST request: path parameters by template name, query, JSON body (or the
    payload_json of a multipart body) and uploaded files as (filename, bytes)."""

    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]]
    headers: Mapping[str, str]  # case-insensitive

    def snowflake(self, name: str) -> int:
        """A numeric path parameter; anything else is a 404, as on Discord."""
        value = self.params[name]
        if not value.isdigit():
            raise not_found()
        return int(value)

    def snowflake_query(self, name: str) -> int:
        value = self.query.get(name, "")
        if not value.isdigit():
            raise field_error((name,), "NUMBER_TYPE_COERCE", f'Value "{value}" is not snowflake.')
        return int(value)

    def body(self) -> dict[str, Any]:
        if not isinstance(self.json, dict):
            raise field_error(
                (), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"
            )
        return self.json

    def flag(self, name: str) -> bool:
        """A boolean query parameter (discord.py sends 1/0, others true/false)."""
        return self.query.get(name, "").lower() in ("1", "true")


@dataclass
class Reply:
    body: Any = None
    status: int = 200

    @classmethod
    def no_content(cls) -> Reply:
        return cls(None, 204)


@dataclass
class Backend:
    token: str
    state: DiscordState
    recorder: Recorder[Any]
    messages: Messages
    factory: InteractionFactory
    publish: Publish
    gateway_url: Callable[[], str]
    clock: Callable[[], float]
    echo_messages: bool = True
    interaction_deadline: float = 3.0
    token_lifetime: float = 15 * 60.0
    interactions: dict[int, PendingInteraction] = field(default_factory=dict)

    def interaction(self, interaction_id: int, token: str) -> PendingInteraction:
        """A live interaction addressed by id and token (10062 otherwise)."""
        found = self.interactions.get(interaction_id)
        if found is None or found.token != token:
            raise DiscordError(404, "Unknown interaction", 10062)
        return found

    def interaction_by_token(self, application_id: int, token: str) -> PendingInteraction:
        """The interaction behind a followup webhook (/webhooks/{app_id}/{token})."""
        if application_id == self.state.application_id:
            for found in self.interactions.values():
                if found.token == token:
                    if self.clock() - found.created > self.token_lifetime:
                        raise DiscordError(401, "Invalid Webhook Token", 50027)
                    return found
        raise DiscordError(404, "Unknown Webhook", 10015)

    async def echo_message(self, channel: FakeChannel, payload: dict[str, Any]) -> None:
        """MESSAGE_CREATE for a message that is visible in the channel (not ephemeral)."""
        if not self.echo_messages or payload.get("flags", 0) & (1 << 6):
            return
        event = dict(payload)
        if channel.guild_id is not None:
            event["guild_id"] = str(channel.guild_id)
            author_id = int(payload["author"]["id"])
            if "webhook_id" not in payload and (channel.guild_id, author_id) in self.state.members:
                member = self.state.member_payload(channel.guild_id, author_id)
                member.pop("user")
                event["member"] = member
        await self.publish("MESSAGE_CREATE", event)

    async def echo_edit(self, channel_id: int, payload: dict[str, Any]) -> None:
        if not self.echo_messages or payload.get("flags", 0) & (1 << 6):
            return
        event = dict(payload)
        channel = self.state.channels.get(channel_id)
        if channel is not None and channel.guild_id is not None:
            event["guild_id"] = str(channel.guild_id)
        await self.publish("MESSAGE_UPDATE", event)
