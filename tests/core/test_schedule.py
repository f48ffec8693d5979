"""/schedule, /queue, /cancel and /timezone through the real Bridge, with the real publish
worker (built as BridgeApp builds it) on virtual time: a post scheduled for later is published
when the virtual clock passes its time, and only then."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.bridge import Bridge
from bot.commands import Context
from bot.commands.publish_request import PublishRequest, execute
from bot.events import Attachment, ChatUser, Destination, Platform, Role
from bot.threads.client import ThreadsClient
from bot.threads.publish import Published, Publisher
from jobs.publish_worker import PublishWorker
from simulator import ThreadsSimulator
from simulator.quotas import Quota
from storage.publish_queue import QueuedPost
from storage.store import Store
from tests.core.conftest import (
    ADMIN,
    CHANNEL,
    DISCORD_PUBLISHER,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    RecordingAdapter,
    RecordingWatcher,
)
from tests.virtual_time import EPOCH, VirtualClock, idle

QUINN = ChatUser("1004", "Quinn")  # a second publisher of the group
HOUR = 3600.0
# Virtual time starts at Fri 15 Jan 2027 08:00 UTC (09:00 in Berlin).
START = datetime(2027, 1, 15, 8, 0, tzinfo=UTC).timestamp()


def at_utc(*when: int) -> float:
    return datetime(*when, tzinfo=UTC).timestamp()


@dataclass
class ChatNotices:
    """What the worker tells chats after the command answered (BridgeApp's notify)."""

    sent: list[tuple[Destination, str]] = field(default_factory=list)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, chat: Destination, text: str) -> None:
        self.sent.append((chat, text))
        self._changed.set()

    async def wait_for(self, count: int) -> list[tuple[Destination, str]]:
        async with asyncio.timeout(15):  # a hang guard: the worker publishes over real HTTP
            while len(self.sent) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.sent


@dataclass
class Scheduling:
    """A bridge whose publishes go through a running PublishWorker on a VirtualClock."""

    chat: RecordingAdapter
    discord: RecordingAdapter
    worker: PublishWorker
    store: Store
    notices: ChatNotices

    async def stop(self) -> None:
        await self.worker.stop()


async def start_scheduling(
    store: Store, client: ThreadsClient, clock: VirtualClock, notices: ChatNotices
) -> Scheduling:
    ctx = Context(
        store=store,
        threads=client,
        publisher=Publisher(client),
        watcher=RecordingWatcher(),
        publishers={
            "telegram": frozenset({PUBLISHER.id, QUINN.id}),
            "discord": frozenset({DISCORD_PUBLISHER.id}),
        },
        clock=clock,
    )
    ctx.me = await client.me()

    async def run(row: QueuedPost, on_started: Callable[[int], None]) -> list[Published]:
        request = PublishRequest.from_json(row.request)
        return await execute(ctx, row.chat, row.user, request, on_started)

    worker = PublishWorker(
        store.queue,
        store.publications,
        run,
        quota=client.publishing_limit,
        notify=notices,
        clock=clock,
    )
    ctx.publishing = worker
    worker.recover()
    worker.start()
    bridge = Bridge(ctx)
    return Scheduling(
        RecordingAdapter(bridge, Platform.TELEGRAM),
        RecordingAdapter(bridge, Platform.DISCORD),
        worker,
        store,
        notices,
    )


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(start=START - EPOCH)


@pytest.fixture
async def bridge(
    store: Store, client: ThreadsClient, clock: VirtualClock
) -> AsyncIterator[Scheduling]:
    running = await start_scheduling(store, client, clock, ChatNotices())
    yield running
    await running.stop()


def texts(sim: ThreadsSimulator) -> list[str]:
    return [post.text or "" for post in reversed(sim.posts_by("alice"))]


async def test_a_post_scheduled_in_2h_goes_out_once_when_2h_have_passed(
    bridge: Scheduling, clock: VirtualClock, sim: ThreadsSimulator
) -> None:
    answer = await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 2h hello ||later||")
    assert answer.ok and answer.text == "Scheduled as #1 for Fri 15 Jan 10:00 (UTC)."

    await idle()  # the worker waits for the row's time
    clock.advance(2 * HOUR - 1)
    await idle()
    waiting = await bridge.chat.send(GROUP, MEMBER, "/queue")
    assert texts(sim) == [] and bridge.notices.sent == []
    assert waiting.text.splitlines() == [
        "Waiting to be published (times in UTC):",
        "#1  Fri 15 Jan 10:00  Pat  hello ||later||",
    ]

    clock.advance(1)
    ((chat, told),) = await bridge.notices.wait_for(1)
    (post,) = sim.posts_by("alice")
    assert post.text == "hello later"
    assert (chat, told) == (GROUP, f"Published on Threads (queued #1): {post.permalink}")
    assert (await bridge.chat.send(GROUP, MEMBER, "/queue")).text == (
        "No posts waiting to be published from this chat."
    )


