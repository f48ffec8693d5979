"""Cross-posting: the messages of a configured chat ([[crosspost]]) published to Threads by
themselves, through the durable publish queue.

Adapters report what happens in a chat (`on_message`, `on_edit`, `on_delete`); `Autopost`
decides by the chat's rule what, if anything, becomes a queue row. Each row's `origin` is
"platform:chat:message" and unique in the queue, so one chat message is published at most
once whatever restarts, repeats or edits happen. An edit before publishing changes the row, a
deletion cancels it; afterwards Threads cannot edit (the author is told), and a deletion can
delete the Threads post (`delete_follows`). `/autopost on|off` switches a chat (kept in
bridge_state, across restarts).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from bot.commands.base import Context
from bot.commands.post_options import PostOptions
from bot.commands.publish_request import PublishRequest
from bot.config import CrosspostConfig
from bot.events import ChatMessage, ChatUser, Destination, Platform
from bot.tasks import spawn
from bot.threads.errors import ThreadsError
from bot.threads.spoilers import mark_spoilers
from storage.publish_queue import (
    PUBLISHED,
    PUBLISHING,
    QUEUED,
    REVIEW,
    AlreadyQueued,
    QueuedPost,
)

log = logging.getLogger(__name__)

KIND = "autopost"  # the queue rows' kind (jobs/publish_worker.UNANNOUNCED: not told in chat)
EDITED_AFTER = (
    "Your message was edited after it was cross-posted to Threads ({link}). Threads cannot "
    "edit a published post: the post keeps the first version."
)

Notify = Callable[[Destination, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A [[crosspost]] entry, for the chat it names."""

    chat: Destination
    config: CrosspostConfig


def rules_of(configs: Sequence[CrosspostConfig]) -> list[Rule]:
    rules = []
    for config in configs:
        if config.telegram_chat is not None:
            chat = Destination(Platform.TELEGRAM, str(config.telegram_chat))
        else:
            chat = Destination(Platform.DISCORD, str(config.discord_channel))
        rules.append(Rule(chat, config))
    return rules


def origin_of(chat: Destination, message_id: str) -> str:
    """The queue's key for a chat message: one message, one row, ever."""
    return f"{chat.platform}:{chat.chat_id}:{message_id}"


