"""Cross-posting without a chat platform: `Autopost` fed chat messages as the adapters feed it,
the real publish queue and its real worker (built as BridgeApp builds it, on a virtual clock)
publishing to the simulator; /autopost through the real Bridge."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.commands import Context
from bot.commands.publish_request import PublishRequest, execute
from bot.config import CrosspostConfig
from bot.crosspost import EDITED_AFTER, Autopost
from bot.events import Attachment, ChatMessage, ChatUser, Destination, Platform, Role
from bot.threads.client import ThreadsClient
from jobs.publish_worker import PublishWorker
from simulator import SimUser, ThreadsSimulator
from simulator.quotas import Quota
from storage.publish_queue import CANCELLED, PUBLISHED, REVIEW, QueuedPost
from storage.store import Store
from tests.core.conftest import ADMIN, MEMBER, PUBLISHER, RecordingAdapter
from tests.virtual_time import VirtualClock

CHANNEL = Destination(Platform.TELEGRAM, "-1002000000001")
OTHER = Destination(Platform.TELEGRAM, "-1002000000002")  # no [[crosspost]] entry
CHANNEL_USER = ChatUser(CHANNEL.chat_id, "News")
AUTHOR_CHAT = Destination(Platform.TELEGRAM, PUBLISHER.id)


@dataclass
class Chat:
    """The bridge's cross-posting as a chat drives it, and what it said to people."""

    autopost: Autopost
    worker: PublishWorker
    store: Store
    told: list[tuple[Destination, str]] = field(default_factory=list)
    ids: int = 0

    def post(self, text: str, *, chat: Destination = CHANNEL, **kw: Any) -> tuple[str, int | None]:
        """A new message; its id and its queue row (None: not cross-posted)."""
        self.ids += 1
        message = _message(str(self.ids), text, kw.pop("attachments", ()))
        return message.message_id or "", self.autopost.on_message(
            chat, message, chat_name="News", **kw
        )

    async def published(self, row_id: int | None) -> QueuedPost:
        assert row_id is not None, "the message was not queued"
        return await self.worker.settled(row_id)


def _message(message_id: str, text: str, attachments: Any = ()) -> ChatMessage:
    return ChatMessage(text, tuple(attachments), author=CHANNEL_USER, message_id=message_id)


@pytest.fixture
async def crossposting(
    ctx: Context, store: Store, client: ThreadsClient
) -> AsyncIterator[Callable[..., Chat]]:
    """`crossposting(rule...)`: the worker and Autopost as BridgeApp.open() builds them."""
    workers: list[PublishWorker] = []
    told: list[tuple[Destination, str]] = []

    async def notify(chat: Destination, text: str) -> None:
        told.append((chat, text))

    async def run(row: QueuedPost, on_started: Callable[[int], None]) -> Any:
        request = PublishRequest.from_json(row.request)
        return await execute(ctx, row.chat, row.user, request, on_started)

    def build(*rules: CrosspostConfig, quota: Any = None) -> Chat:
        worker = PublishWorker(
            store.queue,
            store.publications,
            run,
            quota=quota or client.publishing_limit,
            notify=notify,
            clock=VirtualClock(),
        )
        ctx.publishing = worker
        ctx.autopost = Autopost(
            ctx, rules or (CrosspostConfig(telegram_chat=-1002000000001),), notify
        )
        worker.start()
        workers.append(worker)
        return Chat(ctx.autopost, worker, store, told)

    yield build
    for worker in workers:
        await worker.stop()


