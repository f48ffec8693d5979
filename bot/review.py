"""Review chats: a post proposed by a contributor (or queued by a [[crosspost]] rule with
`approval = true`) waits in the publish queue in state review, and its review chat shows a
preview of exactly what will be published with Approve and Reject buttons. A click comes back
through `Bridge.handle` as the approve or reject command (bot/commands/review.py), where only
publishers get past the permission check.

`ReviewDesk.request_review(row_id)` is what puts a row in front of the reviewers; whoever adds
a row in state review calls it. A review the chat could not take (its platform was down) is
remembered across restarts and shown again by `show_unshown` (at start and every few minutes).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence

from bot.commands.post_options import REPLIES
from bot.commands.publish_request import PublishRequest
from bot.commands.review import APPROVE, REJECT
from bot.events import Button, Destination
from bot.links import first_topic_tag
from bot.threads.chain import split_for_chain
from bot.threads.containers import TEXT_LIMIT, text_length
from bot.threads.spoilers import as_typed, has_spoilers
from storage.bridge_state import BridgeState
from storage.publish_queue import REVIEW, PublishQueue, QueuedPost

log = logging.getLogger(__name__)

UNSHOWN = "reviews not shown"  # bridge_state: row ids whose review the chat did not take
RETRY_EVERY = 300.0  # seconds between attempts to show them again

# A notice to a chat, with buttons under it (none: a plain notice); the adapters' `notify`.
Send = Callable[[Destination, str, Sequence[Button]], Awaitable[None]]

_KINDS = {
    "post": "a post",
    "poll": "a post with a poll",
    "reply": "a reply",
    "quote": "a quote post",
    "crosspost": "a cross-post",
}
_WHO_REPLIES = {
    "everyone": "everyone",
    "accounts_you_follow": "accounts the Threads account follows",
    "mentioned_only": "accounts mentioned in the post",
    "followers_only": "the account's followers",
    "parent_post_author_only": "the author of the post replied to",
}
assert set(_WHO_REPLIES) == set(REPLIES.values())


class ReviewDesk:
    """Where rows waiting for review are shown (one review chat per platform), and how their
    proposers hear the decision."""

    def __init__(
        self,
        queue: PublishQueue,
        chats: Mapping[str, Destination],
        send: Send,
        state: BridgeState,
        *,
        long_text: str = "chain",
    ) -> None:
        self._queue = queue
        self._chats = dict(chats)  # platform -> its review chat
        self._send = send
        self._state = state
        self._long_text = long_text

    def chat_for(self, row: QueuedPost) -> Destination | None:
        """The review chat of the row's platform, else any configured one."""
        return self._chats.get(row.chat.platform) or next(iter(self._chats.values()), None)

    async def request_review(self, row_id: int) -> bool:
        """Show row `row_id` (in state review) in its review chat with Approve / Reject.
        False, with a line in the log, when it could not be shown (the row keeps waiting)."""
        row = self._queue.get(row_id)
        if row is None or row.state != REVIEW:
            log.warning("queued post #%d is not waiting for review; nothing to show", row_id)
            self._mark_unshown(row_id, False)
            return False
        shown = await self._show(row)
        self._mark_unshown(row_id, not shown)
        return shown

    async def show_unshown(self) -> None:
        """Show again the reviews their chat did not take (a row decided or cancelled
        meanwhile is dropped from the list)."""
        for row_id in self._unshown():
            row = self._queue.get(row_id)
            if row is None or row.state != REVIEW:
                self._mark_unshown(row_id, False)
            elif await self._show(row):
                self._mark_unshown(row_id, False)
                log.info("queued post #%d is now shown for review", row_id)

    async def _show(self, row: QueuedPost) -> bool:
        chat = self.chat_for(row)
        if chat is None:
            log.error("queued post #%d waits for review, but no review_chat is set", row.id)
            return False
        text = preview(row, PublishRequest.from_json(row.request), long_text=self._long_text)
        try:
            await self._send(chat, text, review_buttons(row.id))
        except Exception as exc:  # the review chat is gone or down: say so, keep the row
            log.error("could not show queued post #%d in review chat %s: %s", row.id, chat, exc)
            return False
        return True

    def _unshown(self) -> list[int]:
        return [int(row_id) for row_id in self._state.get(UNSHOWN) or []]

    def _mark_unshown(self, row_id: int, unshown: bool) -> None:
        before = self._unshown()
        after = sorted({*before, row_id} if unshown else set(before) - {row_id})
        if after != before:
            self._state.put(UNSHOWN, after)

    async def tell_proposer(self, row_id: int, text: str) -> None:
        """A notice to the chat the row was proposed from. A cross-post rule's row (it has
        an origin: the chat message) came from a feed channel, not a conversation: nothing."""
        row = self._queue.get(row_id)
        if row is None or row.origin is not None:
            return
        try:
            await self._send(row.chat, text, ())
        except Exception as exc:
            log.warning("could not tell %s about queued post #%d: %s", row.chat, row_id, exc)