class Autopost:
    """The cross-posting rules, their on/off switches, and the queue rows they make."""

    def __init__(self, ctx: Context, configs: Sequence[CrosspostConfig], notify: Notify) -> None:
        self._ctx = ctx
        self._rules = {(r.chat.platform, r.chat.chat_id): r for r in rules_of(configs)}
        self._notify = notify

    # -- the rules ------------------------------------------------------------------------

    def rule(self, chat: Destination) -> CrosspostConfig | None:
        found = self._rules.get((chat.platform, chat.chat_id))
        return found.config if found else None

    def chats(self, platform: str) -> list[str]:
        """The chat ids of a platform that have a rule (what its adapter must listen to)."""
        return [chat_id for (p, chat_id) in self._rules if p == platform]

    def enabled(self, chat: Destination) -> bool:
        switched = self._ctx.store.state.get(_switch_name(chat))
        return self.rule(chat) is not None and switched is not False

    def switch(self, chat: Destination, on: bool) -> None:
        self._ctx.store.state.put(_switch_name(chat), on)

    # -- what happens in a chat -----------------------------------------------------------

    def on_message(
        self,
        chat: Destination,
        message: ChatMessage,
        *,
        forwarded: bool = False,
        service: bool = False,
        unsupported: str | None = None,
        link: str | None = None,
        chat_name: str = "",
    ) -> int | None:
        """A new message in `chat`: its queue row's id, or None when it is not published
        (why is logged). `unsupported` names what the message is when Threads cannot carry
        it (a poll); `link` and `chat_name` fill the footer's {link} and {chat}."""
        rule = self.rule(chat)
        if rule is None or message.message_id is None:
            return None
        where = f"{chat} message {message.message_id}"
        if not self.enabled(chat):
            log.info("%s: not cross-posted, /autopost is off there", where)
            return None
        skipped = _skip_reason(rule, message, forwarded, service, unsupported)
        request = None if skipped else _request(rule, message, link, chat_name)
        if request is None:
            log.info("%s: not cross-posted: %s", where, skipped or "nothing left to publish")
            return None
        user = message.author or ChatUser(chat.chat_id, chat_name or chat.chat_id)
        queue = self._ctx.store.queue
        try:
            row_id = queue.add(
                KIND,
                chat,
                user,
                request.to_json(),
                origin=origin_of(chat, message.message_id),
                now=self._ctx.clock.time(),
                state=REVIEW if rule.approval else QUEUED,
            )
        except AlreadyQueued as exc:
            log.info("%s: queued before as #%d; not again", where, exc.id)
            return None
        log.info("%s: queued as #%d%s", where, row_id, " for review" if rule.approval else "")
        if rule.approval and self._ctx.reviews is not None:
            # The preview with Approve / Reject goes to the review chat now (a chat that does
            # not take it is tried again by the review desk's own job).
            spawn(self._ctx.reviews.request_review(row_id), name=f"review #{row_id}")
        self._wake()
        return row_id

    async def on_edit(
        self,
        chat: Destination,
        message: ChatMessage,
        *,
        author_chat: Destination | None = None,
        link: str | None = None,
        chat_name: str = "",
        keep_media: bool = False,
    ) -> None:
        """A message of `chat` was edited. Still waiting: its row publishes the new version
        (or is cancelled, when the new one no longer qualifies). Published already: Threads
        cannot edit; the author is told in `author_chat` (their private chat), if given.
        `keep_media`: the edit changes the text only (`message` may not hold all the media:
        one item of an album)."""
        rule = self.rule(chat)
        if rule is None or message.message_id is None:
            return
        row = self._ctx.store.queue.by_origin(origin_of(chat, message.message_id))
        if row is None:
            return  # never queued (skipped, or before cross-posting began): stays so
        where = f"{chat} message {message.message_id} (queued #{row.id})"
        if row.state in (QUEUED, REVIEW):
            if keep_media:
                queued = PublishRequest.from_json(row.request)
                message = replace(message, attachments=queued.attachments)
            skipped = _skip_reason(rule, message, False, False, None)
            request = None if skipped else _request(rule, message, link, chat_name)
            queue = self._ctx.store.queue
            if request is None:
                if queue.cancel(row.id):
                    log.info("%s: edited into %s; cancelled", where, skipped or "nothing")
            elif queue.update_request(row.id, request.to_json()):
                log.info("%s: edited before publishing; the new text goes", where)
            self._wake()
            return
        if row.state in (PUBLISHING, PUBLISHED):
            log.info("%s: edited after publishing; Threads cannot edit", where)
            if author_chat is not None:
                link = row.permalink or "it is being published right now"
                await self._tell(author_chat, EDITED_AFTER.format(link=link))

    async def on_delete(self, chat: Destination, message_id: str) -> None:
        """A message of `chat` was deleted: its waiting row is cancelled; its published post
        is deleted from Threads when the rule says `delete_follows`."""
        rule = self.rule(chat)
        if rule is None:
            return
        queue = self._ctx.store.queue
        row = queue.by_origin(origin_of(chat, message_id))
        if row is None:
            return
        where = f"{chat} message {message_id} (queued #{row.id})"
        if queue.cancel(row.id):
            log.info("%s: deleted before publishing; cancelled", where)
            self._wake()
        elif row.state == PUBLISHED and rule.delete_follows:
            await self._delete_published(row, where)
        elif row.state == PUBLISHED:
            log.info("%s: deleted; its Threads post stays (delete_follows is off)", where)

    # -- helpers --------------------------------------------------------------------------

    async def _delete_published(self, row: QueuedPost, where: str) -> None:
        """Delete every part Threads has of the row's post (a chain's too), last first."""
        state = (
            self._ctx.store.publications.state(row.publication_id) if row.publication_id else None
        )
        media_ids = _media_ids(state)
        for media_id in reversed(media_ids):
            try:
                await self._ctx.threads.delete(media_id)
            except ThreadsError as exc:
                log.warning("%s: deleting Threads post %s failed: %s", where, media_id, exc)
                self._ctx.store.audit.record(
                    row.chat, row.user, "delete", media_id, "error", exc.reason
                )
                return
            self._ctx.store.audit.record(row.chat, row.user, "delete", media_id, "ok", None)
        log.info(
            "%s: deleted in chat, so deleted on Threads too (%d posts)", where, len(media_ids)
        )

    async def _tell(self, chat: Destination, text: str) -> None:
        try:
            await self._notify(chat, text)
        except Exception as exc:  # they never opened a private chat with the bot, say
            log.info("could not tell %s about an edit: %s", chat, exc)

    def _wake(self) -> None:
        if self._ctx.publishing is not None:
            self._ctx.publishing.wake()


def _switch_name(chat: Destination) -> str:
    return f"autopost:{chat.platform}:{chat.chat_id}"


def _skip_reason(
    rule: CrosspostConfig,
    message: ChatMessage,
    forwarded: bool,
    service: bool,
    unsupported: str | None,
) -> str | None:
    """Why the message is not published, or None."""
    if service:
        return "a service message"
    if unsupported:
        return unsupported
    if forwarded and not rule.include_forwards:
        return "a forwarded message (include_forwards is off)"
    other = next((a for a in message.attachments if a.kind == "OTHER"), None)
    if other is not None:
        return f"{other.name or 'a file'}, which Threads cannot carry"
    if rule.mode == "marked" and not _marker(rule.marker).search(message.text):
        return f"not marked with {rule.marker}"
    return None


def _request(
    rule: CrosspostConfig, message: ChatMessage, link: str | None, chat_name: str
) -> PublishRequest | None:
    """What the message publishes: its text without the marker, the footer under it, its
    media and the rule's topic; None when nothing is left."""
    text = message.text
    if rule.mode == "marked":
        text = _marker(rule.marker).sub("", text)
    text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines()).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text and not message.attachments:
        return None
    if rule.footer:
        footer = rule.footer.replace("{link}", link or "").replace("{chat}", chat_name).strip()
        text = f"{text}\n\n{footer}".strip() if footer else text
    topic = rule.topic_tag.removeprefix("#") if rule.topic_tag else None
    options = PostOptions(text=mark_spoilers(text), topic_tag=topic)
    return PublishRequest(KIND, options, message.attachments)


def _marker(marker: str) -> re.Pattern[str]:
    # The marker as a word of its own, in any case: "#threads" but not "#threadsafe".
    # The blanks before it go too: "News #threads: more" -> "News: more".
    return re.compile(rf"\s*(?<!\S){re.escape(marker.strip())}(?!\w)", re.IGNORECASE)


def _media_ids(state: dict[str, object] | None) -> list[str]:
    raw = (state or {}).get("media_ids")
    return [str(m) for m in json.loads(str(raw))] if raw else []
