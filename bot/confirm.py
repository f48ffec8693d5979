"""Confirmation buttons: a command that answers with a `Confirm` is done only on its click.

The bridge stores what waits (storage/confirmations.py), the adapter shows a button whose data
is the action id, and a click comes back as a `CONFIRM` command carrying that id. The pending
command then runs again for the clicker, through the permission check, with `confirmed=True`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace

from bot.events import Command, Reply
from storage.confirmations import PendingConfirmation

CONFIRM = "confirm"  # the command name adapters give a click on a confirmation button
LIFETIME = 600.0  # seconds a confirmation can be clicked
# 16 random bytes as URL-safe base64: 22 characters, well inside Telegram's 64-byte
# callback_data and Discord's 100-character custom_id.
ACTION_ID = re.compile(r"[A-Za-z0-9_-]{22}")

ONLY_THE_ASKER = "Only the person who asked can confirm."


def new_action_id() -> str:
    return secrets.token_urlsafe(16)


def expired(command_name: str | None) -> Reply:
    again = f"/{command_name}" if command_name else "the command"
    return Reply(f"This confirmation has expired; run {again} again.", ok=False, private=True)


def confirmed_command(pending: PendingConfirmation, click: Command) -> Command:
    """The pending command as the clicker runs it now (their roles, this chat)."""
    return replace(
        click,
        name=pending.command,
        args=pending.args,
        reply_to_message_id=None,
        confirmed=True,
    )


def is_live(pending: PendingConfirmation, now: float) -> bool:
    return pending.used_at is None and pending.created_at > now - LIFETIME
