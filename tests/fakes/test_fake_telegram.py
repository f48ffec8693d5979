"""The Telegram fake driven through the real python-telegram-bot: polling, commands, channel
posts, media, keyboards, and the errors PTB must see exactly as real Telegram sends them."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    InputMediaVideo,
    Update,
)
from telegram.error import BadRequest, Forbidden, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    filters,
)

from tests.fakes.telegram import FakeTelegram

TOKEN = "123456:TEST-TOKEN"
ALICE, BOB = 42, 43
GROUP = -1001000000001
CHANNEL = -1001000000002
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _loopback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN) as server:
        server.add_user(ALICE, "Alice", "alice")
        server.add_user(BOB, "Bob", "bob")
        server.add_chat(ALICE, "private")
        server.add_chat(GROUP, "supergroup", title="Bridge group")
        server.add_chat(CHANNEL, "channel", title="Bridge channel")
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


def build_app(fake: FakeTelegram, *, rate_limiter: AIORateLimiter | None = None) -> Application:
    builder = ApplicationBuilder().token(TOKEN).base_url(fake.base_url)
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    return builder.build()


class Polling:
    """Runs an Application with long polling the way fake-servers.md 1.6 describes."""

    def __init__(self, app: Application) -> None:
        self.app = app

    async def __aenter__(self) -> Application:
        await self.app.initialize()
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0, timeout=1)
        await self.app.start()
        return self.app

    async def __aexit__(self, *exc: object) -> None:
        assert self.app.updater is not None
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()


async def test_initialize_calls_get_me(fake: FakeTelegram, bot: Bot) -> None:
    assert bot.username == "threads_bridge_test_bot"
    assert bot.id == 123456
    assert [c.method for c in fake.calls] == ["getMe"]


async def test_polling_app_receives_a_command_and_replies(fake: FakeTelegram) -> None:
    async def watch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"watching {' '.join(context.args or [])}")

    app = build_app(fake)
    app.add_handler(CommandHandler("watch", watch))
    async with Polling(app):
        sent = fake.send_command(ALICE, ALICE, "/watch bob")
        await fake.wait_for(lambda f: len(f.sent_to(ALICE)) == 1)
        # The next poll confirms the update by its offset.
        await fake.wait_for(lambda f: not f.pending_updates)

    reply = fake.sent_to(ALICE)[0]
    assert reply.method == "sendMessage"
    assert reply.text == "watching bob"
    assert reply.message_id == sent["message_id"] + 1
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    polls = fake.calls_to("getUpdates")
    assert polls[0].params["timeout"] == "1"
    assert fake.calls_to("deleteWebhook")


async def test_command_addressed_to_the_bot_in_a_group(fake: FakeTelegram) -> None:
    seen: list[str] = []

    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        seen.append(update.effective_user.first_name)
        await update.effective_message.reply_text("ok")

    app = build_app(fake)
    app.add_handler(CommandHandler("status", status))
    async with Polling(app):
        fake.send_command(GROUP, BOB, "/status@threads_bridge_test_bot")
        fake.send_command(GROUP, BOB, "/status@some_other_bot")  # not for us: not delivered
        await fake.wait_for(lambda f: len(f.sent_to(GROUP)) == 1)

    assert seen == ["Bob"]
    assert fake.member_status(GROUP, BOB) == "member"


async def test_channel_post_reaches_a_channel_command_handler(fake: FakeTelegram) -> None:
    async def announce(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        post = update.channel_post
        assert post is not None and post.sender_chat is not None
        assert post.from_user is None
        await context.bot.send_message(post.chat_id, f"posted by {post.sender_chat.title}")

    app = build_app(fake)
    app.add_handler(CommandHandler("announce", announce, filters=filters.UpdateType.CHANNEL_POSTS))
    async with Polling(app):
        fake.send_channel_post(CHANNEL, "/announce now")
        await fake.wait_for(lambda f: len(f.sent_to(CHANNEL)) == 1)

    posted = fake.message(CHANNEL, fake.sent_to(CHANNEL)[0].message_id)
    assert posted is not None
    assert posted["sender_chat"]["id"] == CHANNEL and "from" not in posted
    assert fake.sent_to(CHANNEL)[0].text == "posted by Bridge channel"


async def test_reply_to_a_bot_message_carries_the_full_replied_message(
    fake: FakeTelegram, bot: Bot
) -> None:
    ours = await bot.send_message(GROUP, "Reply with a handle")
    message = fake.send_text(GROUP, BOB, "bob.threads", reply_to_message_id=ours.message_id)

    replied = message["reply_to_message"]
    assert replied["message_id"] == ours.message_id
    assert replied["text"] == "Reply with a handle"
    assert replied["from"]["username"] == "threads_bridge_test_bot"
    # Privacy mode: a reply to the bot is delivered, plain group chatter is not.
    fake.send_text(GROUP, BOB, "just chatting")
    updates = await bot.get_updates(timeout=0)
    assert [u.message.text for u in updates if u.message] == ["bob.threads"]
    assert updates[0].message is not None
    assert updates[0].message.reply_to_message is not None
    assert updates[0].message.reply_to_message.from_user is not None
    assert updates[0].message.reply_to_message.from_user.is_bot


async def test_forum_topic_replies_keep_the_thread(fake: FakeTelegram) -> None:
    forum = -1001000000009
    fake.add_chat(forum, "supergroup", title="Forum", is_forum=True)

    async def ping(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("pong")

    app = build_app(fake)
    app.add_handler(CommandHandler("ping", ping))
    async with Polling(app):
        fake.send_command(forum, ALICE, "/ping", message_thread_id=7)
        await fake.wait_for(lambda f: len(f.sent_to(forum)) == 1)

    assert fake.sent_to(forum)[0].message_thread_id == 7
    assert fake.sent_to(forum)[0].params["message_thread_id"] == "7"


async def test_inline_keyboard_is_echoed_and_recorded(fake: FakeTelegram, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Stop", callback_data="unwatch")]])
    ours = await bot.send_message(ALICE, "Watching bob", reply_markup=keyboard)

    assert ours.reply_markup == keyboard
    assert fake.sent_to(ALICE)[0].reply_markup == keyboard.to_dict()


async def test_inline_button_press_and_answer(fake: FakeTelegram) -> None:
    answered: list[str] = []

    async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        answered.append(query.data)
        await query.answer("Unwatched")
        await query.edit_message_text("Stopped watching bob")

    app = build_app(fake)
    app.add_handler(CallbackQueryHandler(on_press))
    async with Polling(app):
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Stop", callback_data="unwatch")]])
        ours = await app.bot.send_message(ALICE, "Watching bob", reply_markup=keyboard)
        query = fake.send_callback_query(ALICE, ALICE, ours.message_id, "unwatch")
        await fake.wait_for(lambda f: any(c.ok for c in f.calls_to("editMessageText")))

    assert answered == ["unwatch"]
    assert fake.callback_answered(query["id"])
    answer = next(c for c in fake.calls_to("answerCallbackQuery"))
    assert answer.params["text"] == "Unwatched"
    # The edit replaced the text and, with no reply_markup, took the keyboard away.
    shown = fake.message(ALICE, ours.message_id)
    assert shown is not None and shown["text"] == "Stopped watching bob"
    assert "reply_markup" not in shown and "edit_date" in shown


async def test_edits_of_own_messages(fake: FakeTelegram, bot: Bot) -> None:
    ours = await bot.send_message(GROUP, "draft")
    edited = await bot.edit_message_text("final", chat_id=GROUP, message_id=ours.message_id)
    assert edited.text == "final" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("final", chat_id=GROUP, message_id=ours.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("again", chat_id=GROUP, message_id=ours.message_id + 99)
    assert [s.method for s in fake.sent_to(GROUP)] == ["sendMessage", "editMessageText"]


async def test_deleting_other_peoples_messages_needs_admin(fake: FakeTelegram, bot: Bot) -> None:
    theirs = fake.send_command(GROUP, BOB, "/watch bob")
    with pytest.raises(BadRequest, match=r"(?i)message can't be deleted"):
        await bot.delete_message(GROUP, theirs["message_id"])
    fake.set_member(GROUP, bot.id, "administrator")
    assert await bot.delete_message(GROUP, theirs["message_id"])
    assert fake.message(GROUP, theirs["message_id"]) is None
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(GROUP, theirs["message_id"])
    private = fake.send_text(ALICE, ALICE, "oops")
    assert await bot.delete_message(ALICE, private["message_id"])


async def test_send_photo_records_url_and_upload(fake: FakeTelegram, bot: Bot) -> None:
    by_url = await bot.send_photo(
        ALICE, "https://cdn.example/p.jpg", caption="<b>bob</b> posted", parse_mode="HTML"
    )
    uploaded = await bot.send_photo(ALICE, PNG)

    assert by_url.caption == "bob posted"
    assert by_url.caption_entities[0].type == "bold"
    first, second = fake.sent_to(ALICE)
    assert first.method == "sendPhoto"
    assert first.media == (("photo", "https://cdn.example/p.jpg"),)
    assert first.text == "<b>bob</b> posted" and first.visible_text == "bob posted"
    assert first.parse_mode == "HTML"
    kind, ref = second.media[0]
    assert kind == "photo" and ref.startswith("upload:")
    assert uploaded.photo[-1].file_size == len(PNG)
    assert uploaded.photo[-1].file_id == ref.removeprefix("upload:")


async def test_send_media_group_returns_one_message_per_item(fake: FakeTelegram, bot: Bot) -> None:
    messages = await bot.send_media_group(
        GROUP,
        [
            InputMediaPhoto("https://cdn.example/1.jpg", caption="album by bob"),
            InputMediaPhoto(PNG),
            InputMediaVideo("https://cdn.example/3.mp4"),
        ],
    )

    assert len(messages) == 3
    assert messages[0].caption == "album by bob"
    assert messages[1].caption is None
    assert len({m.media_group_id for m in messages}) == 1
    assert messages[2].video is not None
    [album] = fake.sent_to(GROUP)
    assert album.method == "sendMediaGroup"
    assert album.message_ids == tuple(m.message_id for m in messages)
    assert album.text == "album by bob"
    assert [kind for kind, _ in album.media] == ["photo", "photo", "video"]
    assert album.media[1][1].startswith("upload:")


async def test_media_group_needs_two_to_ten_items(bot: Bot) -> None:
    with pytest.raises(BadRequest, match="2-10 items"):
        await bot.send_media_group(ALICE, [InputMediaPhoto("https://cdn.example/1.jpg")])
    eleven = [InputMediaPhoto(f"https://cdn.example/{n}.jpg") for n in range(11)]
    with pytest.raises(BadRequest, match="2-10 items"):
        await bot.send_media_group(ALICE, eleven)


async def test_unknown_parameter_is_rejected(fake: FakeTelegram, bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)unknown parameter bogus"):
        await bot.send_message(ALICE, "hi", api_kwargs={"bogus": 1})
    assert fake.sent == []
    assert fake.calls[-1].status == 400


async def test_missing_required_parameter_is_rejected(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)text is required"):
        await bot.send_message(ALICE, None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("html", "detail"),
    [
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_malformed_html_is_rejected(bot: Bot, html: str, detail: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities") as caught:
        await bot.send_message(ALICE, html, parse_mode="HTML")
    assert detail.lower() in caught.value.message.lower()  # PTB re-capitalises messages


async def test_supported_html_is_parsed_into_entities(bot: Bot) -> None:
    html = (
        '🧵 <b>bob</b> &amp; <a href="https://threads.net/@bob">link</a> '
        '<tg-spoiler>s</tg-spoiler> <pre><code class="language-py">x</code></pre>'
    )
    message = await bot.send_message(ALICE, html, parse_mode="HTML")

    assert message.text == "🧵 bob & link s x"
    kinds = [(e.type, e.offset, e.length) for e in message.entities]
    # Offsets are UTF-16 code units: the emoji counts twice.
    assert kinds == [("bold", 3, 3), ("text_link", 9, 4), ("spoiler", 14, 1), ("pre", 16, 1)]
    assert message.entities[1].url == "https://threads.net/@bob"
    assert message.entities[3].language == "py"


async def test_text_length_counts_after_entity_parsing(bot: Bot) -> None:
    await bot.send_message(ALICE, "a" * 4096)
    await bot.send_message(GROUP, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ALICE, "a" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(GROUP, "https://cdn.example/p.jpg", caption="c" * 1025)


async def test_flood_limit_raises_retry_after(fake: FakeTelegram, bot: Bot) -> None:
    for n in range(3):
        await bot.send_message(ALICE, f"burst {n}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(ALICE, "one too many")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert fake.flood_errors == 1
    assert len(fake.sent_to(ALICE)) == 3


async def test_removed_bot_is_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    fake.remove_bot(GROUP)
    fake.remove_bot(ALICE)

    with pytest.raises(Forbidden, match=r"(?i)bot was kicked from the supergroup chat"):
        await bot.send_message(GROUP, "hello?")
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_photo(ALICE, "https://cdn.example/p.jpg")
    kinds = [u.my_chat_member.new_chat_member.status for u in await bot.get_updates()]
    assert kinds == ["kicked", "kicked"]


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(-100999, "anyone?")


async def test_get_chat_member_reports_the_role_set(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_member(GROUP, ALICE, "creator")
    fake.set_member(GROUP, BOB, "administrator")

    assert (await bot.get_chat_member(GROUP, ALICE)).status == "creator"
    assert (await bot.get_chat_member(GROUP, BOB)).status == "administrator"
    fake.set_member(GROUP, BOB, "kicked")
    assert (await bot.get_chat_member(GROUP, BOB)).status == "kicked"
    assert (await bot.get_chat_member(GROUP, bot.id)).status == "member"
