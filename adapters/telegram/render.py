"""Feed items -> Telegram messages, as pure functions.

Everything that comes from Threads is HTML-escaped: a post saying `<b>@everyone</b>` shows
exactly that. An `@name` from Threads gets a WORD JOINER (U+2060, invisible) after its `@`:
Telegram links and notifies `@username` wherever it appears in plain text, and a post saying
"ping @someone" must not ping a Telegram user of that name. Lengths are counted in UTF-16
code units, as Telegram counts them (an emoji is two), against 4,096 for a message and 1,024
for a caption; a caption that does not fit continues in the messages that follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from html import escape, unescape
from typing import Literal

from bot.commands.moderation import REPLY_HINT, delivered_buttons, delivered_status
from bot.events import Button, FeedItem, Media, MediaKind
from bot.links import intent_links
from bot.render import (
    PostView,
    Relation,
    excerpt,
    ghost_line,
    poll_lines,
    topic_line,
    view_of,
    with_marks,
)

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
MEDIA_GROUP_MAX = 10
_TAG = re.compile(r"<[^>]+>")
# What Telegram would take for a mention: an @ not after a word character (that is an email
# address), before a username character, and not inside a URL (a permalink has /@name/).
_MENTION = re.compile(r"(?P<url>(?:https?://|www\.)\S+)|(?<!\w)@(?=[A-Za-z0-9_])", re.IGNORECASE)
WORD_JOINER = "\u2060"
# A spoiler's ends while the text is cut into messages (private-use: never shown).
OPEN, CLOSE = "\ue000", "\ue001"
_SPOILER_MARK = re.compile(f"([{OPEN}{CLOSE}])")


MessageKind = Literal["text", "photo", "video", "media_group"]
MediaRef = tuple[Literal["photo", "video"], str]


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """One Telegram call: a text message, a photo, a video, or a media group."""

    kind: MessageKind
    html: str = ""  # the text, or the caption (of the first item for a media group)
    media: tuple[MediaRef, ...] = field(default=())
    fallback_html: str = ""  # what to send instead when Telegram cannot fetch the media
    buttons: tuple[tuple[str, str], ...] = ()  # (label, url) link buttons under the message
    actions: tuple[Button, ...] = ()  # the bridge's buttons (a click runs their command)
    spoiler: bool = False  # the photos and videos sent hidden (has_spoiler)
    preview_url: str = ""  # the link Telegram previews under a text message (else none)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render_item(item: FeedItem) -> list[TelegramMessage]:
    """The messages for a post; the last one carries the Reply/Quote on Threads buttons, and
    on a reply the account moderates Reply (how to answer it with /reply) and Hide (a media
    group cannot carry any: an album-only post goes without)."""
    view = _unmentionable(_marked(view_of(item)))
    parts = _render(view)
    buttons = intent_links(view.permalink)
    actions = delivered_buttons(item)
    if actions and item.post.reply_approval_status != "pending":
        actions = (Button("Reply", REPLY_HINT, item.post.id), *actions)
    if parts and parts[-1].kind != "media_group" and (buttons or actions):
        parts[-1] = replace(parts[-1], buttons=buttons, actions=actions)
    status = delivered_status(item)
    if status and parts and parts[-1].kind != "media_group":
        parts[-1] = _with_status(parts[-1], status)
    return parts


def _with_status(part: TelegramMessage, status: str) -> TelegramMessage:
    """The part with a status line under it (where a click's update puts its own), when it
    still fits its message or caption."""
    html = _join(part.html, f"<i>{escape(status)}</i>")
    limit = MESSAGE_LIMIT if part.kind == "text" else CAPTION_LIMIT
    return replace(part, html=html) if utf16_length(_plain(html)) <= limit else part


def _marked(view: PostView) -> PostView:
    """The view with its spoilers marked in the text, before anything shifts the offsets."""
    text = view.text.replace(OPEN, "").replace(CLOSE, "")
    return replace(view, text=with_marks(text, view.spoilers, OPEN, CLOSE))


def _spoiler_html(text: str, inside: bool = False) -> tuple[str, bool]:
    """`text` escaped, its marked spoilers as <tg-spoiler>; whether one is still open at its
    end (the next message opens it again)."""
    out = ["<tg-spoiler>"] if inside else []
    for chunk in _SPOILER_MARK.split(text):
        if chunk in (OPEN, CLOSE):
            if inside != (chunk == OPEN):
                out.append("<tg-spoiler>" if chunk == OPEN else "</tg-spoiler>")
                inside = chunk == OPEN
        else:
            out.append(escape(chunk))
    if inside:
        out.append("</tg-spoiler>")
    return "".join(out).replace("<tg-spoiler></tg-spoiler>", ""), inside


def _render(view: PostView) -> list[TelegramMessage]:
    header, footer = _header(view), _footer(view)
    media = [m for m in view.media if m.url and m.kind in (MediaKind.IMAGE, MediaKind.VIDEO)]
    text = "\n\n".join(block for block in (view.text, view.body) if block)
    if not media:
        parts = _text_messages(header, text, footer)
        if view.body and len(parts) == 1:
            # A text attachment that fits: folded under the text, as Threads shows it.
            folded = f"<blockquote expandable>{escape(view.body)}</blockquote>"
            html = _join(header, _spoiler_html(view.text)[0], folded, footer)
            if utf16_length(_plain(html)) <= MESSAGE_LIMIT:
                parts = [TelegramMessage("text", html)]
        preview = view.link_url or view.gif_url
        if preview and parts:
            parts[-1] = replace(parts[-1], preview_url=preview)
        return parts
    first, rest = _cut(text, _room(CAPTION_LIMIT, header, footer))
    if rest:  # the caption cannot hold it all: the text and the link continue below
        first, rest = _cut(text, _room(CAPTION_LIMIT, header))
        html, inside = _spoiler_html(first)
        caption, tail = _join(header, html), _text_messages("", rest, footer, inside)
    else:
        caption, tail = _join(header, _spoiler_html(first)[0], footer), []
    links = "\n".join(
        f'<a href="{escape(m.url or "", quote=True)}">{_label(m)}</a>' for m in media
    )
    if view.spoiler_media:
        links = f"<tg-spoiler>{links}</tg-spoiler>"
    messages = _media_messages(media, caption, _join(caption, links))
    if view.spoiler_media:
        messages = [replace(m, spoiler=True) for m in messages]
    return [*messages, *tail]


def unmention(text: str) -> str:
    """`text` reading the same, with no `@username` that Telegram would turn into a mention."""
    return _MENTION.sub(lambda m: m.group("url") or "@" + WORD_JOINER, text)


def _unmentionable(view: PostView) -> PostView:
    """The view with every text that came from Threads and shows as plain text defused (the
    author's @username is inside a link, which Telegram never takes for a mention)."""
    return replace(
        view,
        author_name=unmention(view.author_name),
        context=unmention(view.context) if view.context else view.context,
        text=unmention(view.text),
        body=unmention(view.body) if view.body else view.body,
        quoted_text=unmention(view.quoted_text) if view.quoted_text else view.quoted_text,
        replied_text=unmention(view.replied_text) if view.replied_text else view.replied_text,
    )


def render_notice(text: str) -> list[TelegramMessage]:
    """A command's answer or a notice. These quote Threads too (a profile's biography, the
    names watched), so their @names are defused like a post's."""
    return _text_messages("", unmention(text), "")


def _media_messages(media: list[Media], caption: str, fallback: str) -> list[TelegramMessage]:
    messages: list[TelegramMessage] = []
    for start in range(0, len(media), MEDIA_GROUP_MAX):
        items = tuple(_ref(m) for m in media[start : start + MEDIA_GROUP_MAX])
        html, backup = (caption, fallback) if start == 0 else ("", "")
        # A media group takes 2-10 items: a lone one (a single-image post, or the 21st of a
        # carousel) is sent as a plain photo or video.
        kind: MessageKind = items[0][0] if len(items) == 1 else "media_group"
        messages.append(TelegramMessage(kind, html, items, backup))
    return messages


def _ref(media: Media) -> MediaRef:
    return ("video" if media.kind is MediaKind.VIDEO else "photo", media.url or "")


def _text_messages(
    header: str, text: str, footer: str, inside: bool = False
) -> list[TelegramMessage]:
    messages: list[TelegramMessage] = []
    remaining = text
    while True:
        lead = "" if messages else header
        piece, remaining = _cut(remaining, _room(MESSAGE_LIMIT, lead, footer))
        body, inside = _spoiler_html(piece, inside)
        html = _join(lead, body, "" if remaining else footer)
        if html:
            messages.append(TelegramMessage("text", html))
        if not remaining:
            return messages


def _room(limit: int, *blocks: str) -> int:
    """What is left of `limit` for the body once `blocks` and the blank lines between are in."""
    used = sum(utf16_length(_plain(block)) + 2 for block in blocks if block)
    return max(limit - used, 1)


_ICONS = {Relation.REPLY: "↩️", Relation.QUOTE: "💬", Relation.REPOST: "🔁"}


def _header(view: PostView) -> str:
    name = f"<b>{escape(view.author_name)}</b>"
    if view.username and view.author_url:
        link = f'<a href="{escape(view.author_url, quote=True)}">@{escape(view.username)}</a>'
        # No display name known (a search result by a stranger, a reply's or a mention's
        # author): the @username once, linked.
        nameless = view.author_name.replace(WORD_JOINER, "") == f"@{view.username}"
        name = f"<b>{link}</b>" if nameless else f"{name} ({link})"
    lines = [name]
    if view.topic_tag:
        lines.append(escape(topic_line(view.topic_tag)))
    if view.ghost_expires_at:
        lines.append(f"<i>{escape(ghost_line(view.ghost_expires_at))}</i>")
    if view.context:
        icon = _ICONS.get(view.relation, "•")
        context = escape(view.context)
        if view.context_url:
            context = f'<a href="{escape(view.context_url, quote=True)}">{context}</a>'
        if view.replied_text:
            context += f": “{escape(view.replied_text)}”"
        lines.append(f"{icon} {context}")
    if view.quoted_text:
        lines.append(f"<blockquote>{escape(excerpt(view.quoted_text, 300))}</blockquote>")
    return "\n".join(lines)


def _footer(view: PostView) -> str:
    """What follows the text: a poll, the attachments as links, and the post's own link."""
    blocks = []
    if view.poll:
        blocks.append(escape("\n".join(poll_lines(view.poll))))
    links = [
        f'{_ICON.get(m.kind, "📎")} <a href="{escape(m.url or "", quote=True)}">{_label(m)}</a>'
        for m in view.other_media
    ]
    if view.gif_url:
        links.append(f'🎞️ <a href="{escape(view.gif_url, quote=True)}">GIF</a>')
    if view.link_url:
        links.append(
            f'🔗 <a href="{escape(view.link_url, quote=True)}">{escape(view.link_url)}</a>'
        )
    if links:
        blocks.append("\n".join(links))
    if view.permalink:
        blocks.append(f'<a href="{escape(view.permalink, quote=True)}">Open on Threads</a>')
    return _join(*blocks)


_ICON = {MediaKind.AUDIO: "🎵"}


def _label(media: Media) -> str:
    labels = {MediaKind.VIDEO: "Video", MediaKind.IMAGE: "Image", MediaKind.AUDIO: "Audio"}
    return labels.get(media.kind, "Media")


def _join(*blocks: str) -> str:
    return "\n\n".join(block for block in blocks if block)


def _plain(html: str) -> str:
    """The visible text of our own HTML (only tags we wrote; entities count as one)."""
    return unescape(_TAG.sub("", html))


def _cut(text: str, room: int) -> tuple[str, str]:
    """The longest head of `text` within `room` UTF-16 units, ended at a line or word break
    when one is in its second half; and the rest."""
    if utf16_length(text) <= room:
        return text, ""
    head = text[:room]  # code points >= UTF-16 units, so this may still be too long
    while utf16_length(head) > room:
        head = head[:-1]
    for separator in ("\n", " "):
        at = head.rfind(separator)
        if at > len(head) // 2:
            head = head[:at]
            break
    return head.rstrip(), text[len(head) :].lstrip()
