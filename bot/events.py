"""Platform-neutral types shared by the core, the Threads service layer, storage and adapters.

Nothing here knows about HTTP, Discord or Telegram: these are the words the rest of the code
speaks. Threads JSON becomes these types in `bot.threads.models`; adapters render them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.search import search_label


class MediaKind(StrEnum):
    """What a Threads post is, as Threads reports it in `media_type`."""

    TEXT = "TEXT_POST"
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    CAROUSEL = "CAROUSEL_ALBUM"
    AUDIO = "AUDIO"
    REPOST = "REPOST_FACADE"
    OTHER = "OTHER"  # a media type this release does not know: shown as a link


@dataclass(frozen=True, slots=True)
class Profile:
    """A Threads account: the connected one (`/me`) or a public one (`profile_lookup`)."""

    id: str | None
    username: str
    name: str | None = None
    picture_url: str | None = None
    biography: str | None = None
    is_verified: bool = False
    follower_count: int | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """One image or video of a post (a carousel has several)."""

    kind: MediaKind
    url: str | None
    thumbnail_url: str | None = None
    alt_text: str | None = None


@dataclass(frozen=True, slots=True)
class Poll:
    """A poll attached to a text post."""

    options: tuple[str, ...]
    percentages: tuple[float | None, ...] = ()
    total_votes: int | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """A published Threads post, reply, quote or repost."""

    id: str
    kind: MediaKind
    text: str = ""
    username: str | None = None
    permalink: str | None = None
    shortcode: str | None = None
    timestamp: datetime | None = None
    media: tuple[Media, ...] = ()
    is_reply: bool = False
    replied_to_id: str | None = None
    root_post_id: str | None = None
    quoted_post_id: str | None = None
    reposted_post_id: str | None = None
    has_replies: bool = False
    link_attachment_url: str | None = None
    topic_tag: str | None = None
    gif_url: str | None = None
    poll: Poll | None = None
    is_spoiler_media: bool = False
    author_picture_url: str | None = None
    hide_status: str | None = None
    reply_approval_status: str | None = None  # "pending" / "ignored": waits for approval
    # A long-form body (`text_attachment.plaintext`, up to 10,000 characters) under the text.
    text_attachment: str | None = None
    # SPOILER `text_entities` of `text`: (offset, length) in characters.
    spoilers: tuple[tuple[int, int], ...] = ()
    # A ghost post (archived by Threads 24 h after it was posted): when it expires.
    ghost_expires_at: datetime | None = None

    @property
    def is_quote(self) -> bool:
        return self.quoted_post_id is not None

    @property
    def is_repost(self) -> bool:
        return self.kind is MediaKind.REPOST


# -- chat side ------------------------------------------------------------------------------


class Platform(StrEnum):
    TELEGRAM = "telegram"
    DISCORD = "discord"
    CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Destination:
    """Where deliveries go: a chat (and optionally a forum topic / thread in it)."""

    platform: Platform  # a StrEnum: stored and compared as the plain string
    chat_id: str
    topic_id: str = ""

    def __str__(self) -> str:
        topic = f"/{self.topic_id}" if self.topic_id else ""
        return f"{self.platform}:{self.chat_id}{topic}"


class SourceKind(StrEnum):
    PROFILE = "profile"  # a public profile, via profile_posts (costs discovery calls)
    ME = "me"  # the connected account, via /me/threads (no discovery quota)
    REPLIES = "replies"  # others' replies to the connected account's posts (conversations)
    MENTIONS = "mentions"  # posts that mention the connected account (/me/mentions)
    SEARCH = "search"  # public posts matching words or a #tag (keyword_search: its own budget)


@dataclass(frozen=True, slots=True)
class Source:
    """A Threads stream that is polled once per interval, whoever watches it."""

    id: int
    kind: SourceKind
    key: str  # the username, "me", or a search (bot/search.py: `words:...`, `tag:...`)
    # Unix time the last successful poll began (a search: its newest post's second, see
    # jobs/search_polling.py); None until the first
    cursor: int | None = None
    last_polled: float | None = None
    failures: int = 0
    last_error: str | None = None

    @property
    def label(self) -> str:
        if self.kind is SourceKind.SEARCH:
            return search_label(self.key)
        if self.kind is SourceKind.ME:
            return "your account"
        if self.kind is SourceKind.REPLIES:
            return "replies to your posts"
        if self.kind is SourceKind.MENTIONS:
            return "mentions of your account"
        return f"@{self.key}"


@dataclass(frozen=True, slots=True)
class FeedSettings:
    """What one subscription lets through and how its posts read (/settings, [[feeds]]).

    The defaults let everything through as the platform renders it today. Words match whole
    words, in any case; `regex` is a pattern for the linear-time engine (bot/filters.py);
    `template` shapes the post's text (bot/templates.py), None: the text as it is.
    """

    include: tuple[str, ...] = ()  # at least one of these words, when any are given
    exclude: tuple[str, ...] = ()  # none of these words
    regex: str | None = None  # the text must match it (searched, not anchored)
    replies: bool = True
    reposts: bool = True
    quotes: bool = True
    media_only: bool = False  # only posts with an image or a video
    template: str | None = None


@dataclass(frozen=True, slots=True)
class Subscription:
    id: int
    source: Source
    destination: Destination
    origin: str  # "config" (declared in the file) or "chat" (made with /watch)
    paused_reason: str | None = None
    started_at: float = 0.0  # when it (re)started receiving: the fan-out's cut-off
    paused_at: float | None = None  # held by the chat (/pause) since then: it queues nothing
    settings: FeedSettings = FeedSettings()

    @property
    def paused(self) -> bool:
        return self.paused_reason is not None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """A post as it is delivered: the post, who wrote it, and what it quotes/reposts/answers."""

    post: Post
    author: Profile | None = None
    related: Post | None = None
    # A top-level reply to one of the connected account's posts: its publishers may hide and
    # unhide it (manage_reply), so it is delivered with those buttons.
    moderated: bool = False


@dataclass(frozen=True, slots=True)
class Delivery:
    """One outbox row: a feed item owed to one destination."""

    id: int
    item: FeedItem
    destination: Destination
    subscription_id: int
    attempts: int = 0
    template: str | None = None  # the subscription's (FeedSettings.template)


class Role(StrEnum):
    """What the sender may do in the chat the command came from."""

    OWNER = "owner"  # a private chat with the bot: the user is the chat
    ADMIN = "admin"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class ChatUser:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or video sent in chat, as its platform describes it (nothing downloaded yet).

    `ref` is the platform's own handle (a Telegram file_id, a Discord attachment URL), fetched
    only through that platform's adapter. `public_url` is set when the platform's URL carries
    no credential and Meta may fetch it directly (Discord); a Telegram file URL holds the bot
    token and is never exposed.
    """

    platform: str
    kind: str  # "IMAGE", "VIDEO", or "OTHER" (a sticker, a voice note: refused in words)
    ref: str
    content_type: str | None = None
    size: int | None = None  # bytes, when the platform says
    duration: float | None = None  # seconds, for videos when the platform says
    name: str | None = None
    spoiler: bool = False  # sent hidden behind a spoiler in chat
    public_url: str | None = None


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A message someone wrote in chat, as /crosspost publishes it: its text and media."""

    text: str
    attachments: tuple[Attachment, ...] = ()
    author: ChatUser | None = None
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class Command:
    """A chat command, translated from the platform's event by its adapter."""

    name: str
    args: str
    user: ChatUser
    chat: Destination
    role: Role = Role.MEMBER
    reply_to_message_id: str | None = None  # the chat message the command answers, if any
    user_roles: tuple[str, ...] = ()  # platform role ids (Discord), for role-based publishers
    attachments: tuple[Attachment, ...] = ()  # photos and videos sent with the command
    message_id: str | None = None  # the command's own chat message (one publish per message)
    answered: ChatMessage | None = None  # the message the command answers, when it is known
    # Set only by the bridge, when it runs a command again because its confirmation button
    # was clicked (see `Confirm`): adapters never set it, so typing a command cannot.
    confirmed: bool = False