@pytest.mark.parametrize(
    ("now", "typed", "answer", "due"),
    [
        # Friday 09:00 in Berlin (CET, UTC+1): tomorrow 9:00 is Saturday 08:00 UTC.
        (START, "tomorrow 9:00", "Sat 16 Jan 09:00", at_utc(2027, 1, 16, 8, 0)),
        # The night the clocks go forward: Sunday 09:00 is CEST (UTC+2) already.
        (at_utc(2027, 3, 27, 12, 0), "tomorrow 9:00", "Sun 28 Mar 09:00", at_utc(2027, 3, 28, 7)),
        # A count of hours over the same night is a count of real hours: 2 h after 01:30 CET
        # is 04:30 CEST.
        (at_utc(2027, 3, 28, 0, 30), "in 2h", "Sun 28 Mar 04:30", at_utc(2027, 3, 28, 2, 30)),
        # As people write it in Germany.
        (START, "morgen um 23:30", "Sat 16 Jan 23:30", at_utc(2027, 1, 16, 22, 30)),
        # A date of next year (shown with its year), kept apart from the text by a bar.
        (START, "2028-01-02 09:00 |", "Sun 2 Jan 2028 09:00", at_utc(2028, 1, 2, 8, 0)),
    ],
)
async def test_times_are_read_in_the_chat_s_zone(
    bridge: Scheduling, clock: VirtualClock, now: float, typed: str, answer: str, due: float
) -> None:
    clock.now = now - EPOCH
    zone = await bridge.chat.send(GROUP, ADMIN, "/timezone europe/berlin", role=Role.ADMIN)
    assert zone.ok and zone.text.startswith("This chat's times are now in Europe/Berlin (it is ")

    scheduled = await bridge.chat.send(GROUP, PUBLISHER, f"/schedule {typed} Frühstück")

    assert scheduled.text == f"Scheduled as #1 for {answer} (Europe/Berlin)."
    (row,) = bridge.store.queue.waiting(GROUP)
    assert row.due_at == due
    assert PublishRequest.from_json(row.request).options.text == "Frühstück"
    other_chat = await bridge.chat.send(PRIVATE, PUBLISHER, f"/schedule {typed} x")
    assert "(UTC)." in other_chat.text  # a chat without its own zone: [publishing] timezone


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        (
            "2027-01-15 05:00 too late",
            "That is 3 hours ago (Fri 15 Jan 05:00 UTC); give a time in the future (try "
            "2026-12-24 09:00, tomorrow 9:00 or in 2h).",
        ),
        (
            "yesterday 9:00 late",
            "That is 23 hours ago (Thu 14 Jan 09:00 UTC); give a time in the future (try "
            "2026-12-24 09:00, tomorrow 9:00 or in 2h).",
        ),
        ("now hi", "That is now (Fri 15 Jan 08:00 UTC); /post publishes at once."),
        (
            "soon-ish we post",
            "I could not read a time in “soon-ish we post”; try 2026-12-24 09:00, tomorrow "
            "9:00 or in 2h.",
        ),
        (
            "tomorrow at noonish hi",
            "“tomorrow” names a day but no time of day; add one (tomorrow 9:00, 2026-12-24 "
            "09:00) or count in hours (in 48h).",
        ),
        (
            "2028-06-01 10:00 far",
            "That is more than a year ahead (Thu 1 Jun 2028 10:00 UTC); the bridge schedules "
            "posts up to 365 days ahead.",
        ),
    ],
)
async def test_a_time_that_cannot_be_used_is_refused_with_the_reason(
    bridge: Scheduling, typed: str, why: str
) -> None:
    answer = await bridge.chat.send(GROUP, PUBLISHER, f"/schedule {typed}")
    assert (answer.text, answer.ok) == (why, False)
    assert bridge.store.queue.waiting() == []


