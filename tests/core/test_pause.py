"""/pause, /resume and /preview through the real Bridge, the real poller and the simulator,
without a chat platform: what each answers, and what the chat would then receive."""

from __future__ import annotations

import time

import pytest

from bot.commands import Context
from bot.events import Destination, Role, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import ADMIN, GROUP, MEMBER, RecordingAdapter

ADMINS_ONLY = "Only chat admins can change what this chat watches."
OTHER = Destination(GROUP.platform, "-1001000000002")


@pytest.fixture
def poller(store: Store, client: ThreadsClient) -> SourcePoller:
    return SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)


def queued_texts(store: Store, chat: Destination) -> list[str]:
    """What the chat would receive, in order (each row then counts as delivered)."""
    texts = []
    while (delivery := store.outbox.next_due(chat, time.time())) is not None:
        texts.append(delivery.item.post.text)
        store.outbox.delivered(delivery.id)
    return texts


async def watched(
    chat: RecordingAdapter, store: Store, poller: SourcePoller, *in_: Destination
) -> int:
    for destination in in_:
        answer = await chat.send(destination, ADMIN, "/watch bob", role=Role.ADMIN)
        assert answer.ok, answer.text
    source = store.sources.find(SourceKind.PROFILE, "bob")
    assert source is not None
    await poller.poll(source.id)  # the baseline
    return source.id


async def as_admin(
    chat: RecordingAdapter, text: str, where: Destination = GROUP
) -> tuple[str, bool]:
    reply = await chat.send(where, ADMIN, text, role=Role.ADMIN)
    return reply.text, reply.ok


