"""The Bridge's dispatch without any chat platform: /start and /help, unknown commands, the
permission refusals and how each platform words them, usage errors, Threads failures in plain
words, and a crash. Each family's own behaviour: test_watch.py, test_publish.py, test_info.py."""

from __future__ import annotations

import logging

import pytest

from bot.bridge import UNEXPECTED, Bridge
from bot.commands import ALL_COMMANDS
from bot.commands.explain import explain
from bot.commands.help import INTRO
from bot.events import Command, Destination, Platform, Role
from bot.threads.errors import (
    AuthError,
    ContainerFailed,
    InvalidParameter,
    NotReady,
    PermissionDenied,
    PublishOutcomeUnknown,
    PublishTimeout,
    RateLimited,
    ThreadsError,
    TransientError,
)
from bot.threads.publish import ChainIncomplete, Published
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import (
    ADMIN,
    CHANNEL,
    DISCORD_MEMBER,
    DISCORD_PUBLISHER,
    EDITORS_ROLE,
    GROUP,
    MEMBER,
    PRIVATE,
    PUBLISHER,
    RecordingAdapter,
)

HELP_LINES = [
    '/watch USERNAME | "WORDS" | #TAG - deliver a Threads profile\'s new posts to this chat, '
    "or new public posts with those words or that topic tag (chat admins only)",
    "/unwatch USERNAME | \"WORDS\" | #TAG - stop delivering a profile's or a search's posts "
    "here (chat admins only)",
    "/list - the profiles and searches this chat watches",
    "/pause USERNAME - stop a watched profile's posts here for a while (other chats keep "
    "theirs) (chat admins only)",
    "/resume USERNAME [N] - receive a paused profile again: what it posted meanwhile is "
    "skipped, or its last N posts (1-5) delivered (chat admins only)",
    "/preview USERNAME - show a profile's latest post as this chat would receive it (chat "
    "admins only)",
    "/settings USERNAME [KEY: VALUE | reset] - a watched profile's filters (words, regex, "
    "replies/reposts/quotes, media only) and message template here, and what they kept out "
    "(chat admins only)",
    "/why LINK - why a post did not arrive here: the filter that kept it out",
    "/post TEXT - publish TEXT to Threads (long text becomes a reply chain; the first #tag is "
    "its topic); as the caption of photos or a video, publishes them with it (publishers and "
    "contributors only)",
    "/crosspost - answering any message in the chat: publish that message (text, photos, "
    "video) to Threads (publishers and contributors only)",
    "/poll QUESTION | ANSWER | ANSWER [| ANSWER | ANSWER] - publish a question with a Threads "
    "poll of 2 to 4 answers (publishers and contributors only)",
    "/reply [LINK] TEXT - reply on Threads: answer a bridged post's message, or give the "
    "post's link (publishers and contributors only)",
    "/quote [LINK] TEXT - quote a post on Threads: answer a bridged post's message, or give "
    "the post's link (publishers and contributors only)",
    "/repost [LINK] - repost a post on Threads: answer a bridged post's message, or give the "
    "post's link (publishers only)",
    "/schedule WHEN TEXT - publish TEXT to Threads at WHEN (2026-12-24 09:00, tomorrow 9:00, "
    "in 2h; WHEN | TEXT keeps them apart); as the caption of photos or a video, publishes them "
    "with it (publishers only)",
    "/queue - the posts from this chat waiting to be published: who, when, first words",
    "/cancel ID - cancel a waiting post of this chat (#ID from /queue; any publisher's post) "
    "(publishers only)",
    "/timezone [ZONE] - the time zone of this chat's /schedule times, e.g. Europe/Berlin "
    "(default: the bridge's) (chat admins only)",
    "/delete [LINK] - delete a post of the connected account from Threads: answer its message "
    "or give its link; a Delete button confirms (100 a day) (publishers only)",
    "/profile USERNAME - a Threads profile's card",
    "/status - what the bridge watches, its queue and publishing quota",
    "/insights [day|week|month|LINK] - the account's views, likes, replies, reposts, quotes, "
    "link clicks and followers for today, the last 7 days (default) or 30 days, with a chart "
    "of views per day; a post's numbers: give its link, or answer its message",
    "/autopost on|off|status - switch the cross-posting of this chat's messages to Threads "
    "([[crosspost]] chats; chat admins who are publishers) (chat admins only)",
    "/help - this list",
    "",
    "Inbox. /watch replies delivers the replies to the connected account's posts (publishers "
    "hide, unhide and answer them with the buttons underneath); /watch mentions the posts "
    "that mention it. /watch @replies watches a profile of that name.",
    "",
    "Publishing. Options before the text: replies:everyone|following|mentioned|followers|author "
    "(who may reply), link:URL (a link preview), long:chain|attachment (how text over 500 "
    "characters goes); ||text|| is a spoiler. Photos and videos: send them with /post as the "
    "caption (several make a carousel), or answer any message with /crosspost.",
]


