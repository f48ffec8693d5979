"""Telegram, through python-telegram-bot."""

from adapters.telegram.adapter import TELEGRAM_LIMITS, TelegramAdapter

__all__ = ["TELEGRAM_LIMITS", "TelegramAdapter"]
