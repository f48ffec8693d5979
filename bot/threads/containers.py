"""What a media container is made of, checked against Meta's limits before anything is sent.

Checking here turns a round trip that would fail with code 100 into an immediate, clear reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from bot.threads.errors import InvalidParameter
from bot.threads.spoilers import SPOILER_LIMIT

TEXT_LIMIT = 500
"""Meta counts characters, but non-ASCII ones (accents, curly quotes, emoji) count as their UTF-8
bytes: posts of 498 characters and 504 bytes are refused. Counting bytes is the safe reading."""
CAROUSEL_MIN, CAROUSEL_MAX = 2, 20
ALT_TEXT_LIMIT = 1000
POLL_OPTION_LIMIT = 25
TOPIC_TAG_LIMIT = 50
TEXT_ATTACHMENT_LIMIT = 10_000
REPLY_CONTROLS = frozenset(
    {
        "everyone",
        "accounts_you_follow",
        "mentioned_only",
        "parent_post_author_only",
        "followers_only",
    }
)

ContainerType = Literal["TEXT", "IMAGE", "VIDEO", "CAROUSEL"]


def text_length(text: str) -> int:
    """Length of `text` as Threads counts it against the 500 limit."""
    return len(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class ContainerRequest:
    """Parameters of `POST /{user}/threads`; `params()` gives the form fields."""

    media_type: ContainerType
    text: str | None = None
    image_url: str | None = None
    video_url: str | None = None
    alt_text: str | None = None
    is_carousel_item: bool = False
    children: tuple[str, ...] = ()
    reply_to_id: str | None = None
    quote_post_id: str | None = None
    link_attachment: str | None = None
    reply_control: str | None = None
    topic_tag: str | None = None
    poll_options: tuple[str, ...] = ()
    text_attachment: str | None = None  # a long-form body under the post's text
    is_spoiler_media: bool = False
    spoilers: tuple[tuple[int, int], ...] = ()  # (offset, length) of spoiler text ranges
    auto_publish_text: bool = False

    def validate(self) -> None:
        """Raise InvalidParameter naming the first thing Meta would refuse."""
        if self.text is not None and text_length(self.text) > TEXT_LIMIT:
            raise InvalidParameter(
                f"The text is {text_length(self.text)} characters as Threads counts them "
                f"(accents and emoji count double or more); the limit is {TEXT_LIMIT}."
            )
        if self.media_type == "TEXT" and not (self.text or self.link_attachment):
            raise InvalidParameter("A text post needs some text.")
        if self.media_type == "IMAGE" and not self.image_url:
            raise InvalidParameter("An image post needs an image URL.")
        if self.media_type == "VIDEO" and not self.video_url:
            raise InvalidParameter("A video post needs a video URL.")
        if self.media_type == "CAROUSEL" and not (
            CAROUSEL_MIN <= len(self.children) <= CAROUSEL_MAX
        ):
            raise InvalidParameter(
                f"A carousel takes {CAROUSEL_MIN} to {CAROUSEL_MAX} items, "
                f"not {len(self.children)}."
            )
        if self.alt_text and len(self.alt_text) > ALT_TEXT_LIMIT:
            raise InvalidParameter(f"Alt text is limited to {ALT_TEXT_LIMIT} characters.")
        if self.media_type != "TEXT" and (
            self.link_attachment or self.poll_options or self.auto_publish_text
        ):
            raise InvalidParameter("Link previews, polls and auto-publish are for text posts.")
        self._validate_poll()
        self._validate_topic_tag()
        if self.text_attachment is not None:
            if self.media_type != "TEXT" or self.poll_options:
                raise InvalidParameter("A text attachment is for text posts without a poll.")
            if len(self.text_attachment) > TEXT_ATTACHMENT_LIMIT:
                raise InvalidParameter(
                    f"A text attachment holds up to {TEXT_ATTACHMENT_LIMIT:,} characters, not "
                    f"{len(self.text_attachment):,}."
                )
        if len(self.spoilers) > SPOILER_LIMIT:
            raise InvalidParameter(f"A post takes up to {SPOILER_LIMIT} spoilers.")
        if self.reply_control and self.reply_control not in REPLY_CONTROLS:
            raise InvalidParameter(
                f"reply_control must be one of {', '.join(sorted(REPLY_CONTROLS))}."
            )

    def _validate_poll(self) -> None:
        if not self.poll_options:
            return
        if not 2 <= len(self.poll_options) <= 4:
            raise InvalidParameter("A poll has 2 to 4 options.")
        if self.link_attachment:
            raise InvalidParameter("A post cannot have both a poll and a link preview.")
        for option in self.poll_options:
            if not 1 <= len(option) <= POLL_OPTION_LIMIT:
                raise InvalidParameter(
                    f"Poll options are 1 to {POLL_OPTION_LIMIT} characters: {option!r}."
                )

    def _validate_topic_tag(self) -> None:
        tag = self.topic_tag
        if tag is None:
            return
        if not 1 <= len(tag) <= TOPIC_TAG_LIMIT or "." in tag or "&" in tag:
            raise InvalidParameter(
                f"A topic tag is 1 to {TOPIC_TAG_LIMIT} characters without '.' or '&'."
            )

    def params(self) -> dict[str, str | bool | None]:
        poll = None
        if self.poll_options:
            poll = json.dumps(
                {
                    f"option_{letter}": option
                    for letter, option in zip("abcd", self.poll_options, strict=False)
                }
            )
        return {
            "media_type": self.media_type,
            "text": self.text,
            "image_url": self.image_url,
            "video_url": self.video_url,
            "alt_text": self.alt_text,
            "is_carousel_item": self.is_carousel_item or None,
            "children": ",".join(self.children) or None,
            "reply_to_id": self.reply_to_id,
            "quote_post_id": self.quote_post_id,
            "link_attachment": self.link_attachment,
            "reply_control": self.reply_control,
            "topic_tag": self.topic_tag,
            "poll_attachment": poll,
            "text_attachment": (
                json.dumps({"plaintext": self.text_attachment})
                if self.text_attachment is not None
                else None
            ),
            "is_spoiler_media": self.is_spoiler_media or None,
            "text_entities": (
                json.dumps(
                    [
                        {"entity_type": "SPOILER", "offset": offset, "length": length}
                        for offset, length in self.spoilers
                    ]
                )
                if self.spoilers
                else None
            ),
            "auto_publish_text": self.auto_publish_text or None,
        }