async def test_usage_and_who_may_schedule(bridge: Scheduling) -> None:
    usage = await bridge.chat.send(GROUP, PUBLISHER, "/schedule")
    no_text = await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 2h")
    member = await bridge.chat.send(GROUP, MEMBER, "/schedule in 2h hi")

    assert usage.text.startswith("Usage: /schedule WHEN TEXT\nPublish TEXT to Threads at WHEN")
    assert no_text.text == usage.text
    assert member.text.startswith("Only configured publishers can publish to Threads.")
    assert bridge.store.queue.waiting() == []


async def test_queue_lists_the_chat_s_rows_in_the_order_they_go(bridge: Scheduling) -> None:
    empty = await bridge.chat.send(GROUP, MEMBER, "/queue")
    await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 3h third, a longer text with many ...")
    await bridge.chat.send(GROUP, QUINN, "/schedule in 1h first")
    await bridge.chat.send(GROUP, PUBLISHER, "/schedule 2027-01-15 10:00 | in 2h, second")
    await bridge.chat.send(PRIVATE, PUBLISHER, "/schedule in 30m elsewhere")

    listed = await bridge.chat.send(GROUP, MEMBER, "/queue")

    assert empty.text == "No posts waiting to be published from this chat."
    assert listed.ok and listed.text.splitlines() == [
        "Waiting to be published (times in UTC):",
        "#2  Fri 15 Jan 09:00  Quinn  first",
        "#3  Fri 15 Jan 10:00  Pat  in 2h, second",
        "#1  Fri 15 Jan 11:00  Pat  third, a longer text with many…",
    ]


async def test_cancel_keeps_a_post_from_going_out(
    bridge: Scheduling, clock: VirtualClock, sim: ThreadsSimulator
) -> None:
    await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 1h never mind")
    await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 2h still going")

    member = await bridge.chat.send(GROUP, MEMBER, "/cancel 1")
    elsewhere = await bridge.chat.send(PRIVATE, PUBLISHER, "/cancel 1")
    unknown = await bridge.chat.send(GROUP, PUBLISHER, "/cancel 99")
    cancelled = await bridge.chat.send(GROUP, QUINN, "/cancel #1")  # Pat's post, Quinn cancels
    again = await bridge.chat.send(GROUP, PUBLISHER, "/cancel 1")
    usage = await bridge.chat.send(GROUP, PUBLISHER, "/cancel first")

    assert member.text.startswith("Only configured publishers can publish to Threads.")
    assert elsewhere.text == "There is no post #1 waiting in this chat."
    assert unknown.text == "There is no post #99 waiting in this chat."
    assert (cancelled.text, cancelled.ok) == ("Cancelled #1 (never mind).", True)
    assert (again.text, again.ok) == ("#1 was already cancelled.", False)
    assert usage.text.startswith("Usage: /cancel ID")
    (audited, *_) = bridge.store.audit.entries()
    assert (audited["user_id"], audited["action"], audited["detail"]) == (
        QUINN.id,
        "cancel",
        "#1 never mind",
    )

    await idle()
    clock.advance(2 * HOUR)
    ((_, told),) = await bridge.notices.wait_for(1)
    (post,) = sim.posts_by("alice")
    assert texts(sim) == ["still going"]
    assert told == f"Published on Threads (queued #2): {post.permalink}"
    too_late = await bridge.chat.send(GROUP, PUBLISHER, "/cancel 2")
    assert too_late.text == f"#2 was already published: {post.permalink}"


async def test_a_scheduled_post_survives_a_restart(
    tmp_path: Path,
    store: Store,
    client: ThreadsClient,
    clock: VirtualClock,
    sim: ThreadsSimulator,
) -> None:
    first = await start_scheduling(store, client, clock, ChatNotices())
    await first.chat.send(GROUP, PUBLISHER, "/schedule in 2h after the restart")
    await first.stop()
    store.close()
    clock.advance(HOUR)  # the bridge is down for an hour

    reopened = Store.open(tmp_path / "bridge.db")
    try:
        second = await start_scheduling(reopened, client, clock, ChatNotices())
        waiting = await second.chat.send(GROUP, MEMBER, "/queue")
        assert waiting.text.splitlines()[1:] == ["#1  Fri 15 Jan 10:00  Pat  after the restart"]
        await idle()
        clock.advance(HOUR - 1)
        await idle()
        assert texts(sim) == []

        clock.advance(1)
        ((chat, told),) = await second.notices.wait_for(1)
        (post,) = sim.posts_by("alice")
        assert (chat, told) == (GROUP, f"Published on Threads (queued #1): {post.permalink}")
        assert texts(sim) == ["after the restart"]
        await second.stop()
    finally:
        reopened.close()