def test_every_command_is_covered_here() -> None:
    # The tests of this directory drive each of these; a new command needs its tests.
    assert [spec.name for spec in ALL_COMMANDS] == [
        "start",
        "help",
        "watch",
        "unwatch",
        "list",
        "pause",
        "resume",
        "preview",
        "settings",
        "why",
        "post",
        "crosspost",
        "poll",
        "reply",
        "quote",
        "repost",
        "schedule",
        "queue",
        "cancel",
        "timezone",
        "delete",
        "profile",
        "status",
        "insights",
        "autopost",
    ]


@pytest.mark.parametrize("name", ["start", "help"])
async def test_start_and_help_list_every_command(
    telegram_chat: RecordingAdapter, name: str
) -> None:
    answer = await telegram_chat.send(GROUP, MEMBER, f"/{name}")
    assert answer.text.splitlines() == [INTRO, "", "Commands:", *HELP_LINES]
    assert answer.ok and not answer.private


async def test_command_names_are_matched_in_any_case(bridge: Bridge) -> None:
    command = Command("HeLp", "", MEMBER, GROUP)  # an adapter that did not lower-case it
    assert (await bridge.handle(command)).text.startswith(INTRO)


async def test_an_unknown_command_points_to_help(
    telegram_chat: RecordingAdapter, store: Store
) -> None:
    answer = await telegram_chat.send(GROUP, PUBLISHER, "/frobnicate now")
    assert answer.text == "Unknown command /frobnicate. Send /help for the list."
    assert not answer.ok and not answer.private
    assert store.audit.entries() == []


def test_which_commands_need_the_sender_s_role(bridge: Bridge) -> None:
    # Adapters look the role up (a getChatMember call on Telegram) only for these.
    needing = sorted(spec.name for spec in ALL_COMMANDS if bridge.needs_role(spec.name))
    assert needing == [
        "autopost",
        "pause",
        "preview",
        "resume",
        "settings",
        "timezone",
        "unwatch",
        "watch",
    ]
    assert bridge.needs_role("WATCH") and not bridge.needs_role("frobnicate")


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OWNER])
async def test_admins_and_owners_pass_the_admin_check(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, role: Role
) -> None:
    sim.add_profile("bob")
    answer = await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=role)
    assert answer.ok and answer.text.startswith("Now watching @bob")


async def test_a_refusal_is_known_before_any_io_and_audited_only_when_handled(
    bridge: Bridge, store: Store
) -> None:
    post = Command("post", "hello", MEMBER, GROUP)
    watch = Command("watch", "bob", MEMBER, GROUP)

    quick = bridge.refusal(post)
    assert store.audit.entries() == []  # refusal() only says; handle() records
    handled = await bridge.handle(post)

    assert quick == handled and quick is not None and quick.private
    assert bridge.refusal(watch) == await bridge.handle(watch)
    assert bridge.refusal(Command("post", "hi", PUBLISHER, GROUP)) is None
    assert bridge.refusal(Command("frobnicate", "", MEMBER, GROUP)) is None
    assert [(a["action"], a["result"]) for a in store.audit.entries()] == [("post", "refused")]


