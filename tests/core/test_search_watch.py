"""/watch "some words" and /watch #tag through the real Bridge: parsing, refusals, /list,
/unwatch, and what /watch says about the keyword-search budget."""

from __future__ import annotations

import pytest

from bot.commands import Context
from bot.config import ThreadsConfig
from bot.events import Role, SourceKind
from jobs.discovery import DiscoveryBudget, search_allowance
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import (
    ADMIN,
    CHANNEL,
    DISCORD_MEMBER,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    RecordingAdapter,
    RecordingWatcher,
)


def searches(store: Store) -> list[str]:
    return [s.key for s in store.sources.active() if s.kind is SourceKind.SEARCH]


async def test_quoted_words_and_a_tag_become_search_watches_listed_as_typed(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
) -> None:
    words = await telegram_chat.send(GROUP, ADMIN, '/watch "Sourdough   Bread"', role=Role.ADMIN)
    tag = await telegram_chat.send(GROUP, ADMIN, "/watch #Baking", role=Role.ADMIN)
    again = await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)
    phone = await telegram_chat.send(
        PRIVATE, PUBLISHER, "/watch “sourdough bread”", role=Role.OWNER
    )
    listed = await telegram_chat.send(GROUP, MEMBER, "/list")

    assert words.ok and words.text == (
        'Now watching public posts with the words "sourdough bread". New ones will appear here.'
    )
    assert tag.text == "Now watching public posts tagged #baking. New ones will appear here."
    assert again.text == "This chat already watches #baking." and again.ok
    assert phone.ok  # typographic quotes, as a phone types them: the same search
    assert sorted(searches(store)) == ["tag:baking", "words:sourdough bread"]  # one source each
    assert watcher.watched == ["words:sourdough bread", "tag:baking", "words:sourdough bread"]
    assert listed.text == 'This chat watches:\n• #baking (search)\n• "sourdough bread" (search)'


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("#", "A topic tag is one word after the #, like #threads."),
        ("#two words", "A topic tag is one word after the #, like #threads."),
        ("#" + "x" * 51, "A topic tag has at most 50 characters."),
        ("#rock&roll", "A topic tag cannot contain a period (.) or an ampersand (&)."),
        ("#node.js", "A topic tag cannot contain a period (.) or an ampersand (&)."),
        ('"   "', "Put some words between the quotes."),
        ('"unclosed words', "Close the quotes around the words to search for."),
        ('"' + "word " * 25 + '"', "A search can be at most 100 characters long."),
    ],
)
async def test_searches_threads_would_not_take_are_refused_in_words(
    telegram_chat: RecordingAdapter,
    store: Store,
    watcher: RecordingWatcher,
    typed: str,
    answer: str,
) -> None:
    reply = await telegram_chat.send(GROUP, ADMIN, f"/watch {typed}", role=Role.ADMIN)

    assert (reply.text, reply.ok) == (answer, False)
    assert searches(store) == [] and watcher.watched == []


async def test_a_fifty_character_tag_is_fine(
    telegram_chat: RecordingAdapter, store: Store
) -> None:
    reply = await telegram_chat.send(GROUP, ADMIN, "/watch #" + "x" * 50, role=Role.ADMIN)

    assert reply.ok and searches(store) == ["tag:" + "x" * 50]


async def test_only_chat_admins_watch_searches(
    telegram_chat: RecordingAdapter, discord_chat: RecordingAdapter, store: Store
) -> None:
    refused = await telegram_chat.send(GROUP, MEMBER, "/watch #baking")
    refused_on_discord = await discord_chat.send(CHANNEL, DISCORD_MEMBER, '/watch "bread"')

    assert not refused.ok and not refused_on_discord.ok
    assert searches(store) == []


async def test_unwatch_a_search_as_typed(
    telegram_chat: RecordingAdapter, store: Store, watcher: RecordingWatcher
) -> None:
    await telegram_chat.send(GROUP, ADMIN, '/watch "sourdough bread"', role=Role.ADMIN)
    await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)

    stopped = await telegram_chat.send(GROUP, ADMIN, '/unwatch "Sourdough Bread"', role=Role.ADMIN)
    not_watched = await telegram_chat.send(GROUP, ADMIN, "/unwatch #cooking", role=Role.ADMIN)
    listed = await telegram_chat.send(GROUP, MEMBER, "/list")

    assert stopped.text == 'Stopped watching "sourdough bread" here.' and stopped.ok
    assert not_watched.text == "This chat does not watch #cooking." and not not_watched.ok
    assert watcher.unwatched == ["words:sourdough bread"]
    assert listed.text == "This chat watches:\n• #baking (search)"


async def test_watch_says_how_often_the_search_runs_within_its_own_budget(
    ctx: Context, telegram_chat: RecordingAdapter, store: Store
) -> None:
    ctx.search = DiscoveryBudget(
        store, ThreadsConfig(), allowance=search_allowance(ThreadsConfig())
    )

    reply = await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)

    assert reply.text.splitlines()[1] == (
        "#baking will be searched about every 5 min: the only search watch drawing on Meta's "
        "2,200 daily keyword searches (one that finds nothing is free)."
    )


async def test_status_shows_each_search_and_the_search_budget_beside_discovery(
    ctx: Context, telegram_chat: RecordingAdapter, store: Store
) -> None:
    settings = ThreadsConfig()
    ctx.discovery = DiscoveryBudget(store, settings)
    ctx.search = DiscoveryBudget(store, settings, allowance=search_allowance(settings))
    await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)
    for _ in range(3):
        ctx.search.record("keyword_search")

    lines = (await telegram_chat.send(GROUP, MEMBER, "/status")).text.splitlines()

    assert "• #baking: checked every 5 min, not polled yet" in lines
    assert (
        "Profile lookups (Meta allows 1,000 a day): 0 used in the last 24 h, 1,000 left" in lines
    )
    assert (
        "Keyword searches (Meta allows 2,200 a day): 3 counted in the last 24 h, 2,197 left"
        in lines
    )
