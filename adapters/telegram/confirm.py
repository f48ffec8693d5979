"""Confirmation buttons on Telegram: the answer's inline button (callback_data = the action id)
and the click (a CallbackQuery) read as the bridge's CONFIRM command. Pure, like translate.py."""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.confirm import ACTION_ID, CONFIRM
from bot.events import ChatUser, Command, Confirm, Destination, Platform, Role

# What a CallbackQueryHandler takes: only the bridge's action ids are its clicks.
CLICK_PATTERN = f"^{ACTION_ID.pattern}$"


def confirm_keyboard(confirm: Confirm | None) -> InlineKeyboardMarkup | None:
    """The answer's button: its callback_data is the action id (22 bytes, inside 64)."""
    if confirm is None or not confirm.action_id:
        return None
    button = InlineKeyboardButton(confirm.label, callback_data=confirm.action_id)
    return InlineKeyboardMarkup([[button]])


def click_of(query: CallbackQuery) -> Command | None:
    """The click as the bridge's CONFIRM command, or None when it is not one (no data, or a
    message Telegram no longer shows the bot)."""
    message = query.message
    if not query.data or not isinstance(message, Message):
        return None
    chat = message.chat
    topic = str(message.message_thread_id) if message.is_topic_message else ""
    return Command(
        name=CONFIRM,
        args=query.data,
        user=ChatUser(str(query.from_user.id), query.from_user.full_name),
        chat=Destination(Platform.TELEGRAM, str(chat.id), topic),
        # Only the asker may confirm, and the command says what it needs: a private chat is
        # its owner's, anywhere else the click tells nothing more.
        role=Role.OWNER if chat.type == chat.PRIVATE else Role.MEMBER,
    )