async def test_discord_words_its_refusals_and_telegram_keeps_the_default(
    telegram_chat: RecordingAdapter, discord_chat: RecordingAdapter, store: Store
) -> None:
    discord_admin = await discord_chat.send(CHANNEL, DISCORD_MEMBER, "/watch bob")
    discord_post = await discord_chat.send(CHANNEL, DISCORD_MEMBER, "/post let me in")
    telegram_admin = await telegram_chat.send(GROUP, MEMBER, "/watch bob")
    telegram_post = await telegram_chat.send(GROUP, MEMBER, "/post let me in")

    assert discord_admin.text == (
        "Only members with the Manage Server permission can change what is watched here."
    )
    assert discord_post.text == (
        "Only configured publishers can publish to Threads. Ask the bridge's operator to add "
        f"your user id ({DISCORD_MEMBER.id}) to discord.publishers (or one of your roles to "
        "discord.publisher_roles)."
    )
    assert telegram_admin.text == "Only chat admins can change what this chat watches."
    assert telegram_post.text.endswith(f"({MEMBER.id}) to telegram.publishers.")
    assert all(
        r.private and not r.ok
        for r in (discord_admin, discord_post, telegram_admin, telegram_post)
    )
    refused = [(a["platform"], a["user_id"]) for a in reversed(store.audit.entries())]
    assert refused == [("discord", DISCORD_MEMBER.id), ("telegram", MEMBER.id)]


async def test_a_discord_publisher_by_id_or_by_role(
    sim: ThreadsSimulator, discord_chat: RecordingAdapter, store: Store
) -> None:
    by_id = await discord_chat.send(CHANNEL, DISCORD_PUBLISHER, "/post from pat")
    by_role = await discord_chat.send(
        CHANNEL, DISCORD_MEMBER, "/post from an editor", roles=("9999", EDITORS_ROLE)
    )
    other_role = await discord_chat.send(CHANNEL, DISCORD_MEMBER, "/post no", roles=("9999",))

    assert by_id.ok and by_role.ok and not other_role.ok
    assert [p.text for p in sim.posts_by("alice")] == ["from an editor", "from pat"]
    # A Telegram user with the same id is not a Discord publisher, nor the other way round.
    crossed = Command("post", "x", DISCORD_PUBLISHER, GROUP)
    assert discord_chat.bridge.refusal(crossed) is not None


@pytest.mark.parametrize(
    ("method", "path", "failure", "typed", "expected"),
    [
        (
            "POST",
            "/*/threads",
            {"kind": "rate_limit"},
            "/post hello",
            "Threads is limiting how often we can do that right now. Try again later.",
        ),
        (
            "GET",
            "/profile_lookup",
            {"kind": "auth"},
            "/profile bob",
            "The bridge's Threads login has expired or was revoked. "
            "The operator needs to renew the access token.",
        ),
        (
            "GET",
            "/profile_lookup",
            {"kind": "server_error", "times": 3},  # every retry of a read
            "/watch bob",
            "Threads is having trouble right now. Try again in a minute.",
        ),
        (
            "GET",
            "/profile_lookup",
            {
                "kind": "custom",
                "status": 403,
                "body": {"error": {"message": "Application does not have permission", "code": 10}},
            },
            "/profile bob",
            "Threads refused: the app is missing a permission for this "
            "(Threads refused permission: Application does not have permission).",
        ),
        (
            "POST",
            "/*/threads_publish",
            {"kind": "server_error", "times": 2},  # the publish and its one retry
            "/post hello",
            "Threads did not confirm the post. It may have been published: check the profile "
            "before trying again.",
        ),
    ],
)
async def test_threads_failures_are_explained(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    method: str,
    path: str,
    failure: dict[str, object],
    typed: str,
    expected: str,
) -> None:
    sim.add_profile("bob")
    sim.fail_next(method, path, **failure)  # type: ignore[arg-type]

    answer = await telegram_chat.send(PRIVATE, PUBLISHER, typed, role=Role.OWNER)

    assert (answer.text, answer.ok, answer.private) == (expected, False, False)
    assert sim.posts_by("alice") == []