def review_buttons(row_id: int) -> tuple[Button, Button]:
    return (
        Button("Approve", APPROVE, str(row_id)),
        Button("Reject", REJECT, str(row_id), danger=True),
    )


def preview(row: QueuedPost, request: PublishRequest, *, long_text: str = "chain") -> str:
    """What the reviewers read: who proposed it where, then exactly what goes to Threads (the
    text as it will be split, the media, the poll, the topic, who may reply, the link)."""
    kind = _KINDS.get(request.kind, "a post")
    lines = [
        f"Review #{row.id}: {kind} from {row.user.name} ({row.chat.platform} chat "
        f"{row.chat.chat_id}), to be published on Threads as:",
        "",
        *_text_lines(request, long_text),
    ]
    facts: list[str] = []
    if request.attachments:
        facts.append(f"Media: {_media_words(request)}")
    if request.poll_options:
        facts.append(f"Poll: {' | '.join(request.poll_options)}")
    if request.reply_to_id:
        facts.append(f"In reply to Threads post {request.reply_to_id}")
    if request.quote_post_id:
        facts.append(f"Quoting Threads post {request.quote_post_id}")
    topic = first_topic_tag(request.options.text)
    if topic:
        facts.append(f"Topic: #{topic}")
    control = request.options.reply_control or "everyone"
    facts.append(f"Who may reply: {_WHO_REPLIES.get(control, control)}")
    if request.options.link:
        facts.append(f"Link preview: {request.options.link}")
    if has_spoilers(request.options.text):
        facts.append("The ||marked|| parts are hidden as spoilers on Threads.")
    return "\n".join([*lines, "", *facts])


def _text_lines(request: PublishRequest, long_text: str) -> list[str]:
    text = request.options.text
    if not text.strip():
        return ["(no text)"]
    chosen = request.options.long_text or long_text
    if (
        chosen == "attachment"
        and not request.attachments
        and not request.poll_options
        and text_length(text) > TEXT_LIMIT
    ):
        return [
            "One post, the text beyond its first part as a text attachment:",
            as_typed(text),
        ]
    parts = [as_typed(part) for part in split_for_chain(text)]
    if len(parts) == 1:
        return parts
    lines: list[str] = [f"A chain of {len(parts)} posts, each replying to the one before:"]
    for index, part in enumerate(parts, 1):
        lines += ["", f"[{index}/{len(parts)}]", part]
    return lines


def _media_words(request: PublishRequest) -> str:
    kinds = ["video" if a.kind == "VIDEO" else "photo" for a in request.attachments]
    counted = " and ".join(
        f"{kinds.count(kind)} {kind}{'s' if kinds.count(kind) > 1 else ''}"
        for kind in dict.fromkeys(kinds)
    )
    shape = ", one carousel" if len(kinds) > 1 else ""
    spoiler = ", hidden behind a spoiler" if any(a.spoiler for a in request.attachments) else ""
    return f"{counted}{shape}{spoiler}"
