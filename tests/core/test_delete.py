"""/delete through the real Bridge: the question and its Delete button, the click that deletes
on Threads (the simulator), and every way a click or a request is refused, audited."""

from __future__ import annotations

import calendar
import time

import pytest

from bot.commands import Context
from bot.confirm import ACTION_ID
from bot.events import Reply, SourceKind
from bot.threads.client import ThreadsClient
from jobs.polling import SourcePoller
from simulator import SimPost, ThreadsSimulator
from simulator.quotas import Quota
from storage.store import Store
from tests.core.conftest import GROUP, MEMBER, PRIVATE, PUBLISHER, RecordingAdapter
from tests.virtual_time import EPOCH, VirtualClock

BRIDGED_MESSAGE = "888"  # the chat message id the bridge delivered alice's post as
EXPIRED = "This confirmation has expired; run /delete again."


@pytest.fixture
def clock(ctx: Context) -> VirtualClock:
    """The bridge's time, moved by the tests: confirmations expire on it, and the 24 h of
    deletions are counted on it."""
    ctx.clock = VirtualClock()
    return ctx.clock


def audit_rows(store: Store) -> list[tuple[object, ...]]:
    return [
        (a["user_id"], a["action"], a["detail"], a["result"])
        for a in reversed(store.audit.entries(limit=1000))
    ]


async def deliver_own_post(
    sim: ThreadsSimulator, store: Store, client: ThreadsClient, ctx: Context, text: str
) -> SimPost:
    """The connected account's new post, polled by the real poller and delivered to GROUP as
    chat message BRIDGED_MESSAGE."""
    me = store.sources.ensure(SourceKind.ME, "me")
    store.subscriptions.add(me, GROUP, origin="config", created_by=None)
    poller = SourcePoller(store, client, on_queued=lambda: None, connected_account=lambda: ctx.me)
    await poller.poll(me.id)  # the baseline
    post = sim.add_post("alice", text=text)
    assert await poller.poll(me.id) == 1
    delivery = store.outbox.next_due(GROUP, time.time())
    assert delivery is not None and delivery.item.post.id == post.id
    store.outbox.record_part(delivery, 0, [BRIDGED_MESSAGE])
    store.outbox.delivered(delivery.id)
    return post


def asked(reply: Reply) -> str:
    """The action id of the answer's Delete button (and that it is one)."""
    assert reply.ok and reply.confirm is not None
    assert reply.confirm.label == "Delete"
    assert ACTION_ID.fullmatch(reply.confirm.action_id)
    return reply.confirm.action_id


async def test_delete_by_link_asks_and_the_click_deletes(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, clock: VirtualClock
) -> None:
    post = sim.add_post(
        "alice", text="A post I regret writing, with many more words than fit in the answer"
    )

    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")

    asked(question)
    assert question.text == (
        "Delete this post from Threads? "
        "“A post I regret writing, with many more words than fit in…”\n"
        f"{post.permalink}\n"
        "This cannot be undone. Only you can confirm, within 10 minutes."
    )
    assert sim.get_post(post.id) is not None  # nothing is deleted without the click

    done = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert (done.text, done.ok) == (
        "Deleted from Threads: “A post I regret writing, with many more words than fit in…”",
        True,
    )
    assert sim.get_post(post.id) is None
    assert sim.posts_by("alice") == []
    assert audit_rows(store) == [(PUBLISHER.id, "delete", post.id, "ok")]


async def test_delete_answering_a_delivered_post(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    ctx: Context,
    telegram_chat: RecordingAdapter,
    store: Store,
) -> None:
    post = await deliver_own_post(sim, store, client, ctx, "short one")

    question = await telegram_chat.send(GROUP, PUBLISHER, "/delete", reply_to=BRIDGED_MESSAGE)
    done = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert question.text.startswith("Delete this post from Threads? “short one”\n")
    assert done.text == "Deleted from Threads: “short one”"
    assert sim.get_post(post.id) is None


