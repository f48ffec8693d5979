"""The /threads username autocomplete (DiscordAdapter.suggest) from raw interactions: the
usernames watched anywhere in the server the interaction comes from (its channels and threads,
as the gateway described them), or in the DM it comes from.

The adapter is the real one, never started: its own client's state is fed READY and
GUILD_CREATE as the gateway would, and its Bridge reads a real Store on a temporary file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from adapters.discord.adapter import DiscordAdapter
from bot.bridge import Bridge
from bot.commands import Context
from bot.events import Destination, Platform, SourceKind
from bot.threads.client import ThreadsClient
from bot.threads.publish import Publisher
from storage.store import Store
from tests.core.conftest import RecordingWatcher
from tests.discord.raw_interactions import (
    DM,
    GUILD_CREATE,
    TEXT,
    THREAD,
    VIEW_SEND_READ,
    connected,
    dm_interaction,
    guild_interaction,
    interaction,
    thread_channel,
)

ELSEWHERE = "1900000000000000101"  # a channel of another server


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = Store.open(tmp_path / "bridge.db")
    yield opened
    opened.close()


@pytest.fixture
async def adapter(store: Store, client: ThreadsClient) -> DiscordAdapter:
    ctx = Context(store, client, Publisher(client), RecordingWatcher(), publishers={})
    ctx.me = await client.me()
    return DiscordAdapter("never-used-token", Bridge(ctx))


@pytest.fixture
async def state(adapter: DiscordAdapter) -> AsyncIterator[Any]:
    server = GUILD_CREATE | {"threads": [thread_channel()]}
    async for ready in connected([server], client=adapter._client):
        yield ready


def watching(store: Store, chat_id: str, *usernames: str) -> None:
    """The subscriptions /watch leaves behind in a Discord chat."""
    for username in usernames:
        kind = SourceKind.ME if username == "me" else SourceKind.PROFILE
        source = store.sources.ensure(kind, username)
        destination = Destination(Platform.DISCORD, chat_id)
        store.subscriptions.add(source, destination, origin="chat", created_by="1")


def offered(adapter: DiscordAdapter, data: dict[str, Any], state: Any, typed: str) -> list[str]:
    choices = adapter.suggest(interaction(data, state), typed)
    assert all(c.name == f"@{c.value}" for c in choices)
    return [c.value for c in choices]


async def test_usernames_watched_anywhere_in_the_server(
    adapter: DiscordAdapter, state: Any, store: Store
) -> None:
    watching(store, TEXT, "bob", "carol", "me")
    watching(store, THREAD, "bobby")
    watching(store, ELSEWHERE, "boris")
    data = guild_interaction(VIEW_SEND_READ, [])

    assert offered(adapter, data, state, "") == ["alice", "bob", "bobby", "carol"]
    assert offered(adapter, data, state, "@BO") == ["bob", "bobby"]
    assert offered(adapter, data, state, "ali") == ["alice"]  # the connected account, by name
    assert offered(adapter, data, state, "zed") == []


async def test_in_a_direct_message_what_that_dm_watches(
    adapter: DiscordAdapter, state: Any, store: Store
) -> None:
    watching(store, DM, "dora")
    watching(store, TEXT, "bob")
    assert offered(adapter, dm_interaction(), state, "") == ["dora"]


async def test_no_more_than_discord_s_25_choices(
    adapter: DiscordAdapter, state: Any, store: Store
) -> None:
    names = [f"user{n:02}" for n in range(30)]
    watching(store, TEXT, *names)
    assert offered(adapter, guild_interaction(VIEW_SEND_READ, []), state, "user") == names[:25]
