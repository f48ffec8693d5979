"""adapters/telegram/translate.py from raw Bot API updates, as getUpdates delivers them.

Each update is JSON as Telegram sends it, read by python-telegram-bot itself
(`Update.de_json`); the Bot it needs is never initialised and never reaches the network."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, ChatMember, Message, Update

from adapters.telegram.ordering import _chat_of
from adapters.telegram.translate import command_of, with_role
from bot.events import ChatUser, Command, Destination, Platform, Role

OURBOT = "ThreadsBridgeBot"
BOT = Bot("123:abc")
DATE = 1_764_860_000

MEL = {"id": 1002, "is_bot": False, "first_name": "Mel", "last_name": "Lee", "username": "mel"}
PRIVATE = {"id": 1002, "type": "private", "first_name": "Mel", "last_name": "Lee"}
GROUP = {"id": -1001000000001, "type": "supergroup", "title": "Fans"}
FORUM = {"id": -1001000000003, "type": "supergroup", "title": "Forum", "is_forum": True}
CHANNEL = {"id": -1002000000002, "type": "channel", "title": "News", "username": "news"}
# What Telegram puts in `from` when an admin writes anonymously, or a channel writes in a group.
GROUP_ANONYMOUS_BOT = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"}


def message(
    text: str, chat: dict[str, Any], sender: dict[str, Any] | None = MEL, **fields: Any
) -> dict[str, Any]:
    """A Message object, with the bot_command entity Telegram marks at the start."""
    data: dict[str, Any] = {"message_id": 100, "date": DATE, "chat": chat, "text": text}
    if sender is not None:
        data["from"] = sender
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    if word.startswith("/"):
        data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(word)}]
    return data | fields


def received(payload: dict[str, Any], kind: str = "message") -> Message:
    update = Update.de_json({"update_id": 500, kind: payload}, BOT)
    assert update.effective_message is not None
    return update.effective_message


def translate(payload: dict[str, Any], bot_username: str | None = OURBOT) -> Command | None:
    return command_of(received(payload), bot_username)


def test_a_private_chat_command_comes_from_the_chat_s_owner() -> None:
    command = translate(message("/watch bob", PRIVATE))
    assert command == Command(
        name="watch",
        args="bob",
        user=ChatUser("1002", "Mel Lee"),
        chat=Destination(Platform.TELEGRAM, "1002"),
        role=Role.OWNER,
        message_id="100",  # the command's own message: one publish per message
    )


@pytest.mark.parametrize("addressee", ["ThreadsBridgeBot", "threadsbridgebot", "THREADSBRIDGEBOT"])
def test_a_group_command_addressed_to_us(addressee: str) -> None:
    command = translate(message(f"/watch@{addressee} bob", GROUP))
    assert command is not None
    assert (command.name, command.args) == ("watch", "bob")
    assert command.chat == Destination(Platform.TELEGRAM, "-1001000000001")
    # The message does not say whether a group member is an admin: the adapter asks.
    assert command.role is Role.MEMBER


def test_a_command_for_another_bot_is_not_ours() -> None:
    assert translate(message("/watch@OtherBot bob", GROUP)) is None


def test_before_our_username_is_known_any_addressee_is_accepted() -> None:
    command = translate(message("/list@OtherBot", GROUP), bot_username=None)
    assert command is not None and command.name == "list"


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/WATCH bob", "watch", "bob"),
        ("/Watch@ThreadsBridgeBot    @Bob   ", "watch", "@Bob"),
        ("/post  first line\nsecond line \n", "post", "first line\nsecond line"),
        ("/list", "list", ""),
        ("/status@ThreadsBridgeBot", "status", ""),
    ],
)
def test_names_are_lower_cased_and_arguments_stripped(text: str, name: str, args: str) -> None:
    command = translate(message(text, GROUP))
    assert command is not None and (command.name, command.args) == (name, args)


@pytest.mark.parametrize(
    "payload",
    [
        message("hello there", GROUP),
        message("see /watch", GROUP, entities=[{"type": "bot_command", "offset": 4, "length": 6}]),
        message("/watch bob", GROUP, entities=[{"type": "bold", "offset": 0, "length": 6}]),
    ],
    ids=["plain text", "command not at the start", "no bot_command entity"],
)
def test_what_is_not_a_command(payload: dict[str, Any]) -> None:
    assert translate(payload) is None


def test_a_forum_topic_message_answers_into_its_topic() -> None:
    topic_created = {
        "message_id": 42,
        "date": DATE - 60,
        "chat": FORUM,
        "from": MEL,
        "message_thread_id": 42,
        "forum_topic_created": {"name": "Threads", "icon_color": 7322096},
        "is_topic_message": True,
    }
    payload = message(
        "/watch bob",
        FORUM,
        message_thread_id=42,
        is_topic_message=True,
        reply_to_message=topic_created,  # every message of a topic "replies" to its start
    )

    command = translate(payload)

    assert command is not None
    assert command.chat == Destination(Platform.TELEGRAM, "-1001000000003", "42")
    assert command.reply_to_message_id is None


def test_a_reply_inside_a_topic_names_the_message_answered() -> None:
    earlier = {
        "message_id": 77,
        "date": DATE - 30,
        "chat": FORUM,
        "from": CHANNEL_BOT,
        "text": "a bridged post",
        "message_thread_id": 42,
        "is_topic_message": True,
    }
    payload = message(
        "/reply I agree",
        FORUM,
        message_thread_id=42,
        is_topic_message=True,
        reply_to_message=earlier,
    )

    command = translate(payload)

    assert command is not None
    assert (command.chat.topic_id, command.reply_to_message_id) == ("42", "77")
    assert command.args == "I agree"


def test_the_general_topic_of_a_forum_is_the_chat_itself() -> None:
    command = translate(message("/list", FORUM))
    assert command is not None and command.chat.topic_id == ""


def test_a_reply_thread_outside_a_forum_is_not_a_topic() -> None:
    # Telegram also sets message_thread_id on replies in ordinary supergroups.
    earlier = {"message_id": 90, "date": DATE - 5, "chat": GROUP, "from": MEL, "text": "hi"}
    payload = message("/reply nice", GROUP, message_thread_id=90, reply_to_message=earlier)

    command = translate(payload)

    assert command is not None
    assert command.chat == Destination(Platform.TELEGRAM, "-1001000000001")
    assert command.reply_to_message_id == "90"


def test_a_reply_in_a_basic_group_names_the_message_answered() -> None:
    basic = {"id": -4000000001, "type": "group", "title": "Friends"}
    earlier = {"message_id": 12, "date": DATE - 5, "chat": basic, "from": MEL, "text": "look"}

    command = translate(message("/reply wow", basic, reply_to_message=earlier))

    assert command is not None
    assert command.chat == Destination(Platform.TELEGRAM, "-4000000001")
    assert (command.reply_to_message_id, command.role) == ("12", Role.MEMBER)


def test_an_anonymous_admin_writes_as_the_group() -> None:
    payload = message("/watch bob", GROUP, sender=GROUP_ANONYMOUS_BOT, sender_chat=GROUP)

    command = translate(payload)

    assert command is not None
    assert command.role is Role.ADMIN  # only admins can post as the group
    # The sender Telegram names is its stand-in bot, the same in every group.
    assert command.user == ChatUser("1087968824", "Group")


def test_a_channel_writing_in_a_group_is_not_an_admin_of_it() -> None:
    linked = {"id": -1002000000009, "type": "channel", "title": "Linked"}
    payload = message("/watch bob", GROUP, sender=CHANNEL_BOT, sender_chat=linked)

    command = translate(payload)

    assert command is not None and command.role is Role.MEMBER
    assert command.user == ChatUser("136817688", "Channel")


def test_a_channel_post_comes_from_the_channel_and_its_admins() -> None:
    payload = message("/watch bob", CHANNEL, sender=None, sender_chat=CHANNEL)

    command = command_of(received(payload, kind="channel_post"), OURBOT)

    assert command == Command(
        name="watch",
        args="bob",
        user=ChatUser("-1002000000002", "News"),
        chat=Destination(Platform.TELEGRAM, "-1002000000002"),
        role=Role.ADMIN,
        message_id="100",
    )


def test_a_sender_chat_without_a_title_is_named_by_its_username_or_id() -> None:
    untitled = {"id": -1002000000004, "type": "channel", "username": "quiet"}
    payload = message("/list", untitled, sender=None, sender_chat=untitled)
    command = command_of(received(payload, kind="channel_post"), OURBOT)
    assert command is not None and command.user.name == "quiet"


def test_a_message_from_nobody_is_dropped() -> None:
    assert translate(message("/list", CHANNEL, sender=None)) is None


@pytest.mark.parametrize(
    ("status", "role"),
    [
        (ChatMember.OWNER, Role.ADMIN),
        (ChatMember.ADMINISTRATOR, Role.ADMIN),
        (ChatMember.MEMBER, Role.MEMBER),
        (ChatMember.RESTRICTED, Role.MEMBER),
        (ChatMember.LEFT, Role.MEMBER),
        (ChatMember.BANNED, Role.MEMBER),
    ],
)
def test_with_role_reads_a_get_chat_member_status(status: str, role: Role) -> None:
    command = translate(message("/watch bob", GROUP))
    assert command is not None
    assert with_role(command, status) == Command(
        "watch", "bob", command.user, command.chat, role=role, message_id="100"
    )


def test_with_role_from_a_get_chat_member_answer() -> None:
    # What getChatMember returns for the group's creator, read by python-telegram-bot.
    member = ChatMember.de_json(
        {"status": "creator", "user": MEL, "is_anonymous": False, "custom_title": "boss"}, BOT
    )
    command = translate(message("/unwatch bob", GROUP))
    assert command is not None
    assert with_role(command, member.status).role is Role.ADMIN


def test_updates_are_ordered_per_chat() -> None:
    in_group = Update.de_json({"update_id": 1, "message": message("/list", GROUP)}, BOT)
    in_private = Update.de_json({"update_id": 2, "message": message("/list", PRIVATE)}, BOT)
    post = message("/list", CHANNEL, sender=None, sender_chat=CHANNEL)
    in_channel = Update.de_json({"update_id": 3, "channel_post": post}, BOT)
    assert [_chat_of(u) for u in (in_group, in_private, in_channel)] == [
        -1001000000001,
        1002,
        -1002000000002,
    ]
    assert _chat_of(Update.de_json({"update_id": 4}, BOT)) is None
    assert _chat_of("not an update") is None


PHOTO_SIZES = [
    {"file_id": "thumb-id", "file_unique_id": "t", "width": 90, "height": 90, "file_size": 900},
    {"file_id": "full-id", "file_unique_id": "f", "width": 1280, "height": 960, "file_size": 9000},
]


def captioned(caption: str, **media: Any) -> dict[str, Any]:
    """A photo or video message whose caption starts with a command."""
    data: dict[str, Any] = {"message_id": 101, "date": DATE, "chat": PRIVATE, "from": MEL}
    word = caption.split(maxsplit=1)[0]
    data["caption"] = caption
    data["caption_entities"] = [{"type": "bot_command", "offset": 0, "length": len(word)}]
    return data | media


def test_a_photo_captioned_with_a_command_carries_the_full_size_photo() -> None:
    command = translate(captioned("/post Sunset", photo=PHOTO_SIZES, has_media_spoiler=True))
    assert command is not None
    assert (command.name, command.args) == ("post", "Sunset")
    (attachment,) = command.attachments
    assert (attachment.kind, attachment.ref, attachment.size) == ("IMAGE", "full-id", 9000)
    assert attachment.content_type == "image/jpeg"
    assert attachment.spoiler
    assert attachment.public_url is None  # a Telegram file URL holds the token: never direct


def test_a_video_and_a_document_and_a_sticker_are_described_for_the_limits() -> None:
    video = {
        "file_id": "v", "file_unique_id": "v", "width": 1, "height": 1, "duration": 400,
        "mime_type": "video/mp4", "file_size": 5000,
    }  # fmt: skip
    document = {
        "file_id": "d",
        "file_unique_id": "d",
        "file_name": "a.gif",
        "mime_type": "image/gif",
    }
    sticker = {
        "file_id": "s", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": False,
        "is_video": False, "type": "regular",
    }  # fmt: skip
    (clip,) = translate(captioned("/post a", video=video)).attachments  # type: ignore[union-attr]
    (gif,) = translate(captioned("/post b", document=document)).attachments  # type: ignore[union-attr]
    (stuck,) = translate(captioned("/post c", sticker=sticker)).attachments  # type: ignore[union-attr]
    assert (clip.kind, clip.duration, clip.content_type) == ("VIDEO", 400.0, "video/mp4")
    assert (gif.kind, gif.content_type, gif.name) == ("IMAGE", "image/gif", "a.gif")
    assert (stuck.kind, stuck.name) == ("OTHER", "a sticker")


def test_telegram_spoilers_become_marks_the_core_reads() -> None:
    # "/post 😀 big ||news||": the emoji is two UTF-16 units, as Telegram counts offsets.
    text = "/post 😀 big news today"
    payload = message(text, PRIVATE)
    payload["entities"].append({"type": "spoiler", "offset": 13, "length": 4})
    command = translate(payload)
    assert command is not None
    assert command.args == "😀 big ||news|| today"


def test_a_command_answering_a_message_carries_that_message() -> None:
    written = {
        "message_id": 90, "date": DATE, "chat": GROUP, "from": MEL, "caption": "Mural wow",
        "photo": PHOTO_SIZES,
        "caption_entities": [{"type": "spoiler", "offset": 6, "length": 3}],
    }  # fmt: skip
    command = translate(message("/crosspost", GROUP, reply_to_message=written))
    assert command is not None
    answered = command.answered
    assert answered is not None
    assert (answered.text, answered.message_id) == ("Mural ||wow||", "90")
    assert answered.author == ChatUser("1002", "Mel Lee")
    assert [a.ref for a in answered.attachments] == ["full-id"]
