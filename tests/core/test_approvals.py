"""Approvals through the real Bridge and a real PublishWorker: a contributor's /post waits in
the publish queue (state review) while the review chat shows exactly what will be published,
with Approve and Reject; only a publisher's click decides; the proposer hears the outcome in
their own chat, with the link once it is published."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field

import pytest

from bot.bridge import Bridge
from bot.commands import Context
from bot.commands.post_options import parse_post_options
from bot.commands.publish_request import PublishRequest, execute
from bot.config import CrosspostConfig
from bot.crosspost import Autopost
from bot.events import (
    Attachment,
    Button,
    ChatMessage,
    ChatUser,
    Command,
    Destination,
    Platform,
    Role,
)
from bot.review import ReviewDesk
from bot.threads.client import ThreadsClient
from bot.threads.publish import Published
from jobs.publish_worker import PublishWorker
from simulator import ThreadsSimulator
from storage.publish_queue import PUBLISHED, REJECTED, REVIEW, QueuedPost
from storage.store import Store
from tests.core.conftest import (
    CHANNEL,
    DISCORD_MEMBER,
    GROUP,
    MEMBER,
    PUBLISHER,
    RecordingAdapter,
)

CONTRIBUTOR = ChatUser("1004", "Cleo")  # listed in telegram.contributors
REVIEWS = Destination(Platform.TELEGRAM, "-1009000000001")  # telegram.review_chat
WRITERS_ROLE = "3002"  # listed in discord.contributor_roles
SENT = "Sent for review as #1; you will hear here when it is decided."


@dataclass
class Notices:
    """The chat side of notices, as the adapters' `notify(destination, text, buttons)`."""

    sent: list[tuple[Destination, str, tuple[Button, ...]]] = field(default_factory=list)
    down: set[Destination] = field(default_factory=set)  # chats whose platform is unreachable
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def send(self, destination: Destination, text: str, buttons: Sequence[Button]) -> None:
        if destination in self.down:
            raise ConnectionError("the platform cannot be reached")
        self.sent.append((destination, text, tuple(buttons)))
        self._arrived.set()

    async def notify(self, destination: Destination, text: str) -> None:
        await self.send(destination, text, ())

    def to(self, chat: Destination) -> list[str]:
        return [text for destination, text, _ in self.sent if destination == chat]

    def review(self) -> tuple[str, tuple[Button, ...]]:
        ((text, buttons),) = [(t, b) for d, t, b in self.sent if d == REVIEWS]
        return text, buttons

    async def wait_for(self, arrived: Callable[[], bool]) -> None:
        async with asyncio.timeout(15):
            while not arrived():
                self._arrived.clear()
                await self._arrived.wait()


@pytest.fixture
async def notices(ctx: Context, client: ThreadsClient) -> AsyncIterator[Notices]:
    """The context as BridgeApp.open() builds it with contributors and a review chat: the
    review desk and the one publish worker, both telling chats through `notices`."""
    recorded = Notices()
    ctx.contributors = {"telegram": frozenset({CONTRIBUTOR.id})}
    ctx.contributor_roles = {"discord": frozenset({WRITERS_ROLE})}
    ctx.reviews = ReviewDesk(
        ctx.store.queue, {"telegram": REVIEWS}, recorded.send, ctx.store.state
    )

    async def run(row: QueuedPost, on_started: Callable[[int], None]) -> list[Published]:
        request = PublishRequest.from_json(row.request)
        return await execute(ctx, row.chat, row.user, request, on_started)

    worker = PublishWorker(
        ctx.store.queue,
        ctx.store.publications,
        run,
        quota=client.publishing_limit,
        notify=recorded.notify,
    )
    ctx.publishing = worker
    worker.start()
    yield recorded
    await worker.stop()


async def press(
    bridge: Bridge, chat: Destination, user: ChatUser, button: Button
) -> tuple[str, bool, bool]:
    """A click as the adapters report it: the button's command, from whoever clicked, through
    `Bridge.handle`; what the clicker is answered (text, ok, private)."""
    click = Command(button.command, button.args, user, chat, role=Role.MEMBER)
    reply = await bridge.handle(click)
    return reply.text, reply.ok, reply.private


async def announced(row_id: int) -> None:
    """Until the decision's notice to the proposer went out (it goes in the background)."""
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == f"review #{row_id} decided"]
    await asyncio.gather(*tasks)


def state(store: Store, row_id: int) -> str | None:
    row = store.queue.get(row_id)
    return row.state if row else None


