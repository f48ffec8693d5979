"""/post and /reply through the real Bridge: who may publish, what lands on Threads, what
the store keeps (publications and the audit log), and the mistakes people make."""

from __future__ import annotations

import time

import pytest

from bot.commands import Context
from bot.events import Destination, Role, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import SimPost, SimUser, ThreadsSimulator
from simulator.quotas import Quota
from storage.store import Store
from tests.core.conftest import GROUP, MEMBER, PRIVATE, PUBLISHER, RecordingAdapter

LONG = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 35 for n in range(3))
REPLY_USAGE = (
    "Usage: /reply [LINK] TEXT\n"
    "Reply on Threads: answer a bridged post's message, or give the post's link."
)
BRIDGED_MESSAGE = "777"  # the chat message id the bridge delivered bob's post as


def audit_rows(store: Store) -> list[tuple[object, ...]]:
    return [
        (a["user_id"], a["action"], a["detail"], a["result"])
        for a in reversed(store.audit.entries())
    ]


async def deliver_post(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient, chat: Destination, text: str
) -> SimPost:
    """What a delivery leaves behind: bob watched in `chat` (a [[feeds]] entry), a new post of
    his polled by the real poller, and the chat message that shows it recorded."""
    sim.add_profile("bob")
    bob = store.sources.ensure(SourceKind.PROFILE, "bob")
    store.subscriptions.add(bob, chat, origin="config", created_by=None)
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: None)
    await poller.poll(bob.id)  # the baseline
    post = sim.add_post("bob", text=text)
    assert await poller.poll(bob.id) == 1
    delivery = store.outbox.next_due(chat, time.time())
    assert delivery is not None and delivery.item.post.id == post.id
    store.outbox.record_part(delivery, 0, [BRIDGED_MESSAGE])
    store.outbox.delivered(delivery.id)
    return post