async def test_timezone_shows_sets_and_resets_the_chat_s_zone(bridge: Scheduling) -> None:
    shown = await bridge.chat.send(GROUP, ADMIN, "/timezone", role=Role.ADMIN)
    city = await bridge.chat.send(GROUP, ADMIN, "/timezone Tokyo", role=Role.ADMIN)
    own = await bridge.chat.send(GROUP, ADMIN, "/timezone", role=Role.ADMIN)
    wrong = await bridge.chat.send(GROUP, ADMIN, "/timezone Mars/Olympus", role=Role.ADMIN)
    member = await bridge.chat.send(GROUP, MEMBER, "/timezone UTC")
    reset = await bridge.chat.send(GROUP, ADMIN, "/timezone default", role=Role.ADMIN)

    assert shown.text == (
        "This chat's times are in UTC (the bridge's default). Change it with /timezone ZONE, "
        "e.g. /timezone Europe/Berlin."
    )
    assert city.text == "This chat's times are now in Asia/Tokyo (it is Fri 15 Jan 17:00 there)."
    assert own.text.startswith("This chat's times are in Asia/Tokyo. Change it")
    assert (wrong.ok, wrong.text) == (
        False,
        "'Mars/Olympus' is not a time zone I know. Use an IANA name such as Europe/Berlin, "
        "America/New_York or Asia/Tokyo.",
    )
    assert member.text == "Only chat admins can change what this chat watches."
    assert reset.text == "This chat's times are in the bridge's default again: UTC."


async def test_scheduled_media_is_checked_when_asked(bridge: Scheduling) -> None:
    photo = Attachment("telegram", "IMAGE", "file-1", content_type="image/jpeg", size=1000)
    sticker = Attachment("telegram", "OTHER", "file-2", name="sticker.webp")
    on_discord = Attachment(
        "discord", "IMAGE", "https://cdn.example/a.jpg", public_url="https://cdn.example/a.jpg"
    )

    no_store = await bridge.chat.send(
        GROUP, PUBLISHER, "/schedule in 2h look", attachments=(photo,)
    )
    not_media = await bridge.chat.send(
        GROUP, PUBLISHER, "/schedule in 2h look", attachments=(sticker,)
    )
    too_far = await bridge.discord.send(
        CHANNEL, DISCORD_PUBLISHER, "/schedule in 25h look", attachments=(on_discord,)
    )
    within_a_day = await bridge.discord.send(
        CHANNEL, DISCORD_PUBLISHER, "/schedule in 23h look", attachments=(on_discord,)
    )

    assert no_store.text.startswith("Posting photos and videos from chat is not set up")
    assert not_media.text.startswith("Threads posts take photos and videos only")
    assert too_far.text == (
        "Discord's links to attached files expire after about a day, and Threads fetches the "
        "files only when the post is due: schedule photos and videos at most 24 hours ahead."
    )
    assert within_a_day.text == "Scheduled as #1 for Sat 16 Jan 07:00 (UTC)."
    (row,) = bridge.store.queue.waiting(CHANNEL)
    assert PublishRequest.from_json(row.request).attachments == (on_discord,)


async def test_queue_shows_a_due_post_held_back_by_the_daily_limit(
    bridge: Scheduling, clock: VirtualClock, sim: ThreadsSimulator
) -> None:
    sim.set_quota(Quota.POSTS, 0)  # as if 250 posts went out in the last 24 h
    await bridge.chat.send(GROUP, PUBLISHER, "/schedule in 1h held back")
    await idle()
    clock.advance(HOUR)

    ((_, held),) = await bridge.notices.wait_for(1)
    listed = await bridge.chat.send(GROUP, MEMBER, "/queue")
    assert held == (
        "Queued post #1: Threads' daily publishing limit is used up; it goes out at about "
        "09:10 UTC."
    )
    assert listed.text.splitlines()[1:] == ["#1  next (waiting for Threads)  Pat  held back"]

    sim.set_quota(Quota.POSTS, 250)
    await idle()
    clock.advance(600)  # when the worker looks at the quota again
    (_, (_, told)) = await bridge.notices.wait_for(2)
    (post,) = sim.posts_by("alice")
    assert told == f"Published on Threads (queued #1): {post.permalink}"
