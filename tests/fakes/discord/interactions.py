"""INTERACTION_CREATE payloads as Discord sends them over the gateway (slash commands with
nested subcommands, autocomplete, button clicks, modal submits), and the fake's memory of
each interaction (who it came from, whether and how it was answered)."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any

from . import payloads
from .cdn import Cdn, Upload
from .options import command_options
from .state import DiscordState

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
CHAT_INPUT, USER_COMMAND, MESSAGE_COMMAND = 1, 2, 3  # application command types
GUILD_CONTEXT, BOT_DM_CONTEXT = 0, 1
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024


@dataclass(frozen=True)
class SentInteraction:
    """What a push helper returns: the interaction's id and token, and the `d` sent."""

    id: int
    token: str
    payload: dict[str, Any]


@dataclass
class PendingInteraction:
    """The fake's view of one interaction: `callback_type` once acknowledged, the message
    the original response became, followup message ids."""

    id: int
    token: str
    type: int
    guild_id: int | None
    channel_id: int
    user_id: int
    created: float
    command_name: str | None = None
    command_type: int = CHAT_INPUT
    message_id: int | None = None  # the message a clicked component sits on
    callback_type: int | None = None
    original_message_id: int | None = None
    followups: list[int] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.callback_type is not None

    def metadata(self, state: DiscordState) -> dict[str, Any]:
        """`interaction_metadata` on the messages that answer it."""
        owners = {"0": str(self.guild_id or 0)}
        data: dict[str, Any] = {
            "id": str(self.id),
            "type": self.type,
            "user": payloads.user(state.user(self.user_id)),
            "authorizing_integration_owners": owners,
        }
        if self.command_name is not None:
            data["name"] = self.command_name
            data["command_type"] = self.command_type
        if self.message_id is not None:
            data["interacted_message_id"] = str(self.message_id)
        return data


