"""A delivered post that changed on Threads: its messages edited (editMessageText for a text
message, editMessageCaption for a photo, a video or an album's first item) or deleted."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import Bot, LinkPreviewOptions
from telegram import error as tg
from telegram.constants import ParseMode

from adapters.telegram.errors import classify
from adapters.telegram.moderation import delivery_keyboard
from adapters.telegram.render import TelegramMessage

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def edit_sent(
    bot: Bot, chat_id: int, message_ids: Sequence[Sequence[str]], parts: Sequence[TelegramMessage]
) -> None:
    """Each sent part shows its new rendering. A part the new rendering does not have (the
    text got shorter across a split) is left as it is; one it adds is not sent."""
    for ids, part in zip(message_ids, parts, strict=False):
        if not ids:
            continue
        message_id = int(ids[0])  # an album's caption sits on its first item
        markup = None if part.kind == "media_group" else delivery_keyboard(part)
        try:
            if part.kind == "text":
                await bot.edit_message_text(
                    part.html,
                    chat_id=chat_id,
                    message_id=message_id,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=markup,
                )
            else:
                await bot.edit_message_caption(
                    chat_id=chat_id,
                    message_id=message_id,
                    caption=part.html or None,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
        except tg.BadRequest as exc:
            if "not modified" in exc.message.lower():
                continue  # it already reads so
            raise classify(exc) from exc
        except tg.TelegramError as exc:
            raise classify(exc) from exc


async def delete_sent(bot: Bot, chat_id: int, message_ids: Sequence[str]) -> None:
    for message_id in message_ids:
        try:
            await bot.delete_message(chat_id=chat_id, message_id=int(message_id))
        except tg.BadRequest as exc:
            if "not found" in exc.message.lower():
                continue  # deleted in the chat already
            raise classify(exc) from exc
        except tg.TelegramError as exc:
            raise classify(exc) from exc
