"""A delivered post's keyboard (link buttons, then the bridge's own), and what a click's
`MessageUpdate` makes of that message: the status line under the post ("🙈 Hidden on Threads
by Pat") put in or taken out, and the bridge's buttons swapped. Pure, like render.py."""

from __future__ import annotations

import re
from html import escape, unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from adapters.telegram.confirm import buttons_keyboard
from adapters.telegram.render import TelegramMessage, unmention
from bot.commands.moderation import STATUS_MARKS
from bot.events import MessageUpdate

_TAG = re.compile(r"<[^>]+>")


def delivery_keyboard(part: TelegramMessage) -> InlineKeyboardMarkup | None:
    """The link buttons in one row, the bridge's buttons in the next."""
    rows = [[InlineKeyboardButton(label, url=url) for label, url in part.buttons]]
    actions = buttons_keyboard(part.actions)
    if actions is not None:
        rows.extend([list(row) for row in actions.inline_keyboard])
    rows = [row for row in rows if row]
    return InlineKeyboardMarkup(rows) if rows else None


def updated_html(html: str, update: MessageUpdate) -> str:
    """The message's HTML without its old status line, with the new one (if any) at the end."""
    blocks = html.split("\n\n")
    if blocks and unescape(_TAG.sub("", blocks[-1])).startswith(STATUS_MARKS):
        blocks.pop()
    if update.status:
        blocks.append(f"<i>{escape(unmention(update.status))}</i>")
    return "\n\n".join(blocks)


def updated_keyboard(message: Message, update: MessageUpdate) -> InlineKeyboardMarkup | None:
    """The message's link buttons kept; the bridge's buttons replaced by the update's."""
    markup = message.reply_markup
    links = [
        [button for button in row if button.url]
        for row in (markup.inline_keyboard if markup else ())
    ]
    rows = [row for row in links if row]
    actions = buttons_keyboard(update.buttons)
    if actions is not None:
        rows.extend([list(row) for row in actions.inline_keyboard])
    return InlineKeyboardMarkup(rows) if rows else None