async def test_a_channel_message_is_published_once_and_the_channel_is_not_told(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting()
    message_id, row_id = chat.post("Big news today")

    row = await chat.published(row_id)

    (post,) = sim.posts_by("alice")
    assert (row.state, row.permalink, post.text) == (PUBLISHED, post.permalink, "Big news today")
    assert row.kind == "autopost" and row.origin == f"telegram:{CHANNEL.chat_id}:{message_id}"
    assert chat.told == []  # no "Published on Threads" notice in the channel itself
    # The same message again (an update Telegram repeats, a restart): never a second post.
    again = chat.autopost.on_message(CHANNEL, _message(message_id, "Big news today"))
    assert again is None
    assert len(sim.posts_by("alice")) == 1


async def test_other_chats_are_not_cross_posted(
    crossposting: Callable[..., Chat], store: Store
) -> None:
    chat = crossposting()
    assert chat.post("hello", chat=OTHER)[1] is None
    assert store.queue.waiting() == []


async def test_marked_mode_publishes_only_marked_messages_without_the_marker(
    crossposting: Callable[..., Chat],
    sim: ThreadsSimulator,
    alice: SimUser,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), mode="marked"))
    caplog.set_level(logging.INFO, logger="bot.crosspost")

    assert chat.post("just chatting")[1] is None
    assert chat.post("thread-safe code #threadsafe")[1] is None
    await chat.published(chat.post("Launch day #Threads is here")[1])

    assert [p.text for p in sim.posts_by("alice")] == ["Launch day is here"]
    assert "not cross-posted: not marked with #threads" in caplog.text


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"forwarded": True}, "a forwarded message (include_forwards is off)"),
        ({"service": True}, "a service message"),
        ({"unsupported": "a poll"}, "a poll"),
        (
            {"attachments": (Attachment("telegram", "OTHER", "", name="a sticker"),)},
            "a sticker, which Threads cannot carry",
        ),
    ],
)
async def test_what_threads_cannot_carry_is_skipped_with_the_reason_in_the_log(
    crossposting: Callable[..., Chat],
    store: Store,
    caplog: pytest.LogCaptureFixture,
    kwargs: dict[str, Any],
    reason: str,
) -> None:
    chat = crossposting()
    caplog.set_level(logging.INFO, logger="bot.crosspost")
    message_id, row_id = chat.post("look", **kwargs)
    assert row_id is None and store.queue.waiting() == []
    assert f"{CHANNEL} message {message_id}: not cross-posted: {reason}" in caplog.text


async def test_an_empty_message_is_skipped(
    crossposting: Callable[..., Chat], caplog: pytest.LogCaptureFixture
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), mode="marked"))
    caplog.set_level(logging.INFO, logger="bot.crosspost")
    assert chat.post("#threads")[1] is None
    assert "not cross-posted: nothing left to publish" in caplog.text


async def test_forwards_go_when_the_rule_includes_them(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), include_forwards=True))
    await chat.published(chat.post("passed along", forwarded=True)[1])
    assert [p.text for p in sim.posts_by("alice")] == ["passed along"]


async def test_the_footer_and_the_topic_tag(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting(
        CrosspostConfig(
            telegram_chat=int(CHANNEL.chat_id), footer="From {chat}: {link}", topic_tag="#news"
        )
    )
    _, row_id = chat.post("Polls open at 8 #vote", link="https://t.me/news/7")
    await chat.published(row_id)

    (post,) = sim.posts_by("alice")
    assert post.text == "Polls open at 8 #vote\n\nFrom News: https://t.me/news/7"
    assert post.spec.topic_tag == "news"  # the rule's, not the text's first #tag


async def test_an_edit_before_publishing_changes_the_text(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting()
    sim.set_quota(Quota.POSTS, 0)  # the queue waits for the quota
    message_id, row_id = chat.post("Meeting at 5")
    await chat.autopost.on_edit(CHANNEL, _message(message_id, "Meeting at 6 (moved)"))
    assert sim.posts_by("alice") == []

    sim.set_quota(Quota.POSTS, 250)
    chat.worker.wake()
    await chat.published(row_id)
    assert [p.text for p in sim.posts_by("alice")] == ["Meeting at 6 (moved)"]


async def test_an_edit_while_the_worker_reads_the_quota_is_the_one_published(
    crossposting: Callable[..., Chat], client: ThreadsClient, sim: ThreadsSimulator, alice: SimUser
) -> None:
    reading, answer = asyncio.Event(), asyncio.Event()

    async def slow_quota() -> Any:  # Meta answering the quota read slowly
        reading.set()
        await answer.wait()
        return await client.publishing_limit()

    chat = crossposting(quota=slow_quota)
    message_id, row_id = chat.post("Meeting at 5")
    await reading.wait()  # the worker picked the row and waits for the quota
    await chat.autopost.on_edit(CHANNEL, _message(message_id, "Meeting at 6"))
    answer.set()

    await chat.published(row_id)
    assert [p.text for p in sim.posts_by("alice")] == ["Meeting at 6"]


async def test_an_edit_removing_the_marker_cancels_the_waiting_post(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), mode="marked"))
    sim.set_quota(Quota.POSTS, 0)
    message_id, row_id = chat.post("draft #threads")
    await chat.autopost.on_edit(CHANNEL, _message(message_id, "draft, not for Threads"))
    assert (await chat.published(row_id)).state == CANCELLED