async def test_only_publishers_and_only_the_connected_account_s_posts(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    theirs = sim.add_post("bob", text="not yours")
    ours = sim.add_post("alice", text="mine")

    stranger = await telegram_chat.send(GROUP, MEMBER, f"/delete {ours.permalink}")
    not_own = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {theirs.permalink}")

    assert not stranger.ok and stranger.private and stranger.confirm is None
    assert stranger.text.startswith("Only configured publishers can publish to Threads.")
    assert (not_own.text, not_own.ok, not_own.confirm) == (
        "You can only delete posts of the connected account (@alice).",
        False,
        None,
    )
    assert sim.get_post(theirs.id) is not None and sim.get_post(ours.id) is not None
    assert audit_rows(store) == [
        (MEMBER.id, "delete", ours.permalink, "refused"),
        (PUBLISHER.id, "delete", theirs.id, "refused"),
    ]


async def test_a_second_click_and_another_user_s_click_delete_nothing_more(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    post = sim.add_post("alice", text="once")
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")

    other = await telegram_chat.click(GROUP, MEMBER, question.confirm)
    still_there = sim.get_post(post.id) is not None
    done = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)
    again = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert (other.text, other.ok, other.private) == (
        "Only the person who asked can confirm.",
        False,
        True,
    )
    assert still_there
    assert done.text == "Deleted from Threads: “once”"
    assert (again.text, again.ok, again.private) == (EXPIRED, False, True)
    deletes = [r for r in sim.requests if r.method == "DELETE"]
    assert len(deletes) == 1
    assert audit_rows(store) == [
        (MEMBER.id, "delete", post.id, "refused"),
        (PUBLISHER.id, "delete", post.id, "ok"),
        (PUBLISHER.id, "delete", post.id, "refused"),
    ]


async def test_a_click_in_another_chat_or_with_a_made_up_id_does_nothing(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    post = sim.add_post("alice", text="here only")
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    assert question.confirm is not None

    elsewhere = await telegram_chat.click(PRIVATE, PUBLISHER, question.confirm)
    forged = await telegram_chat.click(
        GROUP, PUBLISHER, type(question.confirm)("Delete", post.id, "x" * 22)
    )

    assert elsewhere.text == forged.text == "This confirmation has expired; run the command again."
    assert sim.get_post(post.id) is not None


async def test_a_confirmation_expires_after_ten_minutes(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, clock: VirtualClock
) -> None:
    kept, lost = sim.add_post("alice", text="kept"), sim.add_post("alice", text="lost")
    late = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {kept.permalink}")
    clock.advance(599)
    in_time = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {lost.permalink}")
    clock.advance(2)  # the first was asked 601 s ago, the second 2 s ago

    too_late = await telegram_chat.click(GROUP, PUBLISHER, late.confirm)
    done = await telegram_chat.click(GROUP, PUBLISHER, in_time.confirm)

    assert (too_late.text, too_late.private) == (EXPIRED, True)
    assert done.text == "Deleted from Threads: “lost”"
    assert sim.get_post(kept.id) is not None and sim.get_post(lost.id) is None


async def test_the_bridge_keeps_to_100_deletions_in_24_hours(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, clock: VirtualClock
) -> None:
    # 100 deletions of the last day on record, the first 23 h ago at 09:15:30 UTC.
    first = float(calendar.timegm((2027, 1, 15, 9, 15, 30)))
    clock.now = first - EPOCH
    for n in range(100):
        store.audit.record(GROUP, PUBLISHER, "delete", f"old {n}", "ok", at=first + n * 60)
    clock.advance(23 * 3600)
    post = sim.add_post("alice", text="one too many")

    refused = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    clock.advance(3600)  # 09:15:30 the next day: the first deletion has left the window
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    done = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert (refused.text, refused.ok, refused.confirm) == (
        "Threads allows 100 deletions a day; the next one is possible at 09:15 UTC.",
        False,
        None,
    )
    assert done.text == "Deleted from Threads: “one too many”"
    assert sim.get_post(post.id) is None
    assert audit_rows(store)[100] == (PUBLISHER.id, "delete", post.id, "refused")


async def test_the_limit_is_checked_again_at_the_click(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store, clock: VirtualClock
) -> None:
    post = sim.add_post("alice", text="asked while there was room")
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    for n in range(100):  # other deletions confirmed meanwhile
        store.audit.record(GROUP, PUBLISHER, "delete", f"other {n}", "ok", at=clock.time())

    clicked = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert not clicked.ok
    assert clicked.text.startswith("Threads allows 100 deletions a day; the next one is")
    assert sim.get_post(post.id) is not None


async def test_meta_s_own_refusal_of_the_deletion_is_told_apart(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    post = sim.add_post("alice", text="deleted elsewhere already")
    sim.set_quota(Quota.DELETES, 0)  # the day's deletions were made in the Threads app

    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    clicked = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    asked(question)
    assert (clicked.text, clicked.ok) == (
        "Threads refused: the account has used Meta's 100 deletions of the last 24 hours "
        "(deletions in the Threads app count too). Try again later.",
        False,
    )
    assert sim.get_post(post.id) is not None
    assert audit_rows(store)[-1][1:] == ("delete", post.id, "error")


async def test_a_post_gone_before_the_click(
    sim: ThreadsSimulator, client: ThreadsClient, telegram_chat: RecordingAdapter
) -> None:
    post = sim.add_post("alice", text="going")
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    await client.delete(post.id)  # from the Threads app, say

    clicked = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert (clicked.text, clicked.ok) == (
        "That post is not on Threads (it may be deleted already).",
        False,
    )


async def test_delete_mistakes_get_clear_answers(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    post = sim.add_post("alice", text="keep")

    bare = await telegram_chat.send(GROUP, PUBLISHER, "/delete")
    with_text = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink} now")
    not_a_post = await telegram_chat.send(GROUP, PUBLISHER, "/delete", reply_to="12345")

    usage = (
        "Usage: /delete [LINK]\nDelete a post of the connected account from Threads: answer "
        "its message or give its link; a Delete button confirms (100 a day)."
    )
    assert bare.text == with_text.text == usage
    assert not_a_post.text == (
        "That message is not a bridged Threads post. Reply to a post the bridge delivered, "
        "or use /delete LINK."
    )
    assert sim.get_post(post.id) is not None


async def test_a_post_without_text_is_named_by_its_kind(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    post = sim.add_post("alice", media_type="IMAGE", media_urls=("https://c.ex/p.jpg",))

    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    done = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert question.text.startswith("Delete this post from Threads? an image post\n")
    assert done.text == "Deleted from Threads: an image post"


async def test_the_click_is_checked_against_the_publishers_of_now(
    sim: ThreadsSimulator, ctx: Context, telegram_chat: RecordingAdapter, store: Store
) -> None:
    post = sim.add_post("alice", text="asked as a publisher")
    question = await telegram_chat.send(GROUP, PUBLISHER, f"/delete {post.permalink}")
    ctx.publishers = {"telegram": frozenset()}  # the operator took Pat off the list meanwhile

    clicked = await telegram_chat.click(GROUP, PUBLISHER, question.confirm)

    assert not clicked.ok and clicked.private
    assert clicked.text.startswith("Only configured publishers can publish to Threads.")
    assert sim.get_post(post.id) is not None
    assert audit_rows(store)[-1] == (PUBLISHER.id, "delete", post.id, "refused")
