"""The Telegram adapter: python-telegram-bot's Application, commands in, feed messages out."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from functools import partial
from html import unescape
from typing import Any

from telegram import (
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    InputMediaVideo,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram import error as tg
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from adapters.link import Link
from adapters.reconnect import Reconnector, describe
from adapters.telegram.albums import ALBUM_QUIET, Albums
from adapters.telegram.changes import delete_sent, edit_sent
from adapters.telegram.confirm import CLICK_PATTERN, buttons_keyboard, click_of, confirm_keyboard
from adapters.telegram.crossposting import GROUP as CROSSPOST_GROUP
from adapters.telegram.crossposting import ChatSource
from adapters.telegram.errors import classify, is_media_fetch_failure, seconds
from adapters.telegram.files import TelegramFiles, file_base_of
from adapters.telegram.moderation import delivery_keyboard, updated_html, updated_keyboard
from adapters.telegram.ordering import PerChatOrder
from adapters.telegram.render import (
    CAPTION_LIMIT,
    TelegramMessage,
    render_item,
    render_notice,
    utf16_length,
)
from adapters.telegram.translate import command_of, message_of, with_role
from bot.bridge import Bridge
from bot.clock import SYSTEM_CLOCK, Clock
from bot.confirm import CONFIRM
from bot.events import (
    Button,
    Command,
    Destination,
    FeedItem,
    Image,
    MessageUpdate,
    Platform,
    Reply,
    Role,
)
from bot.outbound import ChatHolds, RateLimits, RetryAfter
from bot.tls import tls_context

log = logging.getLogger(__name__)

DONE_GROUP = 100  # the handler group that marks an update done in the inbox: the last one

# Telegram's published limits: ~30 messages/s overall, ~1/s per chat, 20/min per group.
# Paced one under the overall ceiling: the limits are not exact.
TELEGRAM_LIMITS = RateLimits(per_second=29.0, chat_interval=1.0, group_interval=3.05)
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_REPLY_ATTEMPTS = 3
NOT_CONNECTED_RETRY = 5.0  # seconds between delivery attempts while Telegram is away


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
        clock: Clock = SYSTEM_CLOCK,
        album_quiet: float = ALBUM_QUIET,
    ) -> None:
        self._bridge = bridge
        self._poll_timeout = poll_timeout
        # Telegram's flood waits are per chat and bind every send to it: deliveries, command
        # answers and notices all honour (and record) the same one.
        self._holds = ChatHolds(clock)
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
        builder = builder.request(
            HTTPXRequest(connection_pool_size=256, httpx_kwargs={"verify": tls_context()})
        ).get_updates_request(_PollRequest(self._poll_answered, self._updates_received))
        # Files people send come from the file endpoint beside api_base (tests and proxies
        # alike), or from a self-hosted Bot API server's.
        builder = builder.base_file_url(file_api_base or file_base_of(api_base))
        self._app: Application = builder.build()  # type: ignore[type-arg]
        self._files = TelegramFiles(self._app.bot, self_hosted=file_api_base is not None)
        bridge.ctx.media.register(self.platform, self._files.fetch)
        self._albums = Albums(self._on_album, quiet=album_quiet)
        command_updates = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
        names = [spec.name for spec in bridge.commands.values()]
        self._app.add_handler(CommandHandler(names, self._on_command, filters=command_updates))
        media = filters.PHOTO | filters.VIDEO | filters.Document.IMAGE | filters.Document.VIDEO
        self._app.add_handler(CallbackQueryHandler(self._on_confirm_click, pattern=CLICK_PATTERN))
        self._app.add_handler(MessageHandler(media & command_updates, self._on_media))
        # Every update is written down as getUpdates hands it over (the library confirms it to
        # Telegram with its next poll, handled or not), claimed before its handler and done
        # after it: one a kill -9 caught in between is replayed at the next start, once.
        self._inbox = bridge.ctx.store.inbox
        self._album_updates: dict[tuple[int, int], int] = {}  # album message -> its update
        self._app.add_handler(TypeHandler(Update, self._claim), group=-1)
        # After every other group (commands: 0, cross-posting: 1): done once all have run.
        self._app.add_handler(TypeHandler(Update, self._handled), group=DONE_GROUP)
        self._app.add_error_handler(self._on_error)
        # [[crosspost]] chats: their messages and edits go to the core's Autopost.
        autopost = bridge.ctx.autopost
        self._sources = ChatSource(autopost, album_quiet=album_quiet) if autopost else None
        self._updates = [Update.MESSAGE, Update.CHANNEL_POST, Update.CALLBACK_QUERY]
        if self._sources is not None and self._sources.active:
            self._app.add_handlers(self._sources.handlers(), group=CROSSPOST_GROUP)
            self._updates += [Update.EDITED_MESSAGE, Update.EDITED_CHANNEL_POST]
        _updater_log.addFilter(_network_errors_in_one_line)
        self._initialized = self._started = False
        self._link = Link(lambda: self.connected)
        self._polling_ok = False  # the last getUpdates reached Telegram
        self._connection = Reconnector(
            self.platform,
            self._session,
            cleanup=self._teardown,
            # What retrying cannot mend (a refused token, a 400/403 to getMe from a
            # server that is not the Bot API) stops the start with one line to fix.
            fatal=(tg.InvalidToken, tg.BadRequest, tg.Forbidden),
        )

    def __repr__(self) -> str:
        return "TelegramAdapter()"  # the Application's repr would carry the token

    @property
    def connected(self) -> bool:
        return self._connection.up and self._polling_ok

    async def start(self) -> None:
        """Connect now if Telegram answers; otherwise keep trying in the background (with
        backoff) while the bridge runs. A rejected token raises."""
        await self._connection.start()

    async def stop(self) -> None:
        await self._connection.stop()
        await self._teardown()

    async def _session(self, up: Callable[[], None]) -> None:
        await self._app.initialize()
        for raw in self._inbox.interrupted(self.platform):
            await self._app.update_queue.put(Update.de_json(json.loads(raw), self._app.bot))
        self._initialized = True
        await self._app.bot.set_my_commands(
            [(spec.name, spec.summary[:256]) for spec in self._bridge.commands.values()]
        )
        assert self._app.updater is not None
        await self._app.updater.start_polling(
            timeout=self._poll_timeout,
            allowed_updates=self._updates,
            drop_pending_updates=False,
            error_callback=self._poll_failed,
        )
        await self._app.start()
        self._started = self._polling_ok = True
        up()
        self._link.changed()
        log.info("Telegram bot @%s is up", self._app.bot.username)
        # From here python-telegram-bot's updater rides out outages itself (retrying
        # getUpdates with its own backoff); `connected` follows its polls.
        await asyncio.Event().wait()

    async def _teardown(self) -> None:
        await self._albums.close()
        if self._sources is not None:
            await self._sources.close()
        if self._app.updater is not None and self._app.updater.running:
            await self._app.updater.stop()
        if self._app.running:
            await self._app.stop()
        if self._initialized:
            await self._app.shutdown()
        self._started = self._initialized = self._polling_ok = False
        self._link.changed()

    def _poll_failed(self, error: tg.TelegramError) -> None:
        # Replaces python-telegram-bot's traceback per failed poll with one line.
        self._polling_ok = False
        self._link.changed()
        log.warning("Telegram is not reachable (%s); polling again shortly", describe(error))

    def _poll_answered(self, ok: bool) -> None:
        if not self._started:
            return  # the session's own steps say how connecting went
        if ok and not self._polling_ok:
            log.info("Telegram is reachable again")
        self._polling_ok = ok
        self._link.changed()

    # -- delivery --------------------------------------------------------------------------

    def render(self, item: FeedItem, destination: Destination) -> Sequence[TelegramMessage]:
        return render_item(item)

    def is_group(self, destination: Destination) -> bool:
        return destination.chat_id.startswith("-")  # groups, supergroups and channels

    async def send(self, destination: Destination, part: TelegramMessage) -> list[str]:
        if not await self._link.wait_usable(NOT_CONNECTED_RETRY):
            # Not counted as a failed attempt: an outage of any length loses nothing.
            raise RetryAfter("Telegram is not connected", NOT_CONNECTED_RETRY)
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

    async def edit(
        self, destination: Destination, message_ids: Sequence[Sequence[str]], item: FeedItem
    ) -> None:
        """The delivered messages show `item` now (an edit on Threads, a deletion marked)."""
        await self._holds.wait(destination.chat_id)
        try:
            parts = render_item(item)
            await edit_sent(self._app.bot, int(destination.chat_id), message_ids, parts)
        except RetryAfter as exc:  # the chat's flood wait holds every kind of send
            self._holds.hold(destination.chat_id, exc.seconds)
            raise

    async def delete(self, destination: Destination, message_ids: Sequence[str]) -> None:
        await self._holds.wait(destination.chat_id)
        try:
            await delete_sent(self._app.bot, int(destination.chat_id), message_ids)
        except RetryAfter as exc:
            self._holds.hold(destination.chat_id, exc.seconds)
            raise

    async def delete_message(self, destination: Destination, message_id: str) -> bool:
        """Remove one of the bridge's messages (an expired ghost post). False when Telegram
        refuses: the message is already gone or may no longer be deleted."""
        try:
            return bool(
                await self._app.bot.delete_message(int(destination.chat_id), int(message_id))
            )
        except tg.BadRequest as exc:
            log.info("Telegram kept message %s in %s: %s", message_id, destination, exc)
            return False

    async def notify(
        self,
        destination: Destination,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        image: Image | None = None,
    ) -> None:
        parts = render_notice(text)
        caption = _caption(parts, image)
        texts = [] if caption is not None else parts
        for index, part in enumerate(texts):
            await self._holds.wait(destination.chat_id)
            # The buttons go under the notice's last message.
            last = index == len(texts) - 1 and image is None
            await self._send(destination, part, buttons_keyboard(buttons) if last else None)
        if image is not None:
            await self._holds.wait(destination.chat_id)
            try:
                await self._app.bot.send_photo(
                    chat_id=int(destination.chat_id),
                    message_thread_id=int(destination.topic_id) if destination.topic_id else None,
                    photo=InputFile(image.data, filename=image.filename),
                    caption=caption,
                    parse_mode=ParseMode.HTML if caption else None,
                    reply_markup=buttons_keyboard(buttons) if buttons else None,
                )
            except tg.RetryAfter as exc:
                self._holds.hold(destination.chat_id, seconds(exc.retry_after))
                raise

    async def _send(
        self,
        destination: Destination,
        part: TelegramMessage,
        markup: InlineKeyboardMarkup | None = None,
    ) -> list[str]:
        try:
            return await self._send_part(destination, part, markup)
        except tg.RetryAfter as exc:
            self._holds.hold(destination.chat_id, seconds(exc.retry_after))
            raise

    async def _send_part(
        self,
        destination: Destination,
        part: TelegramMessage,
        markup: InlineKeyboardMarkup | None = None,
    ) -> list[str]:
        bot = self._app.bot
        chat_id = int(destination.chat_id)
        thread = int(destination.topic_id) if destination.topic_id else None
        common = {"chat_id": chat_id, "message_thread_id": thread}
        sent: Message | tuple[Message, ...]
        markup = markup or delivery_keyboard(part)
        if part.kind == "text":
            sent = await bot.send_message(
                text=part.html,
                parse_mode=ParseMode.HTML,
                link_preview_options=(
                    LinkPreviewOptions(url=part.preview_url) if part.preview_url else NO_PREVIEW
                ),
                reply_markup=markup,
                **common,
            )
        elif part.kind == "photo":
            sent = await bot.send_photo(
                photo=part.media[0][1],
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                has_spoiler=part.spoiler or None,
                reply_markup=markup,
                **common,
            )
        elif part.kind == "video":
            sent = await bot.send_video(
                video=part.media[0][1],
                caption=part.html or None,
                parse_mode=ParseMode.HTML,
                has_spoiler=part.spoiler or None,
                reply_markup=markup,
                **common,
            )
        else:
            sent = await bot.send_media_group(media=_input_media(part), **common)
        messages = sent if isinstance(sent, tuple) else (sent,)
        return [str(m.message_id) for m in messages]

    # -- commands --------------------------------------------------------------------------

    async def _on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None:
            await self._dispatch(message)

    async def _on_media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo or video: with a /command caption it is a command; an album's items are
        gathered first (the caption is on one of them)."""
        message = update.effective_message
        if message is None:
            return
        if message.media_group_id is not None:
            self._album_updates[(message.chat.id, message.message_id)] = update.update_id
            self._albums.add(message)
        else:
            await self._dispatch(message)

    async def _on_album(self, messages: list[Message]) -> None:
        captioned = next((m for m in messages if m.caption), None)
        try:
            if captioned is not None:
                await self._dispatch(captioned, album=messages)
        finally:
            for message in messages:  # the album's updates are done once it was handled
                update_id = self._album_updates.pop((message.chat.id, message.message_id), None)
                if update_id is not None:
                    self._inbox.done(self.platform, update_id)

    # -- the inbox -------------------------------------------------------------------------

    def _updates_received(self, payload: bytes) -> None:
        try:
            result = json.loads(payload).get("result")
        except (ValueError, AttributeError):
            return
        if not isinstance(result, list):
            return
        for update in result:
            if isinstance(update, dict) and isinstance(update.get("update_id"), int):
                try:
                    self._inbox.received(self.platform, update["update_id"], json.dumps(update))
                except sqlite3.Error as exc:  # a full disk: handled all the same, unguarded
                    log.warning("could not write a Telegram update down: %s", exc)

    async def _claim(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not self._inbox.claim(self.platform, update.update_id):
            raise ApplicationHandlerStop  # a copy of one handled (or in hand) already

    async def _handled(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.media_group_id is not None:
            return  # done when its album is (see _on_album)
        self._inbox.done(self.platform, update.update_id)

    async def _dispatch(self, message: Message, album: Sequence[Message] = ()) -> None:
        command = command_of(message, self._app.bot.username, album)
        if command is None:
            return
        replied = message.reply_to_message
        if command.answered is not None and replied is not None and replied.media_group_id:
            # Telegram quotes one item of an album: the rest, if the bridge saw them, go too.
            command = replace(
                command, answered=message_of(replied, self._albums.album_of(replied))
            )
        if self._bridge.needs_role(command.name) and command.role is Role.MEMBER:
            try:
                member = await self._app.bot.get_chat_member(message.chat.id, int(command.user.id))
            except tg.TelegramError as exc:
                log.warning("could not look up a member's role in %s: %s", message.chat.id, exc)
            else:
                command = with_role(command, member.status)
        reply = await self._bridge.handle(command)
        await self._answer(message, reply)
        if reply.preview is not None:
            await self._send_preview(command.chat, reply.preview)

    async def _answer(self, message: Message, reply: Reply) -> None:
        chat = str(message.chat.id)
        parts = render_notice(reply.text)
        image = reply.image
        caption = _caption(parts, image)
        texts = [] if caption is not None else parts
        for index, part in enumerate(texts):
            # A confirmation button goes under the answer's last message.
            last = index == len(texts) - 1 and image is None
            markup = (
                (confirm_keyboard(reply.confirm) or buttons_keyboard(reply.buttons))
                if last
                else None
            )
            await self._reply_within_holds(
                chat,
                partial(
                    message.reply_text,
                    part.html,
                    parse_mode=ParseMode.HTML,
                    link_preview_options=NO_PREVIEW,
                    reply_markup=markup,
                ),
            )
        if image is not None:
            await self._reply_within_holds(
                chat,
                partial(
                    message.reply_photo,
                    InputFile(image.data, filename=image.filename),
                    caption=caption,
                    parse_mode=ParseMode.HTML if caption else None,
                    reply_markup=confirm_keyboard(reply.confirm)
                    or buttons_keyboard(reply.buttons),
                ),
            )

    async def _send_preview(self, chat: Destination, item: FeedItem) -> None:
        """/preview: the post rendered and sent as a delivery of it would be, but recorded
        nowhere (no outbox row, no message map): it is a look, not a delivery."""
        for part in self.render(item, chat):
            await self._reply_within_holds(chat.chat_id, partial(self._send_part, chat, part))

    async def _reply_within_holds(self, chat: str, send: Callable[[], Awaitable[Any]]) -> None:
        """`send` an answer; inside a flood wait (this answer's or a delivery's) wait it out
        first: a late answer beats a lost one, and only this chat's updates wait meanwhile."""
        for attempt in range(_REPLY_ATTEMPTS):
            await self._holds.wait(chat)
            try:
                await send()
                return
            except tg.RetryAfter as exc:
                self._holds.hold(chat, seconds(exc.retry_after))
                if attempt + 1 == _REPLY_ATTEMPTS:
                    raise

    async def _on_confirm_click(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A click on a confirmation button or a notice's button: the bridge decides; the
        clicker sees the answer on the query (an alert for a refusal, which changes nothing).
        The outcome replaces a confirmation's question and its button; under a notice (a
        review's preview) it is added, and the buttons go."""
        query = update.callback_query
        if query is None:
            return
        command = click_of(query)
        if command is None:
            await query.answer()
            return
        if self._bridge.needs_role(command.name) and command.role is Role.MEMBER:
            command = await self._with_member_role(command)
        reply = await self._bridge.handle(command)
        await query.answer(_callback_text(reply.text), show_alert=reply.private)
        message = query.message
        if reply.private or not isinstance(message, Message):
            return
        if reply.update is not None:
            await self._update_message(message, reply.update)
            return
        chat = str(message.chat.id)
        outcome = render_notice(reply.text)[0]
        if command.name != CONFIRM and message.text:
            kept = render_notice(f"{message.text}\n\n{reply.text}")
            outcome = kept[0] if len(kept) == 1 else outcome  # too long: the outcome alone
        for attempt in range(_REPLY_ATTEMPTS):
            await self._holds.wait(chat)
            try:
                # No reply_markup: the edit takes the spent button away.
                await message.edit_text(
                    outcome.html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
                )
                return
            except tg.RetryAfter as exc:
                self._holds.hold(chat, seconds(exc.retry_after))
                if attempt + 1 == _REPLY_ATTEMPTS:
                    raise

    async def _with_member_role(self, command: Command) -> Command:
        """The command with the sender's role in the chat, as Telegram tells it."""
        try:
            member = await self._app.bot.get_chat_member(
                int(command.chat.chat_id), int(command.user.id)
            )
        except tg.TelegramError as exc:
            log.warning("could not look up a member's role in %s: %s", command.chat.chat_id, exc)
            return command
        return with_role(command, member.status)

    async def _update_message(self, message: Message, update: MessageUpdate) -> None:
        """A click changed what the message shows (a delivered reply hidden on Threads): its
        text or caption gets the status line, its buttons the update's."""
        markup = updated_keyboard(message, update)
        chat = str(message.chat.id)
        for attempt in range(_REPLY_ATTEMPTS):
            await self._holds.wait(chat)
            try:
                if message.text is not None:
                    await message.edit_text(
                        updated_html(message.text_html, update),
                        parse_mode=ParseMode.HTML,
                        link_preview_options=NO_PREVIEW,
                        reply_markup=markup,
                    )
                else:
                    await message.edit_caption(
                        updated_html(message.caption_html or "", update),
                        parse_mode=ParseMode.HTML,
                        reply_markup=markup,
                    )
                return
            except tg.RetryAfter as exc:
                self._holds.hold(chat, seconds(exc.retry_after))
                if attempt + 1 == _REPLY_ATTEMPTS:
                    raise
            except tg.BadRequest as exc:
                # Deleted meanwhile, or too long with the line: Threads did hide it, and the
                # clicker was told so on the query.
                log.warning("could not update message %s: %s", message.message_id, exc.message)
                return

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Errors in handlers land here; the update's content is not logged (it may be private).
        log.error("Telegram handler failed: %r", context.error, exc_info=context.error)


def _caption(parts: Sequence[TelegramMessage], image: Image | None) -> str | None:
    """A picture carries its text as its caption when that fits in one (1,024 characters);
    None: the text goes first, in messages of its own, and the picture after it."""
    if image is None or len(parts) != 1:
        return None
    html = parts[0].html  # a notice's: escaped text, no tags
    return html if utf16_length(unescape(html)) <= CAPTION_LIMIT else None


_updater_log = logging.getLogger("telegram.ext.Updater")


def _network_errors_in_one_line(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs a traceback when the last getUpdates of a stop cannot reach
    Telegram; an unreachable server is worth one line, not a library traceback."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, tg.NetworkError):
        record.msg, record.args = "%s (%s)", (record.getMessage().split(". ")[0], describe(error))
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


class _PollRequest(HTTPXRequest):
    """The getUpdates connection, telling the adapter whether each poll reached Telegram
    (python-telegram-bot reports failures, but not the recovery)."""

    def __init__(
        self, answered: Callable[[bool], None], received: Callable[[bytes], None]
    ) -> None:
        super().__init__(connection_pool_size=1, httpx_kwargs={"verify": tls_context()})
        self._answered = answered
        self._received = received

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except tg.NetworkError:
            self._answered(False)
            raise
        self._answered(code < 500)
        if code == 200:
            self._received(payload)  # before python-telegram-bot reads (and confirms) them
        return code, payload


def _callback_text(text: str) -> str:
    """What answerCallbackQuery shows: at most 200 characters."""
    return text if len(text) <= 200 else text[:199] + "…"


def _input_media(part: TelegramMessage) -> list[InputMediaPhoto | InputMediaVideo]:
    media: list[InputMediaPhoto | InputMediaVideo] = []
    for index, (kind, url) in enumerate(part.media):
        caption = part.html if index == 0 and part.html else None
        parse_mode = ParseMode.HTML if caption else None
        spoiler = part.spoiler or None
        if kind == "video":
            media.append(
                InputMediaVideo(url, caption=caption, parse_mode=parse_mode, has_spoiler=spoiler)
            )
        else:
            media.append(
                InputMediaPhoto(url, caption=caption, parse_mode=parse_mode, has_spoiler=spoiler)
            )
    return media
