"""The `/threads` slash command group (typed options, descriptions, autocomplete) and the
"Cross-post to Threads" message context menu.

Discord sets default member permissions per top-level command only (subcommands cannot have
their own), and `/threads post`, `list` and `profile` are for everyone, so Manage Server for
`watch`, `unwatch`, `pause`, `resume`, `preview` and `timezone` is enforced when they run (see
translate.py and the Bridge); so is being a publisher, for the context menu too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol

import discord
from discord import app_commands

CROSSPOST_MENU = "Cross-post to Threads"
MEDIA_OPTIONS = 10  # a Discord message holds at most 10 files
SCHEDULE_MEDIA = 4  # /threads schedule: fewer options keep the command short to fill in


class Run(Protocol):
    """Runs a command for an interaction; `attachments`: files given with it, in order."""

    def __call__(
        self,
        interaction: discord.Interaction,
        name: str,
        args: str,
        /,
        *,
        attachments: Sequence[discord.Attachment] = (),
    ) -> Awaitable[None]: ...


Suggest = Callable[[discord.Interaction, str], list[app_commands.Choice[str]]]
CrossPost = Callable[[discord.Interaction, discord.Message], Awaitable[None]]

REPLY_CHOICES = [
    app_commands.Choice(name="Everyone", value="everyone"),
    app_commands.Choice(name="Profiles the account follows", value="following"),
    app_commands.Choice(name="Profiles mentioned in the post", value="mentioned"),
    app_commands.Choice(name="The account's followers", value="followers"),
    app_commands.Choice(name="Only the author of the post", value="author"),
]
LONG_TEXT_CHOICES = [
    app_commands.Choice(name="A chain of replies", value="chain"),
    app_commands.Choice(name="A text attachment (up to 10,000 characters)", value="attachment"),
]
AUTOPOST_CHOICES = [
    app_commands.Choice(name="Status", value="status"),
    app_commands.Choice(name="On", value="on"),
    app_commands.Choice(name="Off", value="off"),
]
PERIOD_CHOICES = [
    app_commands.Choice(name="Today", value="day"),
    app_commands.Choice(name="Last 7 days", value="week"),
    app_commands.Choice(name="Last 30 days", value="month"),
]
MEDIA_HELP = "A photo or video (JPEG, PNG, MP4, MOV); several become a carousel"


def post_text(
    text: str,
    *,
    replies: str | None = None,
    link: str | None = None,
    long_text: str | None = None,
) -> str:
    """The `/post` arguments the core reads: the post options given, as leading
    `replies:X link:Y long:Z` tokens, then the text."""
    tokens = [
        f"{key}:{value.strip()}"
        for key, value in (("replies", replies), ("link", link), ("long", long_text))
        if value is not None and value.strip()
    ]
    return " ".join([*tokens, text.strip()]).strip()


def build_crosspost_menu(crosspost: CrossPost) -> app_commands.ContextMenu:
    """Apps > "Cross-post to Threads" on any message: that message (text, photos, videos)
    published to Threads, by a publisher."""

    async def cross_post(interaction: discord.Interaction, message: discord.Message) -> None:
        await crosspost(interaction, message)

    return app_commands.ContextMenu(name=CROSSPOST_MENU, callback=cross_post)


def build_threads_group(run: Run, suggest: Suggest) -> app_commands.Group:
    group = app_commands.Group(
        name="threads", description="Threads bridge: watch profiles here, publish to Threads"
    )

    @group.command(
        name="watch",
        description="Post a Threads profile's (or a search's) new posts in this channel",
    )
    @app_commands.describe(
        username='A username (zuck), "some words", #tag, replies or mentions (Manage Server)'
    )
    async def watch(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "watch", username)

    @group.command(
        name="unwatch",
        description="Stop posting a profile's (or a search's) posts in this channel",
    )
    @app_commands.describe(
        username='A username, "words" or #tag watched here (Manage Server needed)'
    )
    async def unwatch(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "unwatch", username)

    @group.command(name="list", description="The Threads profiles this channel watches")
    async def list_(interaction: discord.Interaction) -> None:
        await run(interaction, "list", "")

    @group.command(name="pause", description="Hold a watched profile's posts in this channel")
    @app_commands.describe(username="A username watched here (Manage Server needed)")
    async def pause(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "pause", username)

    @group.command(name="resume", description="Receive a paused profile again, without a flood")
    @app_commands.describe(
        username="A username paused here (Manage Server needed)",
        last="Also deliver the last 1-5 posts of the pause (default: skip them)",
    )
    async def resume(
        interaction: discord.Interaction,
        username: str,
        last: app_commands.Range[int, 1, 5] | None = None,
    ) -> None:
        await run(interaction, "resume", f"{username} {last}" if last else username)

    @group.command(
        name="preview", description="A profile's latest post, as this channel would receive it"
    )
    @app_commands.describe(username="A username, e.g. zuck (Manage Server needed)")
    async def preview(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "preview", username)

    @group.command(
        name="settings", description="A watched profile's filters and message template here"
    )
    @app_commands.describe(
        username="A username watched in this channel (or replies, mentions)",
        change="e.g. exclude: spam, ads · replies: off · template: {text} · reset (Manage Server)",
    )
    async def settings(
        interaction: discord.Interaction, username: str, change: str | None = None
    ) -> None:
        await run(interaction, "settings", f"{username} {change or ''}".strip())

    @group.command(name="why", description="Why a post did not arrive here")
    @app_commands.describe(link="The post's link on Threads")
    async def why(interaction: discord.Interaction, link: str) -> None:
        await run(interaction, "why", link)

    @group.command(name="post", description="Publish to Threads (publishers only)")
    @app_commands.describe(
        text="What to post (optional when media is attached)",
        **{f"media{n}": MEDIA_HELP for n in range(1, MEDIA_OPTIONS + 1)},
        replies="Who may reply (default: everyone)",
        link="A link to attach to the post (shown as a preview card)",
        long_text="Text over 500 characters: a reply chain (default) or a text attachment",
    )
    @app_commands.choices(replies=REPLY_CHOICES, long_text=LONG_TEXT_CHOICES)
    async def post(
        interaction: discord.Interaction,
        text: str | None = None,
        media1: discord.Attachment | None = None,
        media2: discord.Attachment | None = None,
        media3: discord.Attachment | None = None,
        media4: discord.Attachment | None = None,
        media5: discord.Attachment | None = None,
        media6: discord.Attachment | None = None,
        media7: discord.Attachment | None = None,
        media8: discord.Attachment | None = None,
        media9: discord.Attachment | None = None,
        media10: discord.Attachment | None = None,
        replies: app_commands.Choice[str] | None = None,
        link: str | None = None,
        long_text: app_commands.Choice[str] | None = None,
    ) -> None:
        given = (media1, media2, media3, media4, media5, media6, media7, media8, media9, media10)
        args = post_text(
            text or "",
            replies=replies.value if replies else None,
            link=link,
            long_text=long_text.value if long_text else None,
        )
        media = [m for m in given if m is not None]
        await run(interaction, "post", args, attachments=media)

    @group.command(name="poll", description="Publish a question with a poll (publishers only)")
    @app_commands.describe(
        question="What to ask",
        answer_a="First answer (up to 25 characters)",
        answer_b="Second answer",
        answer_c="Third answer (optional)",
        answer_d="Fourth answer (optional)",
    )
    async def poll(
        interaction: discord.Interaction,
        question: str,
        answer_a: str,
        answer_b: str,
        answer_c: str | None = None,
        answer_d: str | None = None,
    ) -> None:
        answers = [a for a in (answer_a, answer_b, answer_c, answer_d) if a]
        await run(interaction, "poll", " | ".join([question, *answers]))

    @group.command(name="reply", description="Reply to a Threads post (publishers only)")
    @app_commands.describe(link="The post's link (threads.com/@user/post/...)", text="Your reply")
    async def reply(interaction: discord.Interaction, link: str, text: str) -> None:
        await run(interaction, "reply", f"{link} {text}")

    @group.command(name="quote", description="Quote a Threads post (publishers only)")
    @app_commands.describe(link="The post's link (threads.com/@user/post/...)", text="Your words")
    async def quote(interaction: discord.Interaction, link: str, text: str) -> None:
        await run(interaction, "quote", f"{link} {text}")

    @group.command(name="repost", description="Repost a Threads post (publishers only)")
    @app_commands.describe(link="The post's link (threads.com/@user/post/...)")
    async def repost(interaction: discord.Interaction, link: str) -> None:
        await run(interaction, "repost", link)

    @group.command(name="delete", description="Delete a post of the bridge's account (asks first)")
    @app_commands.describe(link="The post's link (threads.com/@user/post/...); publishers only")
    async def delete(interaction: discord.Interaction, link: str) -> None:
        await run(interaction, "delete", link)

    @group.command(name="schedule", description="Publish to Threads later (publishers only)")
    @app_commands.describe(
        when="When: 2026-12-24 09:00, tomorrow 9:00, in 2h (this channel's time zone)",
        text="What to post (optional when media is attached)",
        **{f"media{n}": MEDIA_HELP for n in range(1, SCHEDULE_MEDIA + 1)},
    )
    async def schedule(
        interaction: discord.Interaction,
        when: str,
        text: str | None = None,
        media1: discord.Attachment | None = None,
        media2: discord.Attachment | None = None,
        media3: discord.Attachment | None = None,
        media4: discord.Attachment | None = None,
    ) -> None:
        media = [m for m in (media1, media2, media3, media4) if m is not None]
        # The bar keeps WHEN and TEXT apart, whatever words the text starts with.
        await run(interaction, "schedule", f"{when} | {text or ''}", attachments=media)

    @group.command(name="queue", description="Posts from this channel waiting to be published")
    async def queue(interaction: discord.Interaction) -> None:
        await run(interaction, "queue", "")

    @group.command(name="cancel", description="Cancel a waiting post (publishers only)")
    @app_commands.describe(id="The post's number in /threads queue")
    async def cancel(interaction: discord.Interaction, id: int) -> None:
        await run(interaction, "cancel", str(id))

    @group.command(name="timezone", description="This channel's time zone for /threads schedule")
    @app_commands.describe(zone="An IANA zone, e.g. Europe/Berlin, or default (Manage Server)")
    async def timezone(interaction: discord.Interaction, zone: str | None = None) -> None:
        await run(interaction, "timezone", zone or "")

    @group.command(name="profile", description="A Threads profile's card")
    @app_commands.describe(username="Threads username")
    async def profile(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "profile", username)

    @group.command(name="status", description="What the bridge watches, its queue and quota")
    async def status(interaction: discord.Interaction) -> None:
        await run(interaction, "status", "")

    @group.command(name="insights", description="The account's numbers, or a post's")
    @app_commands.describe(
        period="Today, the last 7 days (default) or the last 30 days, with a chart of views",
        link="A post of the account: its views, likes, replies, reposts, quotes and shares",
    )
    @app_commands.choices(period=PERIOD_CHOICES)
    async def insights(
        interaction: discord.Interaction,
        period: app_commands.Choice[str] | None = None,
        link: str | None = None,
    ) -> None:
        # A link asks about that post; the period is for the account's numbers.
        await run(
            interaction, "insights", (link or "").strip() or (period.value if period else "")
        )

    @group.command(name="autopost", description="Cross-posting of this channel to Threads")
    @app_commands.describe(action="on or off (Manage Server and publishers), or status")
    @app_commands.choices(action=AUTOPOST_CHOICES)
    async def autopost(
        interaction: discord.Interaction, action: app_commands.Choice[str] | None = None
    ) -> None:
        await run(interaction, "autopost", action.value if action else "status")

    async def usernames(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return suggest(interaction, current)

    watch.autocomplete("username")(usernames)
    unwatch.autocomplete("username")(usernames)
    settings.autocomplete("username")(usernames)
    profile.autocomplete("username")(usernames)
    pause.autocomplete("username")(usernames)
    resume.autocomplete("username")(usernames)
    preview.autocomplete("username")(usernames)
    return group