def audit_rows(store: Store) -> list[tuple[object, ...]]:
    return [(a["user_id"], a["action"], a["result"]) for a in reversed(store.audit.entries())]


async def test_a_contributors_post_waits_for_a_publishers_approve(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    bridge: Bridge,
    store: Store,
    notices: Notices,
) -> None:
    answer = await telegram_chat.send(
        GROUP, CONTRIBUTOR, "/post replies:followers Fresh loaves at ten #Bakery"
    )

    assert (answer.text, answer.ok) == (SENT, True)
    assert sim.posts_by("alice") == []
    assert state(store, 1) == REVIEW
    preview, buttons = notices.review()
    assert preview == (
        f"Review #1: a post from Cleo (telegram chat {GROUP.chat_id}), to be published on "
        "Threads as:\n"
        "\n"
        "Fresh loaves at ten #Bakery\n"
        "\n"
        "Topic: #Bakery\n"
        "Who may reply: the account's followers"
    )
    approve, reject = buttons
    assert (approve.label, approve.command, approve.args, approve.danger) == (
        "Approve",
        "approve",
        "1",
        False,
    )
    assert (reject.label, reject.command, reject.args, reject.danger) == (
        "Reject",
        "reject",
        "1",
        True,
    )

    refused = await press(bridge, REVIEWS, MEMBER, approve)
    assert refused == (
        "Only configured publishers can approve or reject posts waiting for review.",
        False,
        True,
    )
    assert state(store, 1) == REVIEW
    assert sim.posts_by("alice") == []

    approved = await press(bridge, REVIEWS, PUBLISHER, approve)
    assert approved == ("Approved by Pat: #1 goes to Threads.", True, False)
    await notices.wait_for(lambda: len(notices.to(GROUP)) == 2)

    (post,) = sim.posts_by("alice")
    assert (post.text, post.spec.topic_tag, post.spec.reply_audience) == (
        "Fresh loaves at ten #Bakery",
        "Bakery",
        "FOLLOWERS_ONLY",
    )
    assert notices.to(GROUP) == [
        "Your post #1 was approved by Pat; the link follows here once it is published.",
        f"Published on Threads (queued #1): {post.permalink}",
    ]
    again = await press(bridge, REVIEWS, PUBLISHER, reject)
    assert again == (
        f"Already decided: #1 was approved and published: {post.permalink}",
        False,
        True,
    )
    assert len(sim.posts_by("alice")) == 1
    assert audit_rows(store) == [
        (CONTRIBUTOR.id, "post", "proposed"),
        (MEMBER.id, "approve", "refused"),
        (PUBLISHER.id, "approve", "ok"),
        (CONTRIBUTOR.id, "post", "ok"),  # published in the proposer's name, from their chat
    ]


async def test_a_rejected_post_is_never_published_and_its_proposer_is_told(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    bridge: Bridge,
    store: Store,
    notices: Notices,
) -> None:
    await telegram_chat.send(GROUP, CONTRIBUTOR, "/post Not quite ready")
    approve, reject = notices.review()[1]

    rejected = await press(bridge, REVIEWS, PUBLISHER, reject)
    late = await press(bridge, REVIEWS, PUBLISHER, approve)

    assert rejected == ("Rejected by Pat: #1 will not be published.", True, False)
    assert late == ("Already decided: #1 was rejected.", False, True)
    await announced(1)
    assert notices.to(GROUP) == ["Your post #1 was not approved by Pat."]
    assert state(store, 1) == REJECTED
    assert store.queue.waiting() == []
    assert sim.posts_by("alice") == []


async def test_two_approves_at_once_publish_once(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    bridge: Bridge,
    notices: Notices,
) -> None:
    await telegram_chat.send(GROUP, CONTRIBUTOR, "/post Only once")
    approve, _ = notices.review()[1]

    first, second = await asyncio.gather(
        press(bridge, REVIEWS, PUBLISHER, approve), press(bridge, REVIEWS, PUBLISHER, approve)
    )
    await notices.wait_for(lambda: any("Published" in t for t in notices.to(GROUP)))

    assert sorted([first[0], second[0]]) == [
        "Already decided: #1 was approved and goes to Threads.",
        "Approved by Pat: #1 goes to Threads.",
    ]
    assert [p.text for p in sim.posts_by("alice")] == ["Only once"]


