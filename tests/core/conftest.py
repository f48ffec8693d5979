"""The command side without any chat platform: a recording adapter in front of the real
`Bridge`, whose `Context` is built from real parts as `BridgeApp.open()` builds it (a `Store`
on a temporary SQLite file, the `ThreadsClient` and `Publisher` against the simulator).

Only the scheduler is replaced, by a recorder of the `SourceWatcher` protocol: it is what
commands see of it, and these tests look at what they asked of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from adapters.discord.adapter import DISCORD_REFUSALS
from bot.bridge import Bridge
from bot.commands import Context
from bot.confirm import CONFIRM
from bot.events import (
    Attachment,
    ChatMessage,
    ChatUser,
    Command,
    Confirm,
    Destination,
    Platform,
    Reply,
    Role,
    Source,
)
from bot.threads.client import ThreadsClient
from bot.threads.publish import Publisher
from storage.store import Store

PUBLISHER = ChatUser("1001", "Pat")  # listed in telegram.publishers
MEMBER = ChatUser("1002", "Mel")
ADMIN = ChatUser("1003", "Ada")  # a group admin who is not a publisher
GROUP = Destination(Platform.TELEGRAM, "-1001000000001")
TOPIC = Destination(Platform.TELEGRAM, GROUP.chat_id, "42")  # a forum topic of GROUP
PRIVATE = Destination(Platform.TELEGRAM, PUBLISHER.id)  # Pat's private chat with the bot

DISCORD_PUBLISHER = ChatUser("2001", "pat")  # listed in discord.publishers
DISCORD_MEMBER = ChatUser("2002", "bob")
EDITORS_ROLE = "3001"  # listed in discord.publisher_roles
CHANNEL = Destination(Platform.DISCORD, "4001")


@dataclass
class RecordingWatcher:
    """The scheduler as commands see it (`SourceWatcher`), remembering what it was asked."""

    watched: list[str] = field(default_factory=list)
    unwatched: list[str] = field(default_factory=list)

    def watch(self, source: Source) -> None:
        self.watched.append(source.key)

    def unwatch(self, source: Source) -> None:
        self.unwatched.append(source.key)


@dataclass
class RecordingAdapter:
    """A chat adapter reduced to its contract with the core: it turns a typed command into a
    `Command` as the adapters do (name lower-cased, arguments stripped, the role the chat
    tells), awaits `Bridge.handle` and records every `Reply` it would have sent."""

    bridge: Bridge
    platform: Platform
    replies: list[tuple[Command, Reply]] = field(default_factory=list)

    async def send(
        self,
        chat: Destination,
        user: ChatUser,
        text: str,
        *,
        role: Role = Role.MEMBER,
        reply_to: str | None = None,
        roles: tuple[str, ...] = (),
        attachments: tuple[Attachment, ...] = (),
        answered: ChatMessage | None = None,
    ) -> Reply:
        assert chat.platform == self.platform
        name, _, args = text.removeprefix("/").partition(" ")
        command = Command(
            name=name.lower(),
            args=args.strip(),
            user=user,
            chat=chat,
            role=role,
            reply_to_message_id=reply_to,
            user_roles=roles,
            attachments=attachments,
            answered=answered,
        )
        reply = await self.bridge.handle(command)
        self.replies.append((command, reply))
        return reply

    async def click(
        self,
        chat: Destination,
        user: ChatUser,
        confirm: Confirm | None,
        *,
        role: Role = Role.MEMBER,
        roles: tuple[str, ...] = (),
    ) -> Reply:
        """A click on an answer's confirmation button, as the adapters report it: the
        `CONFIRM` command carrying the button's action id, from whoever clicked."""
        assert confirm is not None and confirm.action_id, "the answer has no button"
        command = Command(
            name=CONFIRM,
            args=confirm.action_id,
            user=user,
            chat=chat,
            role=role,
            user_roles=roles,
        )
        reply = await self.bridge.handle(command)
        self.replies.append((command, reply))
        return reply


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "bridge.db")
    yield opened
    opened.close()


@pytest.fixture
def watcher() -> RecordingWatcher:
    return RecordingWatcher()


@pytest.fixture
async def ctx(store: Store, client: ThreadsClient, watcher: RecordingWatcher) -> Context:
    context = Context(
        store=store,
        threads=client,
        publisher=Publisher(client),
        watcher=watcher,
        publishers={
            "telegram": frozenset({PUBLISHER.id}),
            "discord": frozenset({DISCORD_PUBLISHER.id}),
        },
        publisher_roles={"discord": frozenset({EDITORS_ROLE})},
    )
    context.me = await client.me()  # as BridgeApp.start() learns the connected account
    return context


@pytest.fixture
def bridge(ctx: Context) -> Bridge:
    return Bridge(ctx)


@pytest.fixture
def telegram_chat(bridge: Bridge) -> RecordingAdapter:
    """Telegram's adapter words no refusal of its own: the core's defaults."""
    return RecordingAdapter(bridge, Platform.TELEGRAM)


@pytest.fixture
def discord_chat(bridge: Bridge) -> RecordingAdapter:
    """Discord's adapter hands the core its own wording, as `DiscordAdapter.__init__` does."""
    bridge.word_refusals(Platform.DISCORD, DISCORD_REFUSALS)
    return RecordingAdapter(bridge, Platform.DISCORD)
