"""What people do that reaches the bot over the gateway: slash commands, autocomplete,
button clicks and modal submits. Each helper sends one event and returns what it sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import payloads
from .backend import Backend
from .cdn import Upload
from .gateway import Gateway
from .interactions import APPLICATION_COMMAND, AUTOCOMPLETE, PendingInteraction, SentInteraction
from .messages import Origin
from .models import iso
from .state import DiscordState


class InteractionPushes:
    state: DiscordState
    backend: Backend
    gateway: Gateway

    async def invoke_slash(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        name: str,
        subcommand: str | None = None,
        options: dict[str, Any] | None = None,
        *,
        group: str | None = None,
    ) -> SentInteraction:
        """`/name [group] [subcommand] options...` as a type-2 INTERACTION_CREATE, typed from
        the synced command. `guild_id=None` is a DM (`channel_id` None: the user's DM)."""
        path = [p for p in (group, subcommand) if p is not None]
        pending, data = self.backend.factory.command(
            APPLICATION_COMMAND, guild_id, channel_id, user_id, name, path, options or {}
        )
        return await self._push(pending, data)

    async def invoke_message_command(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        name: str,
        message_id: int,
    ) -> SentInteraction:
        """A message context-menu command (right click > Apps > `name`) on a message the
        fake holds, e.g. one from `write_message`."""
        pending, data = self.backend.factory.message_command(
            guild_id, channel_id, user_id, name, message_id
        )
        return await self._push(pending, data)

    def write_message(
        self, channel_id: int, user_id: int, content: str, uploads: Sequence[Upload] = ()
    ) -> int:
        """A message a person wrote in a channel, with files (served by the fake's CDN);
        returns its id. No MESSAGE_CREATE is sent: a bot with only the guilds intent (the
        bridge) is not told of members' messages."""
        channel = self.state.channel(channel_id)
        if channel.guild_id is not None:
            self.state.member(channel.guild_id, user_id)
        author = self.state.user(user_id)
        origin = Origin("user", payloads.user(author), author.id)
        cdn = self.backend.factory.cdn
        if uploads and cdn is None:
            raise ValueError("fake Discord: attachments need the CDN")
        attachments = [cdn.attachment(channel_id, u) for u in uploads] if cdn else []
        payload = self.backend.messages.create(
            channel, {"content": content}, origin, record=False, attachments=attachments
        )
        return int(payload["id"])

    async def post_message(
        self, channel_id: int, user_id: int, content: str, uploads: Sequence[Upload] = ()
    ) -> int:
        """A message a person writes in a channel, dispatched as MESSAGE_CREATE (with
        guild_id and member, as Discord sends it to a bot with the guild_messages intent;
        without message_content the content arrives empty). Returns its id."""
        message_id = self.write_message(channel_id, user_id, content, uploads)
        await self.backend.echo_message(
            self.state.channel(channel_id), self.state.messages[message_id].payload
        )
        return message_id

    async def edit_message(self, message_id: int, content: str) -> None:
        """A person edits their message: the stored one changes, MESSAGE_UPDATE carries it."""
        stored = self.state.messages[message_id]
        stored.payload["content"] = content
        stored.payload["edited_timestamp"] = iso()
        await self.backend.echo_edit(stored.channel_id, stored.payload)

    async def delete_message(self, message_id: int) -> None:
        """A person deletes their message: MESSAGE_DELETE (id, channel_id, guild_id)."""
        stored = self.state.messages.pop(message_id)
        channel = self.state.channel(stored.channel_id)
        event = {"id": str(message_id), "channel_id": str(channel.id)}
        if channel.guild_id is not None:
            event["guild_id"] = str(channel.guild_id)
        await self.gateway.dispatch("MESSAGE_DELETE", event)

    async def autocomplete(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        name: str,
        subcommand: str | None,
        focused_option: str,
        value: str,
        other_options: dict[str, Any] | None = None,
        *,
        group: str | None = None,
    ) -> SentInteraction:
        """A type-4 interaction: the user is typing `value` into `focused_option`."""
        path = [p for p in (group, subcommand) if p is not None]
        options = dict(other_options or {}) | {focused_option: value}
        pending, data = self.backend.factory.command(
            AUTOCOMPLETE, guild_id, channel_id, user_id, name, path, options, focused_option
        )
        return await self._push(pending, data)

    async def click_button(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        message_id: int,
        custom_id: str,
        *,
        values: list[str] | None = None,
    ) -> SentInteraction:
        """A type-3 interaction on a component of a message the fake holds (a select menu
        when `values` is given)."""
        pending, data = self.backend.factory.component(
            guild_id, channel_id, user_id, message_id, custom_id, values
        )
        return await self._push(pending, data)

    async def submit_modal(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        custom_id: str,
        values: dict[str, str],
    ) -> SentInteraction:
        """A type-5 interaction: text input values by custom_id, laid out like the modal the
        bot last opened with this custom_id (action rows or labels)."""
        opened, opener = self._last_modal(custom_id)
        pending, data = self.backend.factory.modal_submit(
            guild_id, channel_id, user_id, custom_id, values, opened
        )
        if opener is not None and opener.message_id is not None:
            # Opened from a component: Discord sends that message along.
            stored = self.state.messages.get(opener.message_id)
            if stored is not None:
                pending.message_id = opener.message_id
                data["message"] = stored.payload
        return await self._push(pending, data)

    async def _push(self, pending: PendingInteraction, data: dict[str, Any]) -> SentInteraction:
        if self.gateway.current is None:
            raise RuntimeError("fake Discord: no client has identified on the gateway yet")
        pending.created = self.backend.clock()
        self.backend.interactions[pending.id] = pending
        await self.gateway.dispatch("INTERACTION_CREATE", data)
        return SentInteraction(pending.id, pending.token, data)

    def _last_modal(
        self, custom_id: str
    ) -> tuple[dict[str, Any] | None, PendingInteraction | None]:
        """The modal last opened with this custom_id, and the interaction that opened it."""
        for reply in reversed(self.backend.recorder.replies):
            if reply.type == 9 and (reply.data or {}).get("custom_id") == custom_id:
                return dict(reply.data), self.backend.interactions.get(reply.interaction_id)
        return None, None
