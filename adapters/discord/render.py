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
from bot.render import (
    PostView,
    Relation,
    excerpt,
    poll_lines,
    topic_line,
    view_of,
    with_marks,
)

GALLERY_SIZE = 4
DESCRIPTION_LIMIT = 4096
# A spoiler's ends until the text is escaped (private-use: never shown).
OPEN, CLOSE = "\ue000", "\ue001"
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
    # A message that continues the one before (a long text attachment): no buttons, and in
    # a forum, posted in the thread the first one opened.
    continues: bool = False


def render_items(item: FeedItem) -> list[DiscordMessage]:
    """The post's message, and the messages that continue a text that one embed cannot hold
    (a text attachment of up to 10,000 characters)."""
    first = render_item(item)
    pieces = _pieces(_full_description(view_of(item)), DESCRIPTION_LIMIT)
    if len(pieces) < 2:
        return [first]
    first.embeds[0].description = pieces[0]
    return [first] + [
        DiscordMessage(
            embeds=(discord.Embed(description=piece, url=first.permalink, colour=THREADS_COLOUR),),
            post_id=first.post_id,
            permalink=first.permalink,
            thread_name=first.thread_name,
            username=first.username,
            avatar_url=first.avatar_url,
            continues=True,
        )
        for piece in pieces[1:]
    ]


def render_item(item: FeedItem) -> DiscordMessage:
    view = view_of(item)
    images = [m for m in view.media if m.kind is MediaKind.IMAGE and m.url]
    videos = [m for m in view.media if m.kind is MediaKind.VIDEO and m.url]
    if view.spoiler_media:
        # An embed's image cannot be hidden behind a spoiler: the media go as spoiler links.
        images, videos = [], []
    gallery = images[:GALLERY_SIZE]
    leftovers = images[GALLERY_SIZE:] + videos
    first = discord.Embed(
        description=_full_description(view, leftovers)[:DESCRIPTION_LIMIT],
        url=view.permalink,
        colour=THREADS_COLOUR,
        timestamp=item.post.timestamp,
    )
    first.set_author(
        name=_author_line(view)[:256], url=view.author_url, icon_url=view.author_picture_url
    )
    first.set_footer(text="Threads")
    cover = gallery[0].url if gallery else (videos[0].thumbnail_url if videos else None)
    cover = cover or view.gif_url  # Discord animates a GIF in an embed
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
    """A forum post's title: the first line of the text (a spoiler in it left hidden: a title
    cannot hide it), or who posted."""
    text = with_marks(view.text, view.spoilers, OPEN, CLOSE)
    text = re.sub(f"{OPEN}.*?{CLOSE}", "(spoiler)", text, flags=re.DOTALL)
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
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
    return _full_description(view, leftovers)[:DESCRIPTION_LIMIT]


def _full_description(view: PostView, leftovers: list[Media] | None = None) -> str:
    """Everything the embed says, however long: the context, the tag line and a ghost post's
    mark, the text (spoilers as ||this||) and its attachment, the quote, a poll, the links."""
    if leftovers is None:
        images = [m for m in view.media if m.kind is MediaKind.IMAGE and m.url]
        videos = [m for m in view.media if m.kind is MediaKind.VIDEO and m.url]
        leftovers = [] if view.spoiler_media else images[GALLERY_SIZE:] + videos
    blocks = []
    lines = []
    if view.topic_tag:
        lines.append(escape_markdown(topic_line(view.topic_tag)))
    if view.ghost_expires_at:
        # Discord shows <t:...> in each reader's own time zone, and counts down.
        when = int(view.ghost_expires_at.timestamp())
        lines.append(f"👻 Ghost post: disappears <t:{when}:R> (<t:{when}:f>)")
    if lines:
        blocks.append("\n".join(lines))
    if view.context:
        icon = _ICONS.get(view.relation, "")
        context = f"[{view.context}]({view.context_url})" if view.context_url else view.context
        if view.replied_text:
            context += f": “{escape_markdown(view.replied_text)}”"
        blocks.append(f"{icon} {context}".strip())
    if view.text:
        blocks.append(_spoilered(view))
    if view.body:
        blocks.append(escape_markdown(view.body))
    if view.quoted_text:
        blocks.append("> " + escape_markdown(excerpt(view.quoted_text, 300)))
    if view.poll:
        blocks.append(escape_markdown("\n".join(poll_lines(view.poll))))
    if leftovers:
        links = [
            f"[{'▶️ Video' if m.kind is MediaKind.VIDEO else f'Image {n}'}]({m.url})"
            for n, m in enumerate(leftovers, start=GALLERY_SIZE + 1)
        ]
        blocks.append(" · ".join(links))
    blocks.extend(_attachment_lines(view))
    return "\n\n".join(blocks)


def _spoilered(view: PostView) -> str:
    text = view.text.replace(OPEN, "").replace(CLOSE, "")
    marked = escape_markdown(with_marks(text, view.spoilers, OPEN, CLOSE))
    return marked.replace(OPEN, "||").replace(CLOSE, "||")


def _attachment_lines(view: PostView) -> list[str]:
    lines = []
    if view.spoiler_media:
        hidden = [m for m in view.media if m.kind in (MediaKind.IMAGE, MediaKind.VIDEO) and m.url]
        if hidden:
            links = " · ".join(
                f"||[{'▶️ Video' if m.kind is MediaKind.VIDEO else f'Image {n}'}]({m.url})||"
                for n, m in enumerate(hidden, start=1)
            )
            lines.append(f"🙈 Spoiler: {links}")
    for media in view.other_media:
        label = "🎵 Audio" if media.kind is MediaKind.AUDIO else "📎 Media"
        lines.append(f"[{label}]({media.url})")
    if view.gif_url and view.media:
        lines.append(f"[🎞️ GIF]({view.gif_url})")
    if view.link_url:
        lines.append(f"🔗 {view.link_url}")
    return lines


def _pieces(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at a line or word break when one is
    in a piece's second half."""
    pieces = []
    while len(text) > limit:
        head = text[:limit]
        for separator in ("\n", " "):
            at = head.rfind(separator)
            if at > limit // 2:
                head = head[:at]
                break
        pieces.append(head.rstrip())
        text = text[len(head) :].lstrip()
    return [*pieces, text] if text else pieces
