"""The Telegram adapter: python-telegram-bot's Application, commands in, feed messages out."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import (
    InputMediaPhoto,
    InputMediaVideo,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram import error as tg
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, filters

from adapters.telegram.errors import classify, is_media_fetch_failure, seconds
from adapters.telegram.ordering import PerChatOrder
from adapters.telegram.render import TelegramMessage, render_item, render_notice
from adapters.telegram.translate import command_of, with_role
from bot.bridge import Bridge
from bot.events import Destination, FeedItem, Platform, Reply, Role
from bot.outbound import ChatHolds, RateLimits, RetryAfter

log = logging.getLogger(__name__)

# Telegram's published limits: ~30 messages/s overall, ~1/s per chat, 20/min per group.
# Paced one under the overall ceiling: the limits are not exact.
TELEGRAM_LIMITS = RateLimits(per_second=29.0, chat_interval=1.0, group_interval=3.05)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_REPLY_ATTEMPTS = 3


class TelegramAdapter:
    """Commands from private chats, groups, forum topics and channels; deliveries to them."""

    platform = Platform.TELEGRAM.value
    limits = TELEGRAM_LIMITS

    def __init__(
        self,
        token: str,
        bridge: Bridge,
        *,
        api_base: str = "https://api.telegram.org/bot",
        file_api_base: str | None = None,
        poll_timeout: int = 10,
    ) -> None:
        self._bridge = bridge
        self._poll_timeout = poll_timeout
        # Telegram's flood waits are per chat and bind every send to it: deliveries, command
        # answers and notices all honour (and record) the same one.
        self._holds = ChatHolds()
        # No PTB JobQueue: polling and delivery have their own scheduler and worker.
        # Updates of different chats run concurrently: a /post waiting for Threads must not
        # hold up another chat's /help (one chat's updates still go in order).
        builder = (
            ApplicationBuilder()
            .token(token)
            .base_url(api_base)
            .job_queue(None)
            .concurrent_updates(PerChatOrder())
        )
        if file_api_base:
            builder = builder.base_file_url(file_api_base)
        self._app: Application = builder.build()  # type: ignore[type-arg]
        command_updates = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
        names = [spec.name for spec in bridge.commands.values()]
        self._app.add_handler(CommandHandler(names, self._on_command, filters=command_updates))
        self._app.add_error_handler(self._on_error)
        self._initialized = self._started = False

    def __repr__(self) -> str:
        return "TelegramAdapter()"  # the Application's repr would carry the token

    @property
    def connected(self) -> bool:
        return self._started and bool(self._app.updater and self._app.updater.running)

    async def start(self) -> None:
        await self._app.initialize()
        self._initialized = True
        await self._app.bot.set_my_commands(
            [(spec.name, spec.summary[:256]) for spec in self._bridge.commands.values()]
        )
        assert self._app.updater is not None
        await self._app.updater.start_polling(
            timeout=self._poll_timeout,
            allowed_updates=[Update.MESSAGE, Update.CHANNEL_POST],
            drop_pending_updates=False,
        )
        await self._app.start()
        self._started = True
        log.info("Telegram bot @%s is up", self._app.bot.username)

    async def stop(self) -> None:
        if self._app.updater is not None and self._app.updater.running:
            await self._app.updater.stop()
        if self._app.running:
            await self._app.stop()
        if self._initialized:
            await self._app.shutdown()
        self._started = self._initialized = False

    # -- delivery --------------------------------------------------------------------------

    def render(self, item: FeedItem, destination: Destination) -> Sequence[object]:
        return render_item(item)

    def is_group(self, destination: Destination) -> bool:
        return destination.chat_id.startswith("-")  # groups, supergroups and channels

    async def send(self, destination: Destination, part: object) -> list[str]:
        assert isinstance(part, TelegramMessage)
        held = self._holds.remaining(destination.chat_id)
        if held > 0:
            # An answer in this chat got a flood wait: the delivery comes back after it
            # rather than holding a request slot while it lasts.
            raise RetryAfter("the chat is in a flood wait", held)
        try:
            return await self._send(destination, part)
        except tg.TelegramError as exc:
            if part.fallback_html and is_media_fetch_failure(exc):
                log.info("Telegram could not fetch media for %s; sending links", destination)
                text = TelegramMessage("text", part.fallback_html)
                try:
                    return await self._send(destination, text)
                except tg.TelegramError as again:
                    raise classify(again) from again
            raise classify(exc) from exc

    async def notify(self, destination: Destination, text: str) -> None:
        for part in render_notice(text):
            await self._holds.wait(destination.chat_id)
            await self._send(destination, part)

    async def _send(self, destination: Destination, part: TelegramMessage) -> list[str]:
        try:
            return await self._send_part(destination, part)
        except tg.RetryAfter as exc:
            self._holds.hold(destination.chat_id, seconds(exc.retry_after))
            raise

    async def _send_part(self, destination: Destination, part: TelegramMessage) -> list[str]:
        bot = self._app.bot
        chat_id = int(destination.chat_id)
        thread = int(destination.topic_id) if destination.topic_id else None
        common = {"chat_id": chat_id, "message_thread_id": thread}
        sent: Message | tuple[Message, ...]
        if part.kind == "text":
            sent = await bot.send_message(
                text=part.html,
                parse_mode=ParseMode.HTML,
                link_preview_options=NO_PREVIEW,
                **common,
            )
        elif part.kind == "photo":
            sent = await bot.send_photo(
                photo=part.media[0][1],
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                **common,
            )
        elif part.kind == "video":
            sent = await bot.send_video(
                video=part.media[0][1],
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                **common,
            )
        else:
            sent = await bot.send_media_group(media=_input_media(part), **common)
        messages = sent if isinstance(sent, tuple) else (sent,)
        return [str(m.message_id) for m in messages]

    # -- commands --------------------------------------------------------------------------

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        command = command_of(message, self._app.bot.username)
        if command is None:
            return
        if self._bridge.needs_role(command.name) and command.role is Role.MEMBER:
            try:
                member = await self._app.bot.get_chat_member(message.chat.id, int(command.user.id))
            except tg.TelegramError as exc:
                log.warning("could not look up a member's role in %s: %s", message.chat.id, exc)
            else:
                command = with_role(command, member.status)
        reply = await self._bridge.handle(command)
        await self._answer(message, reply)

    async def _answer(self, message: Message, reply: Reply) -> None:
        chat = str(message.chat.id)
        for part in render_notice(reply.text):
            for attempt in range(_REPLY_ATTEMPTS):
                # Inside a flood wait (this answer's or a delivery's) wait it out: a late
                # answer beats a lost one, and only this chat's updates wait meanwhile.
                await self._holds.wait(chat)
                try:
                    await message.reply_text(
                        part.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                    )
                    break
                except tg.RetryAfter as exc:
                    self._holds.hold(chat, seconds(exc.retry_after))
                    if attempt + 1 == _REPLY_ATTEMPTS:
                        raise

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Errors in handlers land here; the update's content is not logged (it may be private).
        log.error("Telegram handler failed: %r", context.error, exc_info=context.error)


def _input_media(part: TelegramMessage) -> list[InputMediaPhoto | InputMediaVideo]:
    media: list[InputMediaPhoto | InputMediaVideo] = []
    for index, (kind, url) in enumerate(part.media):
        caption = part.html if index == 0 and part.html else None
        parse_mode = ParseMode.HTML if caption else None
        if kind == "video":
            media.append(InputMediaVideo(url, caption=caption, parse_mode=parse_mode))
        else:
            media.append(InputMediaPhoto(url, caption=caption, parse_mode=parse_mode))
    return media