async def test_every_publishing_command_of_a_contributor_goes_to_review(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, notices: Notices
) -> None:
    target = sim.add_post("alice", text="Which bread?")
    poll = await telegram_chat.send(GROUP, CONTRIBUTOR, "/poll Which loaf? | Rye | Spelt")
    reply = await telegram_chat.send(GROUP, CONTRIBUTOR, f"/reply {target.permalink} Rye!")
    photos = (
        Attachment("telegram", "IMAGE", "file-1", spoiler=True),
        Attachment("telegram", "IMAGE", "file-2"),
        Attachment("telegram", "VIDEO", "file-3"),
    )
    media = await telegram_chat.send(GROUP, CONTRIBUTOR, "/post Our oven", attachments=photos)

    assert [a.text for a in (poll, reply, media)] == [
        SENT,
        SENT.replace("#1", "#2"),
        SENT.replace("#1", "#3"),
    ]
    previews = notices.to(REVIEWS)
    assert previews[0].splitlines()[0] == (
        f"Review #1: a post with a poll from Cleo (telegram chat {GROUP.chat_id}), to be "
        "published on Threads as:"
    )
    assert "Poll: Rye | Spelt" in previews[0].splitlines()
    assert f"In reply to Threads post {target.id}" in previews[1].splitlines()
    assert "Media: 2 photos and 1 video, one carousel, hidden behind a spoiler" in (
        previews[2].splitlines()
    )
    assert [state(store, row_id) for row_id in (1, 2, 3)] == [REVIEW] * 3
    assert sim.posts_by("alice") == [target]  # nothing published without an approval


async def test_a_long_proposal_is_previewed_as_the_chain_it_becomes(
    telegram_chat: RecordingAdapter, notices: Notices
) -> None:
    long = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 35 for n in range(3))
    await telegram_chat.send(GROUP, CONTRIBUTOR, f"/post {long} ||the end||")

    lines = notices.review()[0].splitlines()
    assert lines[2] == "A chain of 3 posts, each replying to the one before:"
    assert lines[4] == "[1/3]" and lines[5].startswith("Part 0. lorem ipsum")
    assert lines[-1] == "The ||marked|| parts are hidden as spoilers on Threads."
    assert "||the end||" in lines[-4]


async def test_a_discord_contributor_role_proposes_and_others_are_refused(
    sim: ThreadsSimulator, discord_chat: RecordingAdapter, store: Store, notices: Notices
) -> None:
    proposed = await discord_chat.send(
        CHANNEL, DISCORD_MEMBER, "/post From the writers", roles=(WRITERS_ROLE,)
    )
    refused = await discord_chat.send(CHANNEL, DISCORD_MEMBER, "/post Not a writer")

    assert proposed.text == SENT
    # No Discord review chat: the one configured (Telegram's) shows it.
    assert notices.review()[0].startswith(
        f"Review #1: a post from bob (discord chat {CHANNEL.chat_id})"
    )
    assert refused.text.startswith("Only configured publishers can publish to Threads.")
    assert (refused.ok, refused.private) == (False, True)
    assert audit_rows(store) == [
        (DISCORD_MEMBER.id, "post", "proposed"),
        (DISCORD_MEMBER.id, "post", "refused"),
    ]
    assert store.queue.get(2) is None and sim.posts_by("alice") == []


async def test_a_row_queued_for_review_elsewhere_is_reviewed_the_same_way(
    sim: ThreadsSimulator, ctx: Context, bridge: Bridge, store: Store, notices: Notices
) -> None:
    # As a [[crosspost]] rule with approval = true queues a channel post: its origin is the
    # chat message, its chat the channel (a feed: it is told nothing of the decision).
    channel = Destination(Platform.TELEGRAM, "-1005000000001")
    request = PublishRequest("crosspost", parse_post_options("From the channel"))
    row_id = store.queue.add(
        "crosspost",
        channel,
        ChatUser(channel.chat_id, "Bakery news"),
        request.to_json(),
        origin=f"telegram:{channel.chat_id}:77",
        state=REVIEW,
    )
    assert ctx.reviews is not None
    assert await ctx.reviews.request_review(row_id)
    text, (_, reject) = notices.review()
    assert text.startswith(f"Review #{row_id}: a cross-post from Bakery news (telegram chat")

    assert (await press(bridge, REVIEWS, PUBLISHER, reject))[0] == (
        f"Rejected by Pat: #{row_id} will not be published."
    )
    await announced(row_id)
    assert notices.to(channel) == []
    assert not await ctx.reviews.request_review(row_id)  # decided: nothing more to show
    assert state(store, row_id) == REJECTED
    assert sim.posts_by("alice") == []