async def test_post_only_for_publishers_and_audited(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    refused = await telegram_chat.send(GROUP, MEMBER, "/post hello world")
    published = await telegram_chat.send(GROUP, PUBLISHER, "/post   hello <world>  ")

    assert refused.text == (
        "Only configured publishers can publish to Threads. Ask the bridge's operator to add "
        f"your user id ({MEMBER.id}) to telegram.publishers."
    )
    assert not refused.ok and refused.private
    (post,) = sim.posts_by("alice")
    assert post.text == "hello <world>"
    assert (published.text, published.ok) == (f"Published on Threads: {post.permalink}", True)
    assert not published.private
    assert audit_rows(store) == [
        (MEMBER.id, "post", "hello world", "refused"),
        (PUBLISHER.id, "post", "hello <world>", "ok"),
    ]
    refusal = store.audit.entries()[1]
    assert refusal["error"] == refused.text and refusal["chat_id"] == GROUP.chat_id
    assert refusal["user_name"] == MEMBER.name
    publication = store.publications.state(1)
    assert publication is not None and publication["state"] == "published"
    assert publication["permalink"] == post.permalink


async def test_owning_a_chat_does_not_make_a_publisher(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    own_chat = Destination(PRIVATE.platform, MEMBER.id)
    refused = await telegram_chat.send(own_chat, MEMBER, "/post hi", role=Role.OWNER)
    assert refused.text.startswith("Only configured publishers") and refused.private
    assert sim.posts_by("alice") == []


async def test_a_long_post_becomes_a_chain(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/post {LONG}")

    first, second, third = reversed(sim.posts_by("alice"))
    assert answer.text == f"Published on Threads as a chain of 3 posts: {first.permalink}"
    assert first.text.startswith("Part 0.") and first.reply_to is None
    assert (second.reply_to, third.reply_to) == (first.id, second.id)
    publication = store.publications.state(1)
    assert publication is not None and publication["state"] == "published"


async def test_the_first_hashtag_becomes_the_posts_topic_and_stays_in_the_text(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    answer = await telegram_chat.send(
        PRIVATE, PUBLISHER, "/post Fresh loaves today #Sourdough #baking"
    )
    long = await telegram_chat.send(PRIVATE, PUBLISHER, f"/post #Threads {LONG}")

    assert answer.ok and long.ok
    chain = list(reversed(sim.posts_by("alice")))
    post, first, *rest = chain
    assert (post.text, post.spec.topic_tag) == (
        "Fresh loaves today #Sourdough #baking",
        "Sourdough",
    )
    assert first.spec.topic_tag == "Threads"  # a chain carries its topic on the first part only
    assert rest and all(part.spec.topic_tag is None for part in rest)


@pytest.mark.parametrize("args", ["", "   "])
async def test_post_without_text_answers_its_usage(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, args: str
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/post {args}")
    assert answer.text == (
        "Usage: /post TEXT\nPublish TEXT to Threads (long text becomes a reply chain; the "
        "first #tag is its topic); as the caption of photos or a video, publishes them with it."
    )
    assert not answer.ok
    assert sim.posts_by("alice") == []
    assert store.audit.entries() == [] and store.publications.state(1) is None


async def test_a_broken_chain_links_what_went_out(
    sim: ThreadsSimulator, alice: SimUser, telegram_chat: RecordingAdapter, store: Store
) -> None:
    for _ in range(1000):  # the second part is a reply: the reply quota is spent
        sim.state.quotas.record(Quota.REPLIES, alice.id)

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/post {LONG}")

    (first,) = sim.posts_by("alice")
    assert answer.text.startswith("Published 1 of 3 parts, then: Threads rate limit reached")
    assert answer.text.endswith(f"Already published: {first.permalink}")
    assert not answer.ok
    ((_, action, _, result),) = audit_rows(store)
    assert (action, result) == ("post", "error")
    publication = store.publications.state(1)
    assert publication is not None and publication["permalink"] == first.permalink


async def test_reply_to_a_bridged_post(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    original = await deliver_post(sim, store, client, GROUP, "what do you think?")

    answer = await telegram_chat.send(GROUP, PUBLISHER, "/reply I agree", reply_to=BRIDGED_MESSAGE)

    (reply,) = sim.posts_by("alice")
    assert (reply.text, reply.reply_to) == ("I agree", original.id)
    assert (answer.text, answer.ok) == (f"Replied on Threads: {reply.permalink}", True)
    assert audit_rows(store)[-1] == (
        PUBLISHER.id,
        "reply",
        f"reply to {original.id}: I agree",
        "ok",
    )


async def test_reply_by_link_to_someone_s_recent_post(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    sim.add_profile("bob")
    original = sim.add_post("bob", text="a post")

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/reply {original.permalink} nice")

    (reply,) = sim.posts_by("alice")
    assert (reply.text, reply.reply_to) == ("nice", original.id)
    assert answer.text == f"Replied on Threads: {reply.permalink}"


async def test_reply_by_link_to_the_connected_account_s_own_post(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    own = sim.add_post("alice", text="my own post")
    sim.clear_requests()

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/reply <{own.permalink}> and more")

    reply = sim.posts_by("alice")[0]
    assert (reply.text, reply.reply_to) == ("and more", own.id)
    assert answer.text == f"Replied on Threads: {reply.permalink}"
    # Found through /me/threads: no discovery call spent on our own account.
    assert not any(r.path.endswith("/profile_posts") for r in sim.requests)


async def test_reply_by_link_to_a_post_the_bridge_has_seen_asks_threads_nothing(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    original = await deliver_post(sim, store, client, GROUP, "seen before")
    sim.clear_requests()

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/reply {original.permalink} yes")

    (reply,) = sim.posts_by("alice")
    assert reply.reply_to == original.id and answer.ok
    assert not any(r.path.endswith("/profile_posts") for r in sim.requests)


async def test_reply_by_media_id(sim: ThreadsSimulator, telegram_chat: RecordingAdapter) -> None:
    sim.add_profile("bob")
    original = sim.add_post("bob", text="by id")
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/reply {original.id} ok then")
    (reply,) = sim.posts_by("alice")
    assert (reply.text, reply.reply_to) == ("ok then", original.id) and answer.ok


async def test_reply_mistakes_get_clear_answers(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    original = sim.add_post("bob", text="a post")

    no_text = await telegram_chat.send(PRIVATE, PUBLISHER, f"/reply {original.permalink}")
    no_target = await telegram_chat.send(PRIVATE, PUBLISHER, "/reply just words")
    nothing = await telegram_chat.send(PRIVATE, PUBLISHER, "/reply")
    not_a_post = await telegram_chat.send(GROUP, PUBLISHER, "/reply hi", reply_to="123")
    unknown = await telegram_chat.send(
        PRIVATE, PUBLISHER, "/reply https://www.threads.com/@bob/post/NoSuchCode hi"
    )

    assert (no_text.text, no_target.text, nothing.text) == (REPLY_USAGE,) * 3
    assert not_a_post.text == (
        "That message is not a bridged Threads post. Reply to a post the bridge "
        "delivered, or use /reply LINK TEXT."
    )
    assert unknown.text == (
        "Threads refused the request: "
        "That post could not be found among the author's recent posts."
    )
    assert not any(a.ok for a in (no_text, no_target, nothing, not_a_post, unknown))
    assert sim.posts_by("alice") == []


async def test_a_stranger_s_reply_is_refused_and_audited(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    original = sim.add_post("bob", text="a post")

    refused = await telegram_chat.send(GROUP, MEMBER, f"/reply {original.permalink} hi")

    assert refused.text.startswith("Only configured publishers") and refused.private
    assert audit_rows(store) == [(MEMBER.id, "reply", f"{original.permalink} hi", "refused")]
    assert sim.posts_by("alice") == []


async def test_a_reply_to_a_bridged_post_may_start_with_a_number(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    original = await deliver_post(sim, store, client, GROUP, "how many?")

    answer = await telegram_chat.send(
        GROUP, PUBLISHER, "/reply 42 of them", reply_to=BRIDGED_MESSAGE
    )

    assert answer.ok, answer.text
    (reply,) = sim.posts_by("alice")
    assert (reply.text, reply.reply_to) == ("42 of them", original.id)


async def test_quote_a_bridged_post_by_answering_it_or_by_its_link(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    original = await deliver_post(sim, store, client, GROUP, "worth quoting")

    answered = await telegram_chat.send(
        GROUP, PUBLISHER, "/quote So true #Wisdom", reply_to=BRIDGED_MESSAGE
    )
    linked = await telegram_chat.send(GROUP, PUBLISHER, f"/quote {original.permalink} Again")

    assert answered.ok and answered.text.startswith("Quoted on Threads: https://www.threads")
    assert linked.ok
    second, first = sim.posts_by("alice")
    assert (first.text, first.spec.quote_of, first.spec.topic_tag) == (
        "So true #Wisdom",
        original.id,
        "Wisdom",
    )
    assert (second.text, second.spec.quote_of) == ("Again", original.id)
    assert [row[1:] for row in audit_rows(store)][-2:] == [
        ("quote", f"quote of {original.id}: So true #Wisdom", "ok"),
        ("quote", f"quote of {original.id}: Again", "ok"),
    ]


async def test_repost_a_bridged_post_and_nothing_else(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    original = await deliver_post(sim, store, client, GROUP, "worth sharing")

    reposted = await telegram_chat.send(GROUP, PUBLISHER, "/repost", reply_to=BRIDGED_MESSAGE)
    with_text = await telegram_chat.send(GROUP, PUBLISHER, f"/repost {original.permalink} hi")
    refused = await telegram_chat.send(GROUP, MEMBER, f"/repost {original.permalink}")
    not_ours = await telegram_chat.send(GROUP, PUBLISHER, "/repost", reply_to="12345")

    assert reposted.text == f"Reposted on Threads: {original.permalink}"
    assert [p.spec.repost_of for p in sim.posts_by("alice")] == [original.id]
    assert not with_text.ok and with_text.text.startswith("Usage: /repost [LINK]")
    assert not refused.ok and refused.text.startswith("Only configured publishers")
    assert not_ours.text == (
        "That message is not a bridged Threads post. Reply to a post the bridge delivered, "
        "or use /repost LINK."
    )
    assert ("repost", f"repost of {original.id}", "ok") in [row[1:] for row in audit_rows(store)]


async def test_a_poll_is_its_question_with_two_to_four_answers(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/poll Tea or coffee? | Tea | Coffee ")
    too_few = await telegram_chat.send(PRIVATE, PUBLISHER, "/poll Just one? | Yes")
    too_long = await telegram_chat.send(PRIVATE, PUBLISHER, "/poll Which? | " + "a" * 26 + " | b")

    assert answer.ok and answer.text.startswith("Published on Threads: ")
    (post,) = sim.posts_by("alice")
    assert (post.text, post.spec.poll_options) == ("Tea or coffee?", ("Tea", "Coffee"))
    assert not too_few.ok and too_few.text.startswith("Usage: /poll QUESTION | ANSWER | ANSWER")
    assert not too_long.ok and "25" in too_long.text  # said before anything reaches Threads


async def test_long_text_as_one_post_with_a_text_attachment(
    sim: ThreadsSimulator, ctx: Context, telegram_chat: RecordingAdapter
) -> None:
    ctx.long_text = "attachment"  # [publishing] long_text = "attachment"

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, f"/post {LONG}")
    too_long = await telegram_chat.send(PRIVATE, PUBLISHER, "/post " + "word " * 2200)

    assert answer.ok and answer.text.startswith("Published on Threads: ")  # one post, no chain
    (post,) = sim.posts_by("alice")
    assert post.text.startswith("Part 0.") and len(post.text.encode()) <= 500
    attachment = post.spec.text_attachment
    assert attachment is not None
    # Every word, in order, once: only the whitespace at the cut is dropped.
    assert f"{post.text} {attachment['plaintext']}".split() == LONG.split()
    assert not too_long.ok and "10,000 characters" in too_long.text
    assert len(sim.posts_by("alice")) == 1