class InteractionFactory:
    def __init__(self, state: DiscordState, cdn: Cdn | None = None) -> None:
        self.state = state
        self.cdn = cdn

    def new_token(self, interaction_id: int) -> str:
        """Discord's shape: base64 of `interaction:<id>:<secret>` (URL-safe characters)."""
        raw = f"interaction:{interaction_id}:{secrets.token_urlsafe(96)}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def base(
        self, kind: int, guild_id: int | None, channel_id: int | None, user_id: int
    ) -> tuple[PendingInteraction, dict[str, Any]]:
        """The envelope every interaction shares (what Interaction._from_data reads)."""
        state = self.state
        interaction_id = state.ids.next()
        if guild_id is None:
            channel = state.dm_channel(user_id, channel_id)
        else:
            if channel_id is None:
                raise ValueError("a guild interaction needs a channel_id")
            channel = state.channel(channel_id)
            if channel.guild_id != guild_id:
                raise ValueError(f"channel {channel_id} is not in guild {guild_id}")
        token = self.new_token(interaction_id)
        data: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(state.application_id),
            "type": kind,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "channel": state.channel_payload(channel),
            "locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild_id is None:
            data |= {
                "user": payloads.user(state.user(user_id)),
                "context": BOT_DM_CONTEXT,
                "authorizing_integration_owners": {"0": "0"},
                "app_permissions": str(_DM_APP_PERMISSIONS),
            }
        else:
            data |= {
                "guild_id": str(guild_id),
                "guild": {"id": str(guild_id), "locale": "en-US", "features": []},
                "guild_locale": "en-US",
                "member": state.member_payload(guild_id, user_id, with_permissions=True),
                "context": GUILD_CONTEXT,
                "authorizing_integration_owners": {"0": str(guild_id)},
                "app_permissions": str(state.permissions(guild_id, state.bot.id)),
            }
        pending = PendingInteraction(
            interaction_id, token, kind, guild_id, channel.id, user_id, created=0.0
        )
        return pending, data

    def command(
        self,
        kind: int,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        name: str,
        path: list[str],
        options: dict[str, Any],
        focused: str | None = None,
    ) -> tuple[PendingInteraction, dict[str, Any]]:
        """A slash command (kind 2) or autocomplete (kind 4) for a synced command."""
        synced, scope = self.find_command(name, guild_id)
        pending, data = self.base(kind, guild_id, channel_id, user_id)
        pending.command_name = " ".join([name, *path])

        def attach(upload: Upload) -> dict[str, Any]:
            if self.cdn is None:
                raise ValueError("fake Discord: attachment options need the CDN")
            return self.cdn.attachment(pending.channel_id, upload, ephemeral=True)

        built, resolved = command_options(
            self.state, synced, path, options, guild_id, focused, attach
        )
        inner: dict[str, Any] = {"id": synced["id"], "name": name, "type": 1, "options": built}
        if scope is not None:
            inner["guild_id"] = str(scope)
        if resolved:
            inner["resolved"] = resolved
        data["data"] = inner
        return pending, data

    def message_command(
        self, guild_id: int | None, channel_id: int | None, user_id: int, name: str, target: int
    ) -> tuple[PendingInteraction, dict[str, Any]]:
        """A message context-menu command (Apps > `name` on message `target`): type 2 with
        data.type 3, the target's id and the message itself in resolved.messages (with its
        content: Discord sends it whatever the bot's intents)."""
        synced, scope = self.find_command(name, guild_id, MESSAGE_COMMAND)
        pending, data = self.base(APPLICATION_COMMAND, guild_id, channel_id, user_id)
        pending.command_name, pending.command_type = name, MESSAGE_COMMAND
        message = self.state.message(pending.channel_id, target).payload
        inner: dict[str, Any] = {
            "id": synced["id"],
            "name": name,
            "type": MESSAGE_COMMAND,
            "target_id": str(target),
            "resolved": {"messages": {str(target): message}},
        }
        if scope is not None:
            inner["guild_id"] = str(scope)
        data["data"] = inner
        return pending, data

    def find_command(
        self, name: str, guild_id: int | None, kind: int = CHAT_INPUT
    ) -> tuple[dict[str, Any], int | None]:
        scopes: list[int | None] = [guild_id, None] if guild_id is not None else [None]
        for scope in scopes:
            for synced in self.state.commands.get(scope, []):
                if synced["name"] == name and synced.get("type", CHAT_INPUT) == kind:
                    return synced, scope
        shown = f"/{name}" if kind == CHAT_INPUT else repr(name)
        raise LookupError(
            f"fake Discord: {shown} was not synced (guild {guild_id} or global); "
            "run tree.sync() first"
        )

    def component(
        self,
        guild_id: int | None,
        channel_id: int,
        user_id: int,
        message_id: int,
        custom_id: str,
        values: list[str] | None,
    ) -> tuple[PendingInteraction, dict[str, Any]]:
        stored = self.state.message(channel_id, message_id)
        component = _find_component(stored.payload.get("components") or [], custom_id)
        if component is None:
            raise LookupError(
                f"message {message_id} has no component with custom_id {custom_id!r}"
            )
        pending, data = self.base(COMPONENT, guild_id, channel_id, user_id)
        pending.message_id = message_id
        inner: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if "id" in component:
            inner["id"] = component["id"]
        if component["type"] != 2:
            inner["values"] = list(values or [])
        data["data"] = inner
        data["message"] = (
            stored.payload | {"guild_id": str(guild_id)} if guild_id else stored.payload
        )
        return pending, data

    def modal_submit(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        custom_id: str,
        values: dict[str, str],
        opened: dict[str, Any] | None,
    ) -> tuple[PendingInteraction, dict[str, Any]]:
        pending, data = self.base(MODAL_SUBMIT, guild_id, channel_id, user_id)
        rows = submitted_components(opened, values)
        data["data"] = {"custom_id": custom_id, "components": rows}
        return pending, data


_DM_APP_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16)


def submitted_components(
    opened: dict[str, Any] | None, values: dict[str, str]
) -> list[dict[str, Any]]:
    """What Discord sends back for a modal: the opened modal's layout (action rows or
    labels) with each text input's value; without a known modal, one row per value."""
    remaining = dict(values)
    rows: list[dict[str, Any]] = []
    layout = (opened or {}).get("components") or [
        {"type": 1, "components": [{"type": 4, "custom_id": key}]} for key in values
    ]
    for index, row in enumerate(layout, start=1):
        if row.get("type") == 18 and isinstance(row.get("component"), dict):
            inner = row["component"]
            rows.append({"type": 18, "id": index, "component": _filled(inner, remaining)})
        elif row.get("type") == 1:
            children = [_filled(c, remaining) for c in row.get("components") or []]
            rows.append({"type": 1, "id": index, "components": children})
    if remaining:
        raise LookupError(f"the modal has no text inputs {sorted(remaining)}")
    return rows


def _filled(component: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    custom_id = component.get("custom_id", "")
    out: dict[str, Any] = {"type": component.get("type", 4), "custom_id": custom_id}
    if out["type"] == 4:
        out["value"] = values.pop(custom_id, component.get("value") or "")
    return out


def _find_component(components: list[Any], custom_id: str) -> dict[str, Any] | None:
    stack = list(components)
    while stack:
        item = stack.pop(0)
        if not isinstance(item, dict):
            continue
        if item.get("custom_id") == custom_id:
            return item
        stack.extend(item.get("components") or [])
        if isinstance(item.get("accessory"), dict):
            stack.append(item["accessory"])
    return None
