"""Creating, editing and deleting messages: the full message objects REST answers and the
gateway echoes, plus the SentMessage/MessageEdit records tests read."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import payloads
from .mentions import pings
from .models import FakeChannel, iso
from .records import MessageEdit, Recorder, SentMessage
from .state import DiscordState, StoredMessage

# Keys a message create/edit body may carry that end up on the message object.
DISPLAY_KEYS = ("content", "embeds", "components", "flags", "attachments", "poll")
CHAT_INPUT_COMMAND_TYPE = 20


@dataclass
class Origin:
    """Who sends a message and how: the author, and for webhooks/interactions their ids."""

    via: str
    author: dict[str, Any]
    author_id: int
    webhook_id: int | None = None
    username: str | None = None
    avatar_url: str | None = None
    interaction: dict[str, Any] | None = None  # interaction_metadata
    message_type: int = 0


class Messages:
    def __init__(self, state: DiscordState, recorder: Recorder[Any]) -> None:
        self.state = state
        self.recorder = recorder

    def bot_origin(self) -> Origin:
        return Origin("channel", payloads.user(self.state.bot), self.state.bot.id)

    def create(
        self,
        channel: FakeChannel,
        body: dict[str, Any],
        origin: Origin,
        *,
        files: list[tuple[str, bytes]] | None = None,
        message_id: int | None = None,
        record: bool = True,
        attachments: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Store and record a new message; returns its payload (REST's answer). With
        `message_id`, a message with that id (a forum starter, a completed deferred
        response) is created or replaced; `record=False` stores without a SentMessage (the
        "thinking..." placeholder of a deferred response, a message a person wrote).
        `attachments`: attachment objects already stored (on the fake's CDN)."""
        files = files or []
        if attachments is None:
            attachments = self._attachments(channel.id, body, files)
        message_id = message_id or self.state.ids.next()
        flags = int(body.get("flags") or 0)
        allowed = body.get("allowed_mentions")
        who = pings(body.get("content"), allowed, is_reply="message_reference" in body)
        payload: dict[str, Any] = {
            "id": str(message_id),
            "channel_id": str(channel.id),
            "type": origin.message_type,
            "content": body.get("content") or "",
            "author": origin.author,
            "attachments": attachments,
            "embeds": [_embed(e) for e in body.get("embeds") or []],
            "components": self._components(body.get("components") or []),
            "mentions": [
                payloads.user(self.state.users[u]) for u in who.users if u in self.state.users
            ],
            "mention_roles": [str(r) for r in sorted(who.roles)],
            "mention_everyone": who.everyone,
            "pinned": False,
            "tts": bool(body.get("tts", False)),
            "timestamp": iso(),
            "edited_timestamp": None,
            "flags": flags,
        }
        if body.get("nonce") is not None:
            payload["nonce"] = body["nonce"]
        if origin.webhook_id is not None:
            payload["webhook_id"] = str(origin.webhook_id)
        if origin.interaction is not None:
            payload["application_id"] = str(self.state.application_id)
            payload["interaction_metadata"] = origin.interaction
        if body.get("message_reference"):
            payload["message_reference"] = body["message_reference"]
        if channel.is_thread:
            payload["position"] = channel.message_count
        channel.last_message_id = message_id
        channel.message_count += 1
        interaction_id = int(origin.interaction["id"]) if origin.interaction else None
        self.state.messages[message_id] = StoredMessage(
            payload, channel.id, origin.author_id, origin.webhook_id, interaction_id
        )
        if not record:
            return payload
        self.recorder.messages.append(
            SentMessage(
                id=message_id,
                channel_id=channel.id,
                guild_id=channel.guild_id,
                via=origin.via,
                content=body.get("content"),
                embeds=tuple(copy.deepcopy(body.get("embeds") or [])),
                components=tuple(copy.deepcopy(body.get("components") or [])),
                allowed_mentions=copy.deepcopy(allowed),
                flags=flags,
                author_id=origin.author_id,
                pings=who,
                webhook_id=origin.webhook_id,
                username=origin.username,
                avatar_url=origin.avatar_url,
                interaction_id=interaction_id,
                files=tuple(name for name, _ in files),
                uploads=tuple(data for _, data in files),
                time=time.time(),
            )
        )
        return payload

    def edit(
        self,
        stored: StoredMessage,
        changes: dict[str, Any],
        *,
        interaction_id: int | None = None,
        files: list[tuple[str, int]] | None = None,
    ) -> dict[str, Any]:
        payload = stored.payload
        for key in DISPLAY_KEYS:
            if key not in changes:
                continue
            value = changes[key]
            if key == "embeds":
                value = [_embed(e) for e in value or []]
            elif key == "components":
                value = self._components(value or [])
            elif key == "attachments":
                value = self._attachments(stored.channel_id, changes, files or [])
            elif key == "content":
                value = value or ""
            elif key == "flags":
                # Only SUPPRESS_EMBEDS can change; ephemeral and the rest stick.
                value = (payload["flags"] & ~4) | (int(value or 0) & 4)
            payload[key] = value
        payload["edited_timestamp"] = iso()
        self.recorder.edits.append(
            MessageEdit(
                int(payload["id"]),
                stored.channel_id,
                copy.deepcopy(changes),
                interaction_id,
                time.time(),
            )
        )
        return payload

    def delete(self, stored: StoredMessage) -> None:
        stored.deleted = True
        self.recorder.deleted.append(int(stored.payload["id"]))

    def _attachments(
        self, channel_id: int, body: dict[str, Any], files: list[tuple[str, bytes]]
    ) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for index, (name, data) in enumerate(files):
            attachment_id = self.state.ids.next()
            described: dict[str, Any] = next(
                (a for a in body.get("attachments") or [] if str(a.get("id")) == str(index)), {}
            )
            url = f"https://cdn.discordapp.com/attachments/{channel_id}/{attachment_id}/{name}"
            out.append(
                {
                    "id": str(attachment_id),
                    "filename": name,
                    "size": len(data),
                    "url": url,
                    "proxy_url": url.replace("cdn.discordapp.com", "media.discordapp.net"),
                    "description": described.get("description"),
                    # Discord names the type from the file name.
                    "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                }
            )
        return out

    def _components(self, components: list[Any]) -> list[Any]:
        """Discord echoes components with a numeric `id` on each one, numbered 1, 2, ...
        within the message in depth-first order (ids the sender chose are kept)."""
        out = copy.deepcopy(components)
        taken = {c.get("id") for c in _walk(out)}
        numbers = (n for n in itertools.count(1) if n not in taken)
        for item in _walk(out):
            if item.get("id") is None:
                item["id"] = next(numbers)
        return out


def _walk(components: list[Any]) -> Iterator[dict[str, Any]]:
    for item in components:
        if not isinstance(item, dict):
            continue
        yield item
        yield from _walk(item.get("components") or [])
        for key in ("component", "accessory"):
            if isinstance(item.get(key), dict):
                yield from _walk([item[key]])


def _embed(embed: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(embed)
    out.setdefault("type", "rich")
    out.setdefault("content_scan_version", 0)
    return out
