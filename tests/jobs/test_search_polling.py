"""Search watches polled against the simulator: a silent baseline, new matching posts once,
`since` after the newest post seen, the author per post, and the keyword-search budget counted
as Meta counts it (a search that finds nothing is free)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ThreadsConfig
from bot.events import Destination, SourceKind
from bot.search import SearchQuery
from bot.threads.client import ThreadsClient
from jobs import search_polling
from jobs.discovery import DiscoveryBudget, search_allowance
from jobs.polling import SourcePoller
from simulator import SimUser, ThreadsSimulator
from simulator.quotas import Quota
from storage.store import Store
from tests.conftest import FAST_RETRY

CHAT = Destination("telegram", "1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "bridge.db")
    yield opened
    opened.close()


@pytest.fixture
def budget(store: Store, client: ThreadsClient) -> DiscoveryBudget:
    """The search budget, hearing of every counted search as BridgeApp wires it."""
    search = DiscoveryBudget(store, ThreadsConfig(), allowance=search_allowance(ThreadsConfig()))
    client.set_discovery_listener(search.record)
    return search


@pytest.fixture
def poller(store: Store, client: ThreadsClient, budget: DiscoveryBudget) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


def watch(store: Store, typed: str) -> int:
    query = (
        SearchQuery("TAG", typed[1:]) if typed.startswith("#") else SearchQuery("KEYWORD", typed)
    )
    source = store.sources.ensure(SourceKind.SEARCH, query.key)
    store.subscriptions.add(source, CHAT, origin="chat", created_by=None)
    return source.id


def delivered(store: Store) -> list[tuple[str, str | None, str | None]]:
    """(text, the author's username, the author's name) of each queued delivery, in order."""
    found = []
    while (delivery := store.outbox.next_due(CHAT, time.time())) is not None:
        author = delivery.item.author
        found.append(
            (delivery.item.post.text, delivery.item.post.username, author.name if author else None)
        )
        store.outbox.delivered(delivery.id)
    return found


def searches(sim: ThreadsSimulator) -> list[dict[str, str]]:
    return [dict(r.query) for r in sim.requests if r.path.endswith("/keyword_search")]


async def test_a_tag_watch_delivers_a_new_matching_post_once(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", followers=5000)
    sim.add_profile("carol", followers=5000)
    sim.add_post(
        "bob", text="old loaf", topic_tag="baking", timestamp=sim.now() - timedelta(minutes=5)
    )
    source_id = watch(store, "#baking")

    assert await poller.poll(source_id) == 0  # the baseline: what was there is not news
    sim.add_post("carol", text="fresh loaf", topic_tag="Baking")
    sim.add_post("carol", text="a loaf without the tag")
    assert await poller.poll(source_id) == 1
    assert await poller.poll(source_id) == 0  # nothing new: nothing repeated

    assert delivered(store) == [("fresh loaf", "carol", None)]  # carol's profile is not known
    (first, *later) = searches(sim)
    assert first["search_type"] == "RECENT" and first["search_mode"] == "TAG"
    assert first["q"] == "baking"
    assert all(s["search_mode"] == "TAG" for s in later)


async def test_words_are_searched_from_just_after_the_newest_post_seen(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", followers=5000)
    source_id = watch(store, "sourdough bread")
    await poller.poll(source_id)
    first = sim.add_post("bob", text="My Sourdough bread rose")
    sim.add_post("bob", text="bread, no sourdough")  # both words, in another order: a match
    sim.add_post("bob", text="just bread")
    await poller.poll(source_id)
    newest = store.sources.get(source_id)
    sim.clear_requests()
    await poller.poll(source_id)

    assert [text for text, _, _ in delivered(store)] == [
        "My Sourdough bread rose",
        "bread, no sourdough",
    ]
    assert newest is not None and newest.cursor is not None
    assert newest.cursor >= int(first.timestamp.timestamp())
    (search,) = searches(sim)
    assert search["q"] == "sourdough bread" and search["search_mode"] == "KEYWORD"
    assert int(search["since"]) == newest.cursor + 1


async def test_a_catch_up_delivers_every_match_oldest_first(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_polling, "PAGE_SIZE", 4)  # ten posts, three pages
    sim.add_profile("bob", followers=5000)
    source_id = watch(store, "#baking")
    await poller.poll(source_id)
    for n in range(10):
        sim.advance(60)
        sim.add_post("bob", text=f"loaf {n}", topic_tag="baking")
    sim.clear_requests()

    assert await poller.poll(source_id) == 10

    assert [text for text, _, _ in delivered(store)] == [f"loaf {n}" for n in range(10)]
    assert len(searches(sim)) == 3


async def test_the_author_is_a_known_profile_or_the_username_alone(
    sim: ThreadsSimulator, store: Store, poller: SourcePoller, client: ThreadsClient
) -> None:
    sim.add_profile("bob", name="Bob Baker", followers=5000)
    sim.add_profile("carol", followers=5000)
    store.sources.save_profile(await client.profile_lookup("bob"))  # bob is watched elsewhere
    source_id = watch(store, "#baking")
    await poller.poll(source_id)
    sim.add_post("bob", text="by bob", topic_tag="baking")
    sim.add_post("carol", text="by carol", topic_tag="baking")
    sim.clear_requests()

    await poller.poll(source_id)

    assert delivered(store) == [("by bob", "bob", "Bob Baker"), ("by carol", "carol", None)]
    assert not [r for r in sim.requests if r.path.endswith("/profile_lookup")]  # none spent


async def test_only_searches_that_find_something_are_counted(
    sim: ThreadsSimulator,
    alice: SimUser,
    store: Store,
    poller: SourcePoller,
    budget: DiscoveryBudget,
) -> None:
    sim.add_profile("bob", followers=5000)
    source_id = watch(store, "#baking")

    for _ in range(3):
        await poller.poll(source_id)  # nothing tagged: free
    assert budget.used() == 0 == sim.state.quotas.usage(Quota.KEYWORD_SEARCH, alice.id)

    sim.add_post("bob", text="a loaf", topic_tag="baking")
    await poller.poll(source_id)
    await poller.poll(source_id)  # after the newest post seen: nothing, free again

    assert budget.used() == 1 == sim.state.quotas.usage(Quota.KEYWORD_SEARCH, alice.id)
    assert store.discovery.used(time.time()) == 0  # profile discovery spent nothing
    assert budget.left() == 2199


async def test_a_search_left_unanswered_is_counted_as_if_it_found_something(
    sim: ThreadsSimulator, alice: SimUser, store: Store
) -> None:
    search = DiscoveryBudget(store, ThreadsConfig(), allowance=search_allowance(ThreadsConfig()))
    async with ThreadsClient(
        alice.token, api_base=sim.base_url, timeout=0.2, retry=FAST_RETRY
    ) as impatient:
        impatient.set_discovery_listener(search.record)
        sim.fail_next("GET", "/keyword_search", kind="lost_response")  # carried out, unanswered

        page = await impatient.keyword_search("nothing matches this", search_type="RECENT")

    assert page.items == []  # the retry was answered: nothing found, not counted
    assert search.used() == 1  # the lost answer might have held results: counted


async def test_the_connected_account_s_own_posts_carry_its_profile(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient
) -> None:
    # Without Advanced Access, keyword_search finds only the connected account's own posts.
    me = await client.me()
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: me)
    source_id = watch(store, "#baking")
    await poller.poll(source_id)
    sim.add_post("alice", text="my own loaf", topic_tag="baking")

    await poller.poll(source_id)

    assert delivered(store) == [("my own loaf", "alice", "Alice")]