async def test_pause_and_resume_refusals(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob", name="Bob")
    await watched(telegram_chat, store, poller, GROUP)

    member = await telegram_chat.send(GROUP, MEMBER, "/pause bob")
    assert (member.text, member.ok) == (ADMINS_ONLY, False)
    assert await as_admin(telegram_chat, "/pause carol") == (
        "This chat does not watch @carol.",
        False,
    )
    assert await as_admin(telegram_chat, "/resume bob") == ("@bob is not paused here.", False)
    assert await as_admin(telegram_chat, "/pause @bob") == (
        "Paused @bob here: nothing more arrives until /resume @bob. Other chats watching it "
        "are not affected.",
        True,
    )
    assert await as_admin(telegram_chat, "/pause bob") == (
        "@bob is already paused here. /resume bob brings it back.",
        False,
    )
    for count in ("6", "0", "-1"):
        assert await as_admin(telegram_chat, f"/resume bob {count}") == (
            "/resume brings back at most the last 5 posts of the pause; "
            f"{count} is not between 1 and 5.",
            False,
        )
    member = await telegram_chat.send(GROUP, MEMBER, "/resume bob")
    assert (member.text, member.ok) == (ADMINS_ONLY, False)
    usage = await as_admin(telegram_chat, "/pause")
    assert usage[0].startswith("Usage: /pause USERNAME") and not usage[1]
    # Still paused after all those refusals.
    assert await as_admin(telegram_chat, "/list") == ("This chat watches:\n• @bob (paused)", True)


async def test_a_paused_chat_gets_nothing_and_resume_skips_what_it_missed(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = await watched(telegram_chat, store, poller, GROUP, OTHER)
    await as_admin(telegram_chat, "/pause bob")
    for n in range(3):
        sim.add_post("bob", text=f"during {n}")
    await poller.poll(source_id)

    assert queued_texts(store, GROUP) == []
    assert queued_texts(store, OTHER) == ["during 0", "during 1", "during 2"]

    assert await as_admin(telegram_chat, "/resume bob") == (
        "Resumed @bob; the 3 posts of the pause are skipped.",
        True,
    )
    assert queued_texts(store, GROUP) == []
    assert await as_admin(telegram_chat, "/list") == ("This chat watches:\n• @bob", True)
    sim.add_post("bob", text="after")
    await poller.poll(source_id)
    assert queued_texts(store, GROUP) == ["after"]
    assert queued_texts(store, OTHER) == ["after"]


async def test_resume_n_delivers_the_last_n_of_the_pause_in_order_once(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = await watched(telegram_chat, store, poller, GROUP)
    sim.add_post("bob", text="before")
    await poller.poll(source_id)
    assert queued_texts(store, GROUP) == ["before"]
    await as_admin(telegram_chat, "/pause bob")
    for n in range(4):
        sim.advance(60)
        sim.add_post("bob", text=f"during {n}")
        await poller.poll(source_id)

    assert await as_admin(telegram_chat, "/resume bob 2") == (
        "Resumed @bob; here are the last 2 posts of the pause (2 older skipped).",
        True,
    )
    assert queued_texts(store, GROUP) == ["during 2", "during 3"]

    # A second pause brings back only what arrived in it, never the first one's posts again.
    await as_admin(telegram_chat, "/pause bob")
    sim.add_post("bob", text="second pause")
    await poller.poll(source_id)
    assert await as_admin(telegram_chat, "/resume bob 5") == (
        "Resumed @bob; here is the last post of the pause.",
        True,
    )
    assert queued_texts(store, GROUP) == ["second pause"]


async def test_a_pause_drops_what_was_still_owed(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, poller: SourcePoller
) -> None:
    sim.add_profile("bob")
    source_id = await watched(telegram_chat, store, poller, GROUP)
    sim.add_post("bob", text="queued, not sent yet")
    await poller.poll(source_id)
    await as_admin(telegram_chat, "/pause bob")
    assert queued_texts(store, GROUP) == []
    assert await as_admin(telegram_chat, "/resume bob") == (
        "Resumed @bob; nothing arrived during the pause.",
        True,
    )


async def test_preview_shows_the_latest_recorded_post_and_queues_nothing(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    store: Store,
    poller: SourcePoller,
    ctx: Context,
) -> None:
    sim.add_profile("bob", name="Bob")
    source_id = await watched(telegram_chat, store, poller, GROUP)
    sim.add_post("bob", text="older")
    sim.advance(60)
    sim.add_post("bob", text="latest")
    await poller.poll(source_id)
    queued_texts(store, GROUP)  # delivered
    sim.clear_requests()

    reply = await telegram_chat.send(GROUP, ADMIN, "/preview bob", role=Role.ADMIN)

    assert reply.text == "Preview: @bob's latest post, as this chat would receive it."
    assert reply.preview is not None and reply.preview.post.text == "latest"
    assert reply.preview.author is not None and reply.preview.author.name == "Bob"
    assert sim.requests == []  # from the store: no discovery call
    assert queued_texts(store, GROUP) == []
    member = await telegram_chat.send(GROUP, MEMBER, "/preview bob")
    assert (member.text, member.ok, member.preview) == (ADMINS_ONLY, False, None)


async def test_preview_of_a_profile_nobody_watches_reads_threads(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("carol", name="Carol")
    sim.add_post("carol", text="first")
    sim.advance(60)
    sim.add_post("carol", text="newest")
    sim.add_profile("dave")

    reply = await telegram_chat.send(GROUP, ADMIN, "/preview @carol", role=Role.ADMIN)
    empty = await telegram_chat.send(GROUP, ADMIN, "/preview dave", role=Role.ADMIN)

    assert reply.preview is not None and reply.preview.post.text == "newest"
    assert reply.preview.author is not None and reply.preview.author.name == "Carol"
    assert (empty.text, empty.ok, empty.preview) == (
        "@dave has no posts to preview yet.",
        False,
        None,
    )
    assert store.subscriptions.for_chat(GROUP.platform, GROUP.chat_id) == []


async def test_searches_and_the_inbox_pause_by_their_labels(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    for typed in ('"sourdough starter"', "#baking", "replies"):
        watched = await telegram_chat.send(GROUP, ADMIN, f"/watch {typed}", role=Role.ADMIN)
        assert watched.ok, watched.text

    paused_words = await as_admin(telegram_chat, '/pause "sourdough starter"')
    paused_tag = await as_admin(telegram_chat, "/pause #baking")
    paused_inbox = await as_admin(telegram_chat, "/pause replies")
    listed = await as_admin(telegram_chat, "/list")
    resumed_tag = await as_admin(telegram_chat, "/resume #baking 3")
    not_watched = await as_admin(telegram_chat, "/pause mentions")

    assert paused_words[1] and paused_words[0].startswith(
        'Paused "sourdough starter" (search) here'
    )
    assert paused_tag[1] and paused_tag[0].startswith("Paused #baking (search) here")
    assert paused_inbox[1] and paused_inbox[0].startswith("Paused replies to @")
    assert listed[0].count("(paused)") == 3
    assert resumed_tag == ("Resumed #baking (search); nothing arrived during the pause.", True)
    assert not_watched == ("This chat does not watch mentions.", False)