async def test_an_edit_after_publishing_is_reported_to_the_author(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting()
    message_id, row_id = chat.post("Typo in thsi")
    row = await chat.published(row_id)

    edited = _message(message_id, "Typo in this")
    await chat.autopost.on_edit(CHANNEL, edited, author_chat=AUTHOR_CHAT)

    assert [p.text for p in sim.posts_by("alice")] == ["Typo in thsi"]
    assert chat.told == [(AUTHOR_CHAT, EDITED_AFTER.format(link=row.permalink))]


async def test_a_deletion_before_publishing_cancels(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting()
    sim.set_quota(Quota.POSTS, 0)
    message_id, row_id = chat.post("oops")
    await chat.autopost.on_delete(CHANNEL, message_id)
    sim.set_quota(Quota.POSTS, 250)
    assert (await chat.published(row_id)).state == CANCELLED
    assert sim.posts_by("alice") == []


@pytest.mark.parametrize("follows", [True, False])
async def test_a_deletion_after_publishing_deletes_the_post_when_delete_follows(
    crossposting: Callable[..., Chat], sim: ThreadsSimulator, alice: SimUser, follows: bool
) -> None:
    chat = crossposting(
        CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), delete_follows=follows)
    )
    message_id, row_id = chat.post("short-lived")
    await chat.published(row_id)
    await chat.autopost.on_delete(CHANNEL, message_id)
    assert len(sim.posts_by("alice")) == (0 if follows else 1)


async def test_with_approval_the_post_waits_in_review(
    crossposting: Callable[..., Chat], store: Store, sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), approval=True))
    _, row_id = chat.post("needs a look")
    assert row_id is not None
    row = store.queue.get(row_id)
    assert row is not None and row.state == REVIEW
    assert store.queue.next_due() is None and sim.posts_by("alice") == []


# -- /autopost ------------------------------------------------------------------------------


async def test_autopost_off_and_on_from_the_chat(
    crossposting: Callable[..., Chat],
    telegram_chat: RecordingAdapter,
    store: Store,
    sim: ThreadsSimulator,
    alice: SimUser,
) -> None:
    chat = crossposting(CrosspostConfig(telegram_chat=int(CHANNEL.chat_id), mode="marked"))
    publisher = ChatUser(PUBLISHER.id, PUBLISHER.name)

    off = await telegram_chat.send(CHANNEL, publisher, "/autopost off", role=Role.ADMIN)
    assert off.text == "Cross-posting to Threads is off here. /autopost on starts it again."
    assert chat.post("quiet please #threads")[1] is None

    on = await telegram_chat.send(CHANNEL, publisher, "/autopost on", role=Role.ADMIN)
    assert (
        on.text == "Cross-posting to Threads is on here: messages marked #threads go to Threads."
    )
    await chat.published(chat.post("back #threads")[1])
    assert [p.text for p in sim.posts_by("alice")] == ["back"]

    status = await telegram_chat.send(CHANNEL, MEMBER, "/autopost status", role=Role.ADMIN)
    assert status.text == on.text


async def test_autopost_is_for_chat_admins_who_are_publishers(
    crossposting: Callable[..., Chat], telegram_chat: RecordingAdapter
) -> None:
    chat = crossposting()
    member = await telegram_chat.send(CHANNEL, PUBLISHER, "/autopost off", role=Role.MEMBER)
    assert (member.text, member.ok) == (
        "Only chat admins can change what this chat watches.",
        False,
    )
    admin = await telegram_chat.send(CHANNEL, ADMIN, "/autopost off", role=Role.ADMIN)
    assert not admin.ok and admin.text.startswith(
        "Only chat admins who are also publishers can switch cross-posting."
    )
    assert chat.autopost.enabled(CHANNEL)


async def test_autopost_in_a_chat_without_a_crosspost_entry(
    crossposting: Callable[..., Chat], telegram_chat: RecordingAdapter
) -> None:
    crossposting()
    answer = await telegram_chat.send(OTHER, PUBLISHER, "/autopost on", role=Role.ADMIN)
    assert not answer.ok and "no [[crosspost]] entry" in answer.text


async def test_long_text_goes_as_publishing_long_text_says(
    crossposting: Callable[..., Chat], ctx: Context, sim: ThreadsSimulator, alice: SimUser
) -> None:
    chat = crossposting()
    ctx.long_text = "chain"  # [publishing] long_text
    words = " ".join(f"word{n}" for n in range(120))  # about 700 characters
    await chat.published(chat.post(words)[1])

    parts = sorted(sim.posts_by("alice"), key=lambda p: p.seq)
    assert len(parts) == 2 and " ".join(p.text for p in parts) == words
    assert parts[1].root_id == parts[0].id  # the rest replies to the first
