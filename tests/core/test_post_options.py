"""Post options through the real Bridge and the simulator: who may reply, a link preview, long
text per command, spoilers; and the mistakes people make typing them."""

from __future__ import annotations

import pytest

from bot.commands import Context
from bot.commands.post_options import parse_post_options
from bot.threads.spoilers import unmark
from simulator import SimUser, ThreadsSimulator
from tests.core.conftest import GROUP, PUBLISHER, RecordingAdapter

LONG = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 35 for n in range(3))


async def test_replies_link_and_spoiler_reach_threads(
    telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    answer = await telegram_chat.send(
        GROUP,
        PUBLISHER,
        "/post replies:followers link:https://example.com/launch We launch ||on Friday|| ok",
    )

    assert answer.ok, answer.text
    (post,) = sim.posts_by("alice")
    assert post.text == "We launch on Friday ok"
    assert post.spec.reply_audience == "FOLLOWERS_ONLY"
    assert post.spec.link_attachment_url == "https://example.com/launch"
    assert post.spec.text_entities == [{"entity_type": "SPOILER", "offset": 10, "length": 9}]
    assert post.text[10:19] == "on Friday"


@pytest.mark.parametrize(
    ("typed", "control"),
    [
        ("everyone", "EVERYONE"),
        ("following", "ACCOUNTS_YOU_FOLLOW"),
        ("mentioned", "MENTIONED_ONLY"),
        ("author", "PARENT_POST_AUTHOR_ONLY"),
    ],
)
async def test_every_reply_control_has_a_word(
    telegram_chat: RecordingAdapter,
    sim: ThreadsSimulator,
    alice: SimUser,
    typed: str,
    control: str,
) -> None:
    await telegram_chat.send(GROUP, PUBLISHER, f"/post replies:{typed} hello")
    (post,) = sim.posts_by("alice")
    assert post.spec.reply_audience == control


async def test_long_attachment_per_command_overrides_the_config(
    ctx: Context, telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    assert ctx.long_text == "chain"
    answer = await telegram_chat.send(GROUP, PUBLISHER, f"/post long:attachment {LONG}")
    assert answer.ok, answer.text
    (post,) = sim.posts_by("alice")  # one post, not a chain
    assert post.spec.text_attachment is not None
    assert post.text.startswith("Part 0.")


async def test_a_spoiler_cut_by_a_chain_split_goes_on_in_the_next_part(
    telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    first, second = ("lorem ipsum " * 40).strip(), ("dolor sit " * 20).strip()
    await telegram_chat.send(GROUP, PUBLISHER, f"/post replies:mentioned ||{first}\n\n{second}||")

    parts = sorted(sim.posts_by("alice"), key=lambda p: p.sort_key)
    assert [p.text for p in parts] == [first, second]
    assert [p.spec.text_entities for p in parts] == [
        [{"entity_type": "SPOILER", "offset": 0, "length": len(first)}],
        [{"entity_type": "SPOILER", "offset": 0, "length": len(second)}],
    ]
    assert {p.spec.reply_audience for p in parts} == {"MENTIONED_ONLY"}  # every part


async def test_a_reply_and_a_poll_take_options_too(
    telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser
) -> None:
    await telegram_chat.send(GROUP, PUBLISHER, "/poll replies:followers Lunch? | Pizza | Soup")
    (poll,) = sim.posts_by("alice")
    await telegram_chat.send(GROUP, PUBLISHER, f"/reply {poll.permalink} replies:author ||yes||")

    reply = next(p for p in sim.posts_by("alice") if p.is_reply)
    assert (poll.text, poll.spec.poll_options) == ("Lunch?", ("Pizza", "Soup"))
    assert poll.spec.reply_audience == "FOLLOWERS_ONLY"
    assert (reply.text, reply.spec.reply_audience) == ("yes", "PARENT_POST_AUTHOR_ONLY")
    assert reply.spec.text_entities == [{"entity_type": "SPOILER", "offset": 0, "length": 3}]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("/post replies:friends hi", "replies: takes everyone, following, mentioned, followers"),
        ("/post long:short hi", "long: takes chain or attachment, not 'short'."),
        ("/post link:ftp://x.example hi", "link: takes a web address (https://...)"),
        (
            "/post " + " ".join(f"||s{n}||" for n in range(11)),
            "A post takes up to 10 spoilers.",
        ),
    ],
)
async def test_a_mistyped_option_is_explained_and_nothing_is_posted(
    telegram_chat: RecordingAdapter, sim: ThreadsSimulator, alice: SimUser, typed: str, says: str
) -> None:
    answer = await telegram_chat.send(GROUP, PUBLISHER, typed)
    assert not answer.ok
    assert says in answer.text
    assert sim.posts_by("alice") == []


def test_words_with_a_colon_that_are_no_option_stay_text() -> None:
    options = parse_post_options("Note: link: is how it starts")
    assert (options.text, options.link, options.reply_control) == (
        "Note: link: is how it starts",
        None,
        None,
    )
    assert parse_post_options("-- replies:all is the answer").text == "replies:all is the answer"


def test_unpaired_bars_stay_as_typed() -> None:
    text, ranges, _ = unmark(parse_post_options("a || b").text)
    assert (text, ranges) == ("a || b", ())