async def test_without_a_review_chat_a_contributor_is_told_so(
    telegram_chat: RecordingAdapter, ctx: Context, store: Store
) -> None:
    ctx.contributors = {"telegram": frozenset({CONTRIBUTOR.id})}
    answer = await telegram_chat.send(GROUP, CONTRIBUTOR, "/post hello")

    assert answer.text == (
        "Your post cannot be sent for review: this bridge has no review chat. Ask its "
        "operator to set review_chat."
    )
    assert not answer.ok and store.queue.waiting() == [] and store.queue.get(1) is None


async def test_a_publisher_still_publishes_at_once(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, notices: Notices
) -> None:
    answer = await telegram_chat.send(GROUP, PUBLISHER, "/post Straight out")

    (post,) = sim.posts_by("alice")
    assert answer.text == f"Published on Threads: {post.permalink}"
    assert notices.to(REVIEWS) == []
    row = store.queue.get(1)
    assert row is not None and (row.state, row.permalink) == (PUBLISHED, post.permalink)


async def test_the_buttons_commands_are_offered_to_nobody_and_a_proposer_cannot_approve(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    bridge: Bridge,
    store: Store,
    notices: Notices,
) -> None:
    # Adapters register and list `bridge.commands` (Telegram's handlers, /help, Discord's
    # group): the buttons' commands are not among them, yet the bridge runs a click.
    assert {"approve", "reject"}.isdisjoint(bridge.commands)
    assert bridge.spec("approve") is not None and bridge.spec("reject") is not None
    await telegram_chat.send(GROUP, CONTRIBUTOR, "/post Let me through")
    approve, _ = notices.review()[1]

    own = await press(bridge, REVIEWS, CONTRIBUTOR, approve)

    assert own[1:] == (False, True)
    assert own[0] == "Only configured publishers can approve or reject posts waiting for review."
    assert state(store, 1) == REVIEW and sim.posts_by("alice") == []


async def test_a_review_the_chat_could_not_take_is_shown_once_it_can(
    telegram_chat: RecordingAdapter,
    bridge: Bridge,
    store: Store,
    notices: Notices,
) -> None:
    notices.down.add(REVIEWS)
    answer = await telegram_chat.send(GROUP, CONTRIBUTOR, "/post While Telegram was away")
    await telegram_chat.send(GROUP, CONTRIBUTOR, "/post Withdrawn meanwhile")
    assert store.queue.decide(2, approved=False)  # decided elsewhere before it was shown

    assert answer.text == (
        "Saved for review as #1, but the review chat cannot be reached right now; the bridge "
        "shows it there as soon as it can, and you will hear here when it is decided."
    )
    assert not answer.ok and notices.to(REVIEWS) == []
    # A restart: a new desk on the same database knows what is still to show.
    desk = ReviewDesk(store.queue, {"telegram": REVIEWS}, notices.send, store.state)
    await desk.show_unshown()  # still down: nothing shown, nothing forgotten
    assert notices.to(REVIEWS) == []
    notices.down.clear()
    await desk.show_unshown()
    await desk.show_unshown()  # shown once, not again

    text, (approve, _) = notices.review()
    assert text.startswith("Review #1: a post from Cleo")
    assert (await press(bridge, REVIEWS, PUBLISHER, approve))[0] == (
        "Approved by Pat: #1 goes to Threads."
    )


async def test_a_crosspost_rule_with_approval_sends_its_post_to_review_and_approve_publishes(
    sim: ThreadsSimulator, ctx: Context, bridge: Bridge, store: Store, notices: Notices
) -> None:
    """`approval = true` on a [[crosspost]] rule: the channel's post is shown in the review
    chat at once; a publisher's Approve publishes it, and the channel is told nothing."""
    channel = Destination(Platform.TELEGRAM, "-1005000000002")
    ctx.autopost = Autopost(
        ctx, (CrosspostConfig(telegram_chat=int(channel.chat_id), approval=True),), notices.notify
    )
    message = ChatMessage("Fresh bread at 7", (), ChatUser(channel.chat_id, "Bakery"), "31")
    row_id = ctx.autopost.on_message(channel, message, chat_name="Bakery")
    assert row_id is not None

    await notices.wait_for(lambda: bool(notices.to(REVIEWS)))
    text, (approve, _) = notices.review()
    assert f"Review #{row_id}" in text and "Fresh bread at 7" in text
    assert sim.posts_by("alice") == []

    await press(bridge, REVIEWS, PUBLISHER, approve)
    assert isinstance(ctx.publishing, PublishWorker)
    settled = await asyncio.wait_for(ctx.publishing.settled(row_id), 15)
    assert settled.state == PUBLISHED
    assert [p.text for p in sim.posts_by("alice")] == ["Fresh bread at 7"]
    assert notices.to(channel) == []
