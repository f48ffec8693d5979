"""Buttons on Telegram: a confirmation under an answer (callback_data = the action id) and a
notice's buttons (callback_data = `command:args`, a review's `approve:12`); a click (a
CallbackQuery) read as the bridge's CONFIRM command or as the button's command. Pure, like
translate.py."""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.confirm import ACTION_ID, CONFIRM
from bot.events import Button, ChatUser, Command, Confirm, Destination, Platform, Role

# A notice's button: its command and args, well inside callback_data's 64 bytes. An action
# id has no colon, so the two never overlap.
BUTTON_DATA = re.compile(r"(?P<command>[a-z]{1,20}):(?P<args>[A-Za-z0-9_-]{1,40})")
# What a CallbackQueryHandler takes: only the bridge's action ids and buttons are its clicks.
CLICK_PATTERN = f"^(?:{ACTION_ID.pattern}|{BUTTON_DATA.pattern})$"


def confirm_keyboard(confirm: Confirm | None) -> InlineKeyboardMarkup | None:
    """The answer's button: its callback_data is the action id (22 bytes, inside 64)."""
    if confirm is None or not confirm.action_id:
        return None
    button = InlineKeyboardButton(confirm.label, callback_data=confirm.action_id)
    return InlineKeyboardMarkup([[button]])


def buttons_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """A notice's buttons in one row; each one's callback_data is `command:args`."""
    if not buttons:
        return None
    row = [
        InlineKeyboardButton(button.label, callback_data=f"{button.command}:{button.args}")
        for button in buttons
    ]
    return InlineKeyboardMarkup([row])


def click_of(query: CallbackQuery) -> Command | None:
    """The click as the bridge's CONFIRM command or as a notice button's command, or None
    when it is neither (no data, or a message Telegram no longer shows the bot)."""
    message = query.message
    if not query.data or not isinstance(message, Message):
        return None
    chat = message.chat
    topic = str(message.message_thread_id) if message.is_topic_message else ""
    button = BUTTON_DATA.fullmatch(query.data)
    name, args = (button["command"], button["args"]) if button else (CONFIRM, query.data)
    return Command(
        name=name,
        args=args,
        user=ChatUser(str(query.from_user.id), query.from_user.full_name),
        chat=Destination(Platform.TELEGRAM, str(chat.id), topic),
        # Only the asker may confirm, and the command says what it needs (a review's button:
        # a publisher): a private chat is
        # its owner's, anywhere else the click tells nothing more.
        role=Role.OWNER if chat.type == chat.PRIVATE else Role.MEMBER,
    )
