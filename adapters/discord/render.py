"""Feed items -> Discord embeds, as pure functions.

One embed carries the author (name, avatar, profile link), the text, the first image, the time
and a link to the post; a carousel adds up to three more embeds with the same URL, which
Discord shows as one four-image gallery, and lists the rest as links. A video shows its
thumbnail and a link. Markdown in Threads text is escaped, so it shows as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import discord
from discord.utils import escape_markdown

from bot.commands.moderation import delivered_buttons, delivered_status
from bot.events import Button, FeedItem, Media, MediaKind
from bot.render import PostView, Relation, excerpt, view_of

GALLERY_SIZE = 4
THREADS_COLOUR = discord.Colour(0x101010)
TITLE_LIMIT = 100  # forum post titles
WEBHOOK_NAME_LIMIT = 80
_BANNED_IN_NAMES = re.compile(r"(?i)(?<=d)(?=iscord)|(?<=c)(?=lyde)")


@dataclass(frozen=True, slots=True)
class DiscordMessage:
    """What one delivery sends: embeds, plus what a webhook or a forum post also needs."""

    embeds: tuple[discord.Embed, ...]
    post_id: str
    permalink: str | None
    thread_name: str
    username: str
    avatar_url: str | None
    actions: tuple[Button, ...] = ()  # the bridge's buttons under it (a reply's Hide)
    status: str | None = None  # a line above the embed (a reply waiting for approval)


def render_item(item: FeedItem) -> DiscordMessage:
    view = view_of(item)
    images = [m for m in view.media if m.kind is MediaKind.IMAGE and m.url]
    videos = [m for m in view.media if m.kind is MediaKind.VIDEO and m.url]
    gallery = images[:GALLERY_SIZE]
    leftovers = images[GALLERY_SIZE:] + videos
    first = discord.Embed(
        description=_description(view, leftovers),
        url=view.permalink,
        colour=THREADS_COLOUR,
        timestamp=item.post.timestamp,
    )
    first.set_author(
        name=_author_line(view)[:256], url=view.author_url, icon_url=view.author_picture_url
    )
    first.set_footer(text="Threads")
    cover = gallery[0].url if gallery else (videos[0].thumbnail_url if videos else None)
    if cover:
        first.set_image(url=cover)
    extra = tuple(
        discord.Embed(url=view.permalink).set_image(url=image.url) for image in gallery[1:]
    )
    return DiscordMessage(
        embeds=(first, *extra),
        post_id=item.post.id,
        permalink=view.permalink,
        thread_name=thread_name(view),
        username=webhook_name(view.author_name),
        avatar_url=view.author_picture_url,
        actions=delivered_buttons(item),
        status=delivered_status(item),
    )


def thread_name(view: PostView) -> str:
    """A forum post's title: the first line of the text, or who posted."""
    first_line = next((line.strip() for line in view.text.splitlines() if line.strip()), "")
    title = first_line or f"New post by {view.author_name}"
    return excerpt(title, TITLE_LIMIT)


def webhook_name(name: str) -> str:
    """Discord refuses webhook names containing "discord" or "clyde": break the word up."""
    return (_BANNED_IN_NAMES.sub("\u200b", name) or "Threads")[:WEBHOOK_NAME_LIMIT]


def _author_line(view: PostView) -> str:
    if view.username and view.author_name != f"@{view.username}":
        return f"{view.author_name} (@{view.username})"
    return view.author_name


_ICONS = {Relation.REPLY: "↩️", Relation.QUOTE: "💬", Relation.REPOST: "🔁"}


def _description(view: PostView, leftovers: list[Media]) -> str:
    blocks = []
    if view.context:
        icon = _ICONS.get(view.relation, "")
        context = f"[{view.context}]({view.context_url})" if view.context_url else view.context
        if view.replied_text:
            context += f": “{escape_markdown(view.replied_text)}”"
        blocks.append(f"{icon} {context}".strip())
    if view.text:
        blocks.append(escape_markdown(view.text))
    if view.quoted_text:
        blocks.append("> " + escape_markdown(excerpt(view.quoted_text, 300)))
    if leftovers:
        links = [
            f"[{'▶️ Video' if m.kind is MediaKind.VIDEO else f'Image {n}'}]({m.url})"
            for n, m in enumerate(leftovers, start=GALLERY_SIZE + 1)
        ]
        blocks.append(" · ".join(links))
    return "\n\n".join(blocks)[:4096]
