"""The Telegram fake's model of chats, members, files and its Telegram-style refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    ReplyParameters,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError

from tests.fakes.telegram import ApiError, FakeTelegram
from tests.fakes.telegram.formatting import parse_html, render
from tests.fakes.telegram.raw import RawApi, post_api

TOKEN = "123456:TEST-TOKEN"
ALICE, BOB = 42, 43
GROUP = -1001000000001
CHANNEL = -1001000000002


@pytest.fixture(autouse=True)
def _loopback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, rate_limits=False) as server:
        server.add_user(ALICE, "Alice", "alice")
        server.add_user(BOB, "Bob", "bob")
        server.add_chat(ALICE, "private")
        server.add_chat(GROUP, "supergroup", title="Group")
        server.add_chat(CHANNEL, "channel", title="Channel", username="bridge_news")
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    status, body = await post_api(fake.base_url, "999:WRONG", "getMe")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake.base_url):  # shuts its client down on failure
            pass


async def test_json_and_query_bodies_are_understood(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        response = await client.post(
            f"{fake.base_url}{TOKEN}/sendMessage",
            json={"chat_id": ALICE, "text": "json", "reply_markup": {"remove_keyboard": True}},
        )
        query = await client.get(f"{fake.base_url}{TOKEN}/getChat", params={"chat_id": ALICE})
    assert response.json()["result"]["text"] == "json"
    assert fake.sent[0].reply_markup == {"remove_keyboard": True}
    assert query.json()["result"]["first_name"] == "Alice"


async def test_without_the_spec_the_fake_still_validates_its_own_tables() -> None:
    async with FakeTelegram(token=TOKEN, spec=False) as offline:
        offline.add_chat(ALICE, "private")
        async with RawApi(offline.base_url, TOKEN) as api:
            status, body = await api("sendMessage", {"chat_id": ALICE, "text": "x", "bogus": 1})
            assert (status, body["description"]) == (400, "Bad Request: unknown parameter bogus")
            status, body = await api("sendMessage", {"chat_id": ALICE})
            assert body["description"] == "Bad Request: text is required"
            status, body = await api("sendPoll", {"chat_id": ALICE})
            assert status == 400 and "not implemented in the fake" in body["description"]


async def test_topics_exist_only_in_forums(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message thread not found"):
        await bot.send_message(GROUP, "x", message_thread_id=5)
    with pytest.raises(ValueError, match="not a forum"):
        fake.send_text(GROUP, ALICE, "x", message_thread_id=5)


async def test_replies_need_an_existing_message(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await bot.send_message(ALICE, "x", reply_to_message_id=999)
    lenient = ReplyParameters(999, allow_sending_without_reply=True)
    message = await bot.send_message(ALICE, "x", reply_parameters=lenient)
    assert message.reply_to_message is None
    original = fake.send_text(ALICE, ALICE, "hello")
    reply = await bot.send_message(ALICE, "hi", reply_to_message_id=original["message_id"])
    assert reply.reply_to_message is not None and reply.reply_to_message.text == "hello"
    assert fake.sent_to(ALICE)[-1].reply_to_message_id == original["message_id"]


async def test_channels_by_username_and_admin_rights(fake: FakeTelegram, bot: Bot) -> None:
    posted = await bot.send_message("@bridge_news", "news")
    assert posted.chat_id == CHANNEL and posted.sender_chat is not None
    fake.set_member(CHANNEL, bot.id, "member")
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights in the channel chat"):
        await bot.send_message(CHANNEL, "more news")


async def test_a_bot_that_left_cannot_send(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_member(GROUP, bot.id, "left")
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the supergroup chat"):
        await bot.send_message(GROUP, "still here?")


async def test_migrated_group_points_to_the_supergroup(fake: FakeTelegram, bot: Bot) -> None:
    fake.add_chat(-4001, "group", title="Old")
    fake.migrate_chat(-4001, -1004001)
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(-4001, "hello")
    assert caught.value.new_chat_id == -1004001
    await bot.send_message(-1004001, "hello again")


async def test_media_by_url_file_id_and_failures(fake: FakeTelegram, bot: Bot) -> None:
    first = await bot.send_photo(ALICE, "https://cdn.example/p.jpg")
    again = await bot.send_photo(ALICE, first.photo[-1].file_id)
    assert again.photo[-1].file_id == first.photo[-1].file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_video(ALICE, "not-a-file-id")
    fake.reject_url("https://cdn.example/expired.mp4")
    with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
        await bot.send_video(ALICE, "https://cdn.example/expired.mp4")
    assert len(fake.sent_to(ALICE)) == 2


async def test_keyboards_and_parse_modes_are_checked(bot: Bot) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(ALICE, "x", reply_markup=too_long)
    with pytest.raises(BadRequest, match=r"(?i)unsupported parse_mode"):
        await bot.send_message(ALICE, "x", parse_mode="BBCode")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ALICE, "<b> </b>", parse_mode="HTML")


async def test_commands_and_their_scope_are_checked(bot: Bot) -> None:
    assert await bot.set_my_commands([BotCommand("watch", "Watch a profile")])
    status = [BotCommand("status", "Status")]
    assert await bot.set_my_commands(status, scope=BotCommandScopeChat(GROUP))
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Not-Valid", "x")])
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.set_my_commands(status, scope=BotCommandScopeChat(-9))


async def test_callback_queries_are_answered_once(fake: FakeTelegram, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    ours = await bot.send_message(ALICE, "menu", reply_markup=keyboard)
    query = fake.send_callback_query(ALICE, ALICE, ours.message_id, "go")
    assert not fake.callback_answered(query["id"])
    assert await bot.answer_callback_query(query["id"])
    assert fake.callback_answered(query["id"])
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query["id"])
    with pytest.raises(ValueError, match="no button"):
        fake.send_callback_query(ALICE, ALICE, ours.message_id, "nope")


async def test_only_own_text_messages_can_be_edited(fake: FakeTelegram, bot: Bot) -> None:
    theirs = fake.send_text(ALICE, ALICE, "mine")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=theirs["message_id"])
    photo = await bot.send_photo(ALICE, "https://cdn.example/p.jpg")
    with pytest.raises(BadRequest, match=r"(?i)there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=photo.message_id)


async def test_only_own_media_captions_can_be_edited(fake: FakeTelegram, bot: Bot) -> None:
    photo = await bot.send_photo(ALICE, "https://cdn.example/p.jpg", caption="before")
    edited = await bot.edit_message_caption(ALICE, photo.message_id, caption="<b>after</b>",
                                            parse_mode="HTML")  # fmt: skip
    assert isinstance(edited, Message) and edited.caption == "after"
    assert fake.message(ALICE, photo.message_id)["caption_entities"][0]["type"] == "bold"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_caption(ALICE, photo.message_id, caption="<b>after</b>",
                                       parse_mode="HTML")  # fmt: skip
    text = await bot.send_message(ALICE, "words")
    with pytest.raises(BadRequest, match=r"(?i)there is no caption in the message to edit"):
        await bot.edit_message_caption(ALICE, text.message_id, caption="x")
    theirs = fake.send_media(ALICE, ALICE, [("photo", b"\xff\xd8\xff")], "theirs")[0]
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_caption(ALICE, theirs["message_id"], caption="x")


async def test_the_bot_deletes_its_own_messages_and_others_only_as_an_admin(
    fake: FakeTelegram, bot: Bot
) -> None:
    own = await bot.send_message(GROUP, "mine")
    assert await bot.delete_message(GROUP, own.message_id) is True
    assert fake.message(GROUP, own.message_id) is None
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(GROUP, own.message_id)
    theirs = fake.send_text(GROUP, ALICE, "theirs")
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await bot.delete_message(GROUP, theirs["message_id"])
    fake.set_member(GROUP, fake.bot_user.id, "administrator")
    assert await bot.delete_message(GROUP, theirs["message_id"]) is True


async def test_privacy_mode_decides_what_the_bot_sees_in_groups(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.send_text(GROUP, ALICE, "chatter")
    fake.send_text(GROUP, ALICE, "hey @threads_bridge_test_bot")
    fake.set_member(GROUP, bot.id, "administrator")
    fake.send_text(GROUP, ALICE, "admins see all")
    texts = [u.message.text for u in await bot.get_updates() if u.message]
    assert texts == ["hey @threads_bridge_test_bot", "admins see all"]
    async with FakeTelegram(token=TOKEN, privacy_mode=False) as open_bot:
        open_bot.add_user(ALICE, "Alice")
        open_bot.add_chat(-5, "group")
        open_bot.send_text(-5, ALICE, "chatter")
        assert len(open_bot.pending_updates) == 1


async def test_get_chat_returns_full_info(bot: Bot) -> None:
    group = await bot.get_chat(GROUP)
    assert group.title == "Group" and group.type == "supergroup"
    private = await bot.get_chat(ALICE)
    assert private.username == "alice"
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(GROUP, 777)


async def test_injected_server_errors_and_records(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("getChat", "Internal Server Error", status=500, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError):
            await bot.get_chat(ALICE)
    await bot.get_chat(ALICE)
    assert [c.status for c in fake.calls_to("getChat")] == [500, 500, 200]


async def test_inbound_helpers_refuse_impossible_setups(fake: FakeTelegram) -> None:
    with pytest.raises(ValueError, match="does not start with a /command"):
        fake.send_command(ALICE, ALICE, "watch bob")
    with pytest.raises(KeyError, match="add_user"):
        fake.send_text(GROUP, 999, "who am I")
    with pytest.raises(ValueError, match="not a channel"):
        fake.send_channel_post(GROUP, "x")
    with pytest.raises(ValueError, match="positive ids"):
        fake.add_chat(-7, "private")
    with pytest.raises(ValueError, match="status must be one of"):
        fake.set_member(GROUP, ALICE, "owner")
    # Writing to the bot opens the private chat.
    fake.add_user(50, "Dana")
    fake.send_command(50, 50, "/start")
    assert fake.state.chats[50].type == "private"


def test_html_details_follow_telegram() -> None:
    text, entities = parse_html(
        '<blockquote expandable>q</blockquote> <a href="https://x.example/?a=1&amp;b=2">l</a>'
        " &#128512;&nbsp;&lt;"
    )
    assert text == "q l 😀&nbsp;<"  # only &lt; &gt; &amp; &quot; and numeric entities decode
    assert entities[0] == {"type": "expandable_blockquote", "offset": 0, "length": 1}
    assert entities[1]["url"] == "https://x.example/?a=1&b=2"
    assert parse_html("<b></b>x") == ("x", [])  # empty entities are dropped
    with pytest.raises(ApiError, match="Unexpected end tag at byte offset 1"):
        parse_html("x</b>")


def test_mentions_are_found_as_telegram_finds_them() -> None:
    text, entities = render(
        "hi @someone 😀 @someone_else: <code>@in_code</code> <a href='https://x.example'>@linked</a>"
        " me@example.com https://www.threads.com/@in_url @bob @a\u2060bcdef @" + "x" * 33,
        "HTML",
        None,
    )
    mentions = [
        text[e["offset"] : e["offset"] + e["length"]] for e in entities if e["type"] == "mention"
    ]
    # No emoji before the first; the second's offset counts the emoji as two UTF-16 units.
    assert mentions[0] == "@someone"
    assert [e for e in entities if e["type"] == "mention"][1]["offset"] == 15
    assert len(mentions) == 2  # code, link, e-mail, URL, short, joined and too long are not
