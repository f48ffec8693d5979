"""The `/threads` slash command group: typed options, descriptions, autocomplete.

Discord sets default member permissions per top-level command only (subcommands cannot have
their own), and `/threads post`, `list` and `profile` are for everyone, so Manage Server for
`watch` and `unwatch` is enforced when they run (see translate.py and the Bridge).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

Run = Callable[[discord.Interaction, str, str], Awaitable[None]]
Suggest = Callable[[discord.Interaction, str], list[app_commands.Choice[str]]]


def build_threads_group(run: Run, suggest: Suggest) -> app_commands.Group:
    group = app_commands.Group(
        name="threads", description="Threads bridge: watch profiles here, publish to Threads"
    )

    @group.command(name="watch", description="Post a Threads profile's new posts in this channel")
    @app_commands.describe(username="Threads username, e.g. zuck (Manage Server needed)")
    async def watch(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "watch", username)

    @group.command(name="unwatch", description="Stop posting a profile's posts in this channel")
    @app_commands.describe(username="A username watched here (Manage Server needed)")
    async def unwatch(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "unwatch", username)

    @group.command(name="list", description="The Threads profiles this channel watches")
    async def list_(interaction: discord.Interaction) -> None:
        await run(interaction, "list", "")

    @group.command(name="post", description="Publish to Threads (publishers only)")
    @app_commands.describe(text="What to post; long text becomes a reply chain")
    async def post(interaction: discord.Interaction, text: str) -> None:
        await run(interaction, "post", text)

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

    @group.command(name="profile", description="A Threads profile's card")
    @app_commands.describe(username="Threads username")
    async def profile(interaction: discord.Interaction, username: str) -> None:
        await run(interaction, "profile", username)

    @group.command(name="status", description="What the bridge watches, its queue and quota")
    async def status(interaction: discord.Interaction) -> None:
        await run(interaction, "status", "")

    async def usernames(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return suggest(interaction, current)

    watch.autocomplete("username")(usernames)
    unwatch.autocomplete("username")(usernames)
    profile.autocomplete("username")(usernames)
    return group
