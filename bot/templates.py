"""A subscription's message template: how a delivered post's text reads.

The template shapes the text block of a delivery; who posted, what it replies to or quotes,
its media and its link buttons stay as each platform draws them. Placeholders are str.format
names: {author} {username} {text} {link} {time} {topic} {media_count}. Without a template
every platform renders exactly as it always has (its default is `{text}`).
"""

from __future__ import annotations

from dataclasses import replace
from string import Formatter

from bot.events import FeedItem, Platform
from bot.render import view_of

PLACEHOLDERS = ("author", "username", "text", "link", "time", "topic", "media_count")
# What each platform renders when a subscription has no template: the post's text as it is.
DEFAULT_TEMPLATES = {platform: "{text}" for platform in Platform}
MAX_TEMPLATE = 1000  # characters


class TemplateError(ValueError):
    """A template that cannot be used, in words naming what is wrong."""


def check_template(template: str) -> None:
    """Refuse a template with an unknown placeholder (named), `{}` or `{0}`, attribute or
    index access, or unmatched braces."""
    if len(template) > MAX_TEMPLATE:
        raise TemplateError(f"the template is longer than {MAX_TEMPLATE} characters")
    try:
        fields = list(Formatter().parse(template))
    except ValueError as exc:
        raise TemplateError(f"the template cannot be read ({exc}); write {{{{ for a {{") from None
    known = ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in PLACEHOLDERS:
            shown = f"{{{name}}}" if name else "{}"
            raise TemplateError(f"unknown placeholder {shown} in the template; use {known}")
        if conversion or (spec and "{" in spec):
            raise TemplateError(f"the placeholder {{{name}}} takes no conversion or nesting")
    try:
        template.format(**dict.fromkeys(PLACEHOLDERS, ""))
    except ValueError as exc:
        raise TemplateError(f"the template cannot be used: {exc}") from None


def template_values(item: FeedItem) -> dict[str, str]:
    view = view_of(item)
    post = item.post
    stamp = post.timestamp
    return {
        "author": view.author_name,
        "username": f"@{view.username}" if view.username else "",
        "text": view.text,
        "link": view.permalink or "",
        "time": stamp.strftime("%Y-%m-%d %H:%M UTC") if stamp else "",
        "topic": f"#{post.topic_tag}" if post.topic_tag else "",
        "media_count": str(len(view.media)),
    }


def apply_template(item: FeedItem, template: str | None) -> FeedItem:
    """The item with its text as the template words it (unchanged without one). A repost's
    text is the reposted post's, so that is where the worded text goes."""
    if template is None or template == "{text}":
        return item
    try:
        text = template.format(**template_values(item))
    except (ValueError, KeyError, IndexError):
        return item  # a stored template that no longer reads: the post as it is
    if item.post.is_repost and item.related is not None:
        return replace(item, related=replace(item.related, text=text))
    return replace(item, post=replace(item.post, text=text))
