"""/settings through the real Bridge: shown, changed, refused in words, and what the filters
kept out with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.events import (
    Destination,
    FeedItem,
    FeedSettings,
    MediaKind,
    Platform,
    Post,
    Role,
    SourceKind,
)
from bot.fanout import fan_out
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import ADMIN, CHANNEL, GROUP, MEMBER, RecordingAdapter

CHANNEL_GROUP = Destination(Platform.TELEGRAM, "-1001000000009")
SHOWN_DEFAULTS = [
    "Settings for @bob here:",
    "• include: any post (no words required)",
    "• exclude: nothing",
    "• regex: none",
    "• replies: on · reposts: on · quotes: on · media_only: off",
    "• template: the default",
]


async def watching(chat: RecordingAdapter, where: Destination, sim: ThreadsSimulator) -> None:
    sim.add_profile("bob")
    answer = await chat.send(where, ADMIN, "/watch bob", role=Role.ADMIN)
    assert answer.ok


async def test_settings_shows_the_defaults_and_how_to_change_them(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    await watching(telegram_chat, GROUP, sim)
    answer = await telegram_chat.send(GROUP, ADMIN, "/settings bob", role=Role.ADMIN)
    assert answer.ok
    assert answer.text.splitlines() == [
        *SHOWN_DEFAULTS,
        "Change one with /settings bob KEY: VALUE (include, exclude, regex, replies, reposts, "
        "quotes, media_only, template), e.g. /settings bob exclude: spam, ads; "
        "/settings bob reset for none.",
    ]


async def test_each_setting_changes_and_reset_clears_them(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    await watching(telegram_chat, GROUP, sim)
    for change in (
        "exclude: spam, ads",
        'include: launch, "new feature"',
        r"regex: v\d+",
        "replies: off",
        "reposts off",
        "quotes: no",
        "media_only: on",
        "template: {text} — {author}",
    ):
        answer = await telegram_chat.send(
            GROUP, ADMIN, f"/settings @bob {change}", role=Role.ADMIN
        )
        assert answer.ok, answer.text
    (sub,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    assert sub.settings == FeedSettings(
        include=("launch", "new feature"),
        exclude=("spam", "ads"),
        regex=r"v\d+",
        replies=False,
        reposts=False,
        quotes=False,
        media_only=True,
        template="{text} — {author}",
    )
    assert answer.text.splitlines()[1:] == [
        "• include: launch, new feature",
        "• exclude: spam, ads",
        r"• regex: v\d+",
        "• replies: off · reposts: off · quotes: off · media_only: on",
        "• template: {text} — {author}",
    ]

    reset = await telegram_chat.send(GROUP, ADMIN, "/settings bob reset", role=Role.ADMIN)
    assert reset.text.splitlines() == SHOWN_DEFAULTS
    (sub,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    assert sub.settings == FeedSettings()


async def test_refusals_say_what_is_wrong(
    sim: ThreadsSimulator, discord_chat: RecordingAdapter, store: Store
) -> None:
    await watching(discord_chat, CHANNEL, sim)
    cases = {
        "template: {txt} by {author}": "Not changed: template: unknown placeholder {txt} in the "
        "template; use {author}, {username}, {text}, {link}, {time}, {topic}, {media_count}.",
        r"regex: (a)\1": "Not changed: regex: the regular expression (a)\\1 cannot be used "
        "(invalid escape sequence: \\1); backreferences and lookahead/lookbehind are not "
        "supported, so that every pattern runs in linear time.",
        "replies: maybe": "Not changed: replies: say on or off (not maybe).",
        "colour: red": "Not changed: there is no setting 'colour'; the settings are include, "
        "exclude, regex, replies, reposts, quotes, media_only, template.",
    }
    for change, words in cases.items():
        answer = await discord_chat.send(
            CHANNEL, ADMIN, f"/settings bob {change}", role=Role.ADMIN
        )
        assert (answer.text, answer.ok) == (words, False)
    (sub,) = store.subscriptions.for_chat("discord", CHANNEL.chat_id)
    assert sub.settings == FeedSettings()  # nothing changed

    member = await discord_chat.send(CHANNEL, MEMBER, "/settings bob replies: off")
    assert not member.ok and member.private
    unknown = await discord_chat.send(CHANNEL, ADMIN, "/settings carol", role=Role.ADMIN)
    assert (unknown.text, unknown.ok) == (
        "This chat does not watch carol; /list shows what it watches.",
        False,
    )
    usage = await discord_chat.send(CHANNEL, ADMIN, "/settings", role=Role.ADMIN)
    assert usage.text.startswith("Usage: /settings USERNAME [KEY: VALUE | reset]")


async def test_settings_lists_what_the_filters_kept_out_with_the_reason(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    await watching(telegram_chat, GROUP, sim)
    await telegram_chat.send(GROUP, ADMIN, "/settings bob exclude: spam", role=Role.ADMIN)
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    spam = Post(
        id="17",
        kind=MediaKind.TEXT,
        text="SPAM!",
        timestamp=datetime.now(UTC),
        permalink="https://www.threads.com/@bob/post/Sp4m",
    )
    store.feed.record(source, [FeedItem(spam)], None, baseline=False, fan_out=fan_out)

    answer = await telegram_chat.send(GROUP, ADMIN, "/settings bob", role=Role.ADMIN)

    (kept_out,) = [line for line in answer.text.splitlines() if "Sp4m" in line]
    assert kept_out.endswith(
        " UTC https://www.threads.com/@bob/post/Sp4m: contains the excluded word “spam”"
    )
    assert "Kept out lately:" in answer.text


async def test_a_feed_from_the_configuration_is_shown_but_changed_only_there(
    telegram_chat: RecordingAdapter, store: Store
) -> None:
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    sub, _ = store.subscriptions.add(source, GROUP, origin="config", created_by=None)
    store.settings.set(sub.id, FeedSettings(replies=False))

    shown = await telegram_chat.send(GROUP, ADMIN, "/settings bob", role=Role.ADMIN)
    assert "• replies: off · reposts: on · quotes: on · media_only: off" in shown.text
    assert "(set in the bridge's configuration file: the operator changes them there)" in (
        shown.text
    )
    changed = await telegram_chat.send(GROUP, ADMIN, "/settings bob replies: on", role=Role.ADMIN)
    assert not changed.ok and "configuration file" in changed.text


async def test_why_names_the_filter_that_kept_a_post_out(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    await watching(telegram_chat, GROUP, sim)
    await telegram_chat.send(GROUP, ADMIN, "/settings bob media_only: on", role=Role.ADMIN)
    source = store.sources.ensure(SourceKind.PROFILE, "bob")
    now = datetime.now(UTC)
    words = Post(id="18", kind=MediaKind.TEXT, text="no picture", timestamp=now, shortcode="W0rds")
    store.feed.record(source, [FeedItem(words)], None, baseline=False, fan_out=fan_out)

    kept_out = await telegram_chat.send(
        GROUP, MEMBER, "/why https://www.threads.com/@bob/post/W0rds"
    )
    assert kept_out.text == (
        "Kept out of @bob here: media only: the post has no image or video "
        "(/settings changes the filters)."
    )
    elsewhere = await telegram_chat.send(CHANNEL_GROUP, MEMBER, "/why 18")
    assert elsewhere.text == "No filter of this chat kept that post out."
    unseen = await telegram_chat.send(GROUP, MEMBER, "/why https://www.threads.com/@bob/post/Nope")
    assert (unseen.text, unseen.ok) == ("The bridge has not seen that post.", False)


async def test_a_search_watch_has_settings_too_and_a_new_watch_starts_unfiltered(
    telegram_chat: RecordingAdapter, store: Store
) -> None:
    await telegram_chat.send(GROUP, ADMIN, '/watch "bake sale"', role=Role.ADMIN)
    await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)
    words = await telegram_chat.send(
        GROUP, ADMIN, '/settings "bake sale" exclude: cookies', role=Role.ADMIN
    )
    tag = await telegram_chat.send(
        GROUP, ADMIN, "/settings #baking media_only: on", role=Role.ADMIN
    )
    assert words.text.splitlines()[:3] == [
        'Settings for "bake sale" here:',
        "• include: any post (no words required)",
        "• exclude: cookies",
    ]
    assert "media_only: on" in tag.text

    await telegram_chat.send(GROUP, ADMIN, "/unwatch #baking", role=Role.ADMIN)
    await telegram_chat.send(GROUP, ADMIN, "/watch #baking", role=Role.ADMIN)
    again = await telegram_chat.send(GROUP, ADMIN, "/settings #baking", role=Role.ADMIN)
    assert "• replies: on · reposts: on · quotes: on · media_only: off" in again.text


async def test_the_switches_under_settings_flip_one_setting_for_chat_admins(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    await watching(telegram_chat, GROUP, sim)
    shown = await telegram_chat.send(GROUP, ADMIN, "/settings bob", role=Role.ADMIN)
    assert [b.label for b in shown.buttons] == [
        "Replies: on",
        "Reposts: on",
        "Quotes: on",
        "Media only: off",
    ]
    quotes = shown.buttons[2]

    refused = await telegram_chat.send(GROUP, MEMBER, f"/{quotes.command} {quotes.args}")
    flipped = await telegram_chat.send(
        GROUP, ADMIN, f"/{quotes.command} {quotes.args}", role=Role.ADMIN
    )
    elsewhere = await telegram_chat.send(
        CHANNEL_GROUP, ADMIN, f"/{quotes.command} {quotes.args}", role=Role.ADMIN
    )

    assert (refused.ok, refused.private) == (False, True)
    assert (flipped.text, flipped.ok) == ("Quotes now off for @bob here.", True)
    assert not elsewhere.ok  # a button of another chat changes nothing
    (sub,) = store.subscriptions.for_chat("telegram", GROUP.chat_id)
    assert sub.settings == FeedSettings(quotes=False)
    again = await telegram_chat.send(GROUP, ADMIN, "/settings bob", role=Role.ADMIN)
    assert again.buttons[2].label == "Quotes: off"