@dataclass(frozen=True, slots=True)
class Confirm:
    """A button an answer carries: the command it answers is done only when it is clicked.

    A handler returns `Reply(text, confirm=Confirm(label, args))`; the bridge stores the pending
    action (storage/confirmations.py) and fills in `action_id`, the unguessable token the
    adapter puts in the button (Telegram callback_data, Discord custom_id). A click comes back
    as `Command(name=bot.confirm.CONFIRM, args=action_id)`, and the bridge runs the command
    again with `args` and `confirmed=True`, for the same user, within ten minutes, once.
    """

    label: str  # the button, e.g. "Delete"
    args: str  # what the confirmed command runs with (e.g. the resolved media id)
    action_id: str = ""  # set by the bridge


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a notice the bridge sends on its own (a review's Approve / Reject).

    A click comes back from the adapter as `Command(name=command, args=args)` from whoever
    clicked, through `Bridge.handle`, whose permission check decides (bot/commands/review.py).
    Adapters carry `command` and `args` in the button (Telegram callback_data, Discord
    custom_id): both are short and plain (`args` of letters, digits, `_` and `-`).
    """

    label: str
    command: str
    args: str
    danger: bool = False  # drawn as a destructive choice where the platform can


@dataclass(frozen=True, slots=True)
class Image:
    """A picture an answer carries (an /insights chart): PNG bytes made by the bridge, sent
    as an upload (a Telegram photo, a Discord file), never as a URL."""

    data: bytes
    filename: str  # e.g. "insights-week.png"
    description: str = ""  # alt text, where the platform takes one (Discord)


@dataclass(frozen=True, slots=True)
class MessageUpdate:
    """What a button click changes on the chat message that carries the button (a delivered
    reply hidden on Threads): the status line under the post (None: no status line any more)
    and the bridge's buttons in place of the old ones (link buttons stay)."""

    status: str | None
    buttons: tuple[Button, ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bridge answers to a command. Plain text: adapters escape and format it."""

    text: str
    ok: bool = True  # False for refusals and errors
    private: bool = False  # only the sender should see it, where the platform allows
    confirm: Confirm | None = None  # a confirmation button under the answer
    image: Image | None = None  # sent with the text: as its caption where it fits
    update: MessageUpdate | None = None  # what a click changes on the message it came from
    # /preview: a post the adapter sends after the text as it delivers one (its render and
    # send), recording no delivery and no message-map entry
    preview: FeedItem | None = None
    buttons: tuple[Button, ...] = ()  # under the answer; a click runs their command