async def test_a_failed_media_container_is_explained(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.fail_next_container("FAILED_DOWNLOADING_VIDEO")
    answer = await telegram_chat.send(PRIVATE, PUBLISHER, "/post hello")
    assert answer.text == (
        "Meta could not download the video; is [media] public_url reachable from the internet?"
    )
    assert [(a["result"], a["error"]) for a in store.audit.entries()] == [
        ("error", answer.text.removesuffix("."))
    ]
    publication = store.publications.state(1)
    assert publication is not None and publication["state"] == "failed"


PUBLISHED = Published("18000000000000001", "c1", "https://www.threads.com/@alice/post/AbC")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (AuthError("token"), "The bridge's Threads login has expired or was revoked."),
        (PermissionDenied("no scope"), "Threads refused: the app is missing a permission"),
        (RateLimited("slow down"), "Threads is limiting how often we can do that"),
        (ContainerFailed("It failed", container_id="c", status="ERROR"), "It failed."),
        (PublishTimeout("Still processing", container_id="c"), "Still processing."),
        (PublishOutcomeUnknown("?", container_id="c"), "Threads did not confirm the post."),
        (NotReady("wait"), "Threads was not ready to publish. Try again in a minute."),
        (TransientError("5xx"), "Threads is having trouble right now."),
        (InvalidParameter("Bad value"), "Threads refused the request: Bad value"),
        (ThreadsError("Odd"), "Threads answered with an error: Odd"),
        (
            ChainIncomplete(
                "Published 1 of 2 parts, then: x",
                published=[PUBLISHED, Published("18000000000000002", "c2", None)],
                cause=RateLimited("x"),
            ),
            "Published 1 of 2 parts, then: x. Already published: "
            "https://www.threads.com/@alice/post/AbC, 18000000000000002",
        ),
    ],
)
def test_every_threads_error_has_its_words(error: ThreadsError, expected: str) -> None:
    assert explain(error).startswith(expected)


async def test_a_crash_answers_the_unexpected_reply_and_is_logged(
    telegram_chat: RecordingAdapter, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    store.close()  # the database went away under a running bridge

    with caplog.at_level(logging.ERROR, logger="bot.bridge"):
        answer = await telegram_chat.send(GROUP, MEMBER, "/list")

    assert (answer.text, answer.ok) == (UNEXPECTED, False)
    assert "closed database" not in answer.text  # the details are for the log only
    (record,) = caplog.records
    assert record.getMessage() == "/list crashed" and record.exc_info is not None


async def test_the_recording_adapter_sees_one_reply_per_command(
    telegram_chat: RecordingAdapter,
) -> None:
    await telegram_chat.send(GROUP, MEMBER, "/help")
    await telegram_chat.send(GROUP, MEMBER, "/WATCH   bob  ")
    (_, first), (second, refused) = telegram_chat.replies
    assert first.ok and (second.name, second.args, second.chat.platform) == (
        "watch",
        "bob",
        Platform.TELEGRAM,
    )
    assert refused.private


async def test_autocomplete_offers_what_these_chats_watch(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, discord_chat: RecordingAdapter
) -> None:
    other_channel = Destination(Platform.DISCORD, "4002")
    for name in ("carol", "bob"):
        sim.add_profile(name)
        await discord_chat.send(CHANNEL, DISCORD_MEMBER, f"/watch {name}", role=Role.ADMIN)
    await discord_chat.send(other_channel, DISCORD_MEMBER, "/watch me", role=Role.ADMIN)
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)
    bridge = discord_chat.bridge

    assert bridge.watched_usernames("discord", [CHANNEL.chat_id]) == ["bob", "carol"]
    both = [CHANNEL.chat_id, other_channel.chat_id]
    assert bridge.watched_usernames("discord", both) == ["alice", "bob", "carol"]
    assert bridge.watched_usernames("telegram", [CHANNEL.chat_id]) == []
    assert bridge.watched_usernames("discord", []) == []
