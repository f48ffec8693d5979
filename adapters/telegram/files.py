"""Downloading what people send (photos, videos) through the Bot API's file endpoint.

The file URL holds the bot token (`.../file/bot<TOKEN>/<path>`): it is used here and nowhere
else, and no error message built here repeats it. The bytes go on to the media store, which
gives Meta a URL of its own.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram import error as tg

from bot.events import Attachment
from bot.media.pipeline import MediaFetchError

log = logging.getLogger(__name__)

CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile on api.telegram.org serves up to 20 MB


def file_base_of(api_base: str) -> str:
    """The file endpoint beside a Bot API base: `.../bot` -> `.../file/bot` (a `{token}`
    placeholder after it stays where it is)."""
    head, found, tail = api_base.rpartition("/bot")
    if not found:
        return api_base.rstrip("/") + "/file/bot"
    return f"{head}/file/bot{tail}"


class TelegramFiles:
    """`fetch` for the media pipeline, over the adapter's own Bot."""

    def __init__(self, bot: Bot, *, self_hosted: bool) -> None:
        self._bot = bot
        # A self-hosted Bot API server has no 20 MB download limit.
        self._limit = None if self_hosted else CLOUD_DOWNLOAD_LIMIT

    async def fetch(self, attachment: Attachment) -> bytes:
        if self._limit is not None and (attachment.size or 0) > self._limit:
            raise MediaFetchError(_TOO_BIG)
        try:
            file = await self._bot.get_file(attachment.ref)
            return bytes(await file.download_as_bytearray())
        except tg.BadRequest as exc:
            if "too big" in exc.message.lower():
                raise MediaFetchError(_TOO_BIG) from None
            log.warning("Telegram refused a file download: %s", exc.message)
            raise MediaFetchError(
                "Telegram would not hand over that file; send it again."
            ) from None
        except tg.TelegramError as exc:
            # The message of a failed download may hold the file URL, and so the token.
            log.warning("downloading a file from Telegram failed (%s)", type(exc).__name__)
            raise MediaFetchError(
                "Telegram did not hand over the file; try again in a minute."
            ) from None


_TOO_BIG = (
    "Telegram lets bots download files of up to 20 MB, and this one is bigger. Send a smaller "
    "file, or the bridge's operator can run a self-hosted Bot API server "
    "([telegram] file_api_base)."
)
