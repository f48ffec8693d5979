"""Drift checks between the Telegram fake and the published Bot API spec (vendored in
tests/specs; a missing file fails these tests, it never skips them)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.telegram import FakeTelegram, load_spec, spec_path
from tests.fakes.telegram.raw import RawApi, post_api
from tests.fakes.telegram.registry import METHODS
from tests.fakes.telegram.shapes import check_value
from tests.fakes.telegram.spec import SPEC_ENV, SpecMissing

SPEC = load_spec()

TOKEN = "123456:TEST-TOKEN"
ALICE, BOB, CAROL = 42, 43, 44
GROUP = -1001000000001
CHANNEL = -1001000000002
OLD_GROUP = -4000001
STATUS_TYPES = {
    "creator": "ChatMemberOwner",
    "administrator": "ChatMemberAdministrator",
    "member": "ChatMemberMember",
    "restricted": "ChatMemberRestricted",
    "left": "ChatMemberLeft",
    "kicked": "ChatMemberBanned",
}


@pytest.fixture(autouse=True)
def _loopback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, rate_limits=False) as server:
        for user_id, name in ((ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol")):
            server.add_user(user_id, name, name.lower())
        server.add_chat(ALICE, "private")
        server.add_chat(GROUP, "supergroup", title="Group", is_forum=True, username="bridge")
        server.add_chat(CHANNEL, "channel", title="Channel")
        server.add_chat(OLD_GROUP, "group", title="Old group")
        yield server


class Api:
    """Raw calls that fail the test unless the fake answers 200; keeps every result."""

    def __init__(self, raw: RawApi) -> None:
        self.raw = raw
        self.results: list[tuple[str, Any]] = []

    async def __call__(
        self, method: str, files: dict[str, tuple[str, bytes]] | None = None, **params: Any
    ) -> Any:
        status, body = await self.raw(method, params, files=files)
        assert status == 200, (method, body)
        self.results.append((method, body["result"]))
        return body["result"]


async def exercise_every_method(fake: FakeTelegram) -> Api:
    """One realistic session touching every implemented method and update kind."""
    async with RawApi(fake.base_url, TOKEN) as raw:
        return await _session(fake, Api(raw))


async def _session(fake: FakeTelegram, api: Api) -> Api:
    keyboard = {"inline_keyboard": [[{"text": "Stop", "callback_data": "stop"}]]}
    await api("getMe")
    await api("deleteWebhook", drop_pending_updates=True)
    await api("setMyCommands", commands=[{"command": "watch", "description": "Watch"}])
    await api("setMyCommands", commands=[{"command": "post", "description": "Post"}],
              scope={"type": "chat", "chat_id": GROUP}, language_code="en")  # fmt: skip
    prompt = await api(
        "sendMessage", chat_id=ALICE, text="<b>Hi</b> &lt;3", parse_mode="HTML",
        reply_markup=keyboard, link_preview_options={"is_disabled": True},
    )  # fmt: skip
    fake.send_text(ALICE, ALICE, "bob", reply_to_message_id=prompt["message_id"])
    fake.send_command(GROUP, BOB, "/watch@threads_bridge_test_bot bob", message_thread_id=3)
    fake.send_channel_post(CHANNEL, "/announce")
    query = fake.send_callback_query(ALICE, ALICE, prompt["message_id"], "stop")
    fake.set_member(CHANNEL, ALICE, "creator")
    fake.remove_bot(CHANNEL)
    updates = await api("getUpdates", timeout=0, allowed_updates=[])
    await api("getUpdates", offset=updates[-1]["update_id"] + 1, timeout=0)
    await api("answerCallbackQuery", callback_query_id=query["id"], text="Stopped")
    reply = await api(
        "sendMessage", chat_id="@bridge", text="ok", message_thread_id=3,
        reply_parameters={"message_id": updates[1]["message"]["message_id"]},
    )  # fmt: skip
    await api("editMessageText", chat_id=GROUP, message_id=reply["message_id"], text="okay")
    photo = await api("sendPhoto", chat_id=ALICE, photo="https://cdn.example/p.jpg",
                      caption="<i>c</i>", parse_mode="HTML", has_spoiler=True)  # fmt: skip
    await api("editMessageCaption", chat_id=ALICE, message_id=photo["message_id"],
              caption="<i>c</i> (edited)", parse_mode="HTML", reply_markup=keyboard)  # fmt: skip
    video = await api("sendVideo", files={"video": ("v.mp4", b"mp4")}, chat_id=ALICE,
                      width=720, height=1280, duration=3)  # fmt: skip
    await api(
        "sendMediaGroup", files={"p2": ("p.jpg", b"jpg")}, chat_id=GROUP, message_thread_id=3,
        media=[{"type": "photo", "media": "https://cdn.example/1.jpg", "caption": "one"},
               {"type": "photo", "media": "attach://p2"},
               {"type": "video", "media": video["video"]["file_id"]}],
    )  # fmt: skip
    await api("deleteMessage", chat_id=GROUP, message_id=reply["message_id"])
    for chat_id in (ALICE, GROUP, OLD_GROUP):
        await api("getChat", chat_id=chat_id)
    (sent,) = fake.send_media(ALICE, ALICE, [("photo", b"\xff\xd8\xff")], "/post hi")
    await api("getFile", file_id=sent["photo"][-1]["file_id"])
    for user_id, status in zip((ALICE, BOB, CAROL), ("creator", "administrator", "restricted"),
                               strict=True):  # fmt: skip
        fake.set_member(GROUP, user_id, status)
        await api("getChatMember", chat_id=GROUP, user_id=user_id)
    for status in ("member", "left", "kicked"):
        fake.set_member(GROUP, CAROL, status)
        await api("getChatMember", chat_id=GROUP, user_id=CAROL)
    return api


def test_every_implemented_method_is_in_the_spec() -> None:
    for method in METHODS.values():
        assert SPEC.canonical_method(method.name) == method.name, method.name


def test_accepted_parameters_are_spec_fields() -> None:
    for method in METHODS.values():
        fields = SPEC.params(method.name)
        assert method.accepts <= set(fields), (method.name, method.accepts - set(fields))
        required = {name for name, field in fields.items() if field.required}
        assert required <= method.required, (method.name, required - method.required)


async def test_a_session_covers_every_method_and_reads_only_declared_parameters(
    fake: FakeTelegram,
) -> None:
    api = await exercise_every_method(fake)
    # A handler reading an undeclared parameter raises FakeBug: the call would not be 200.
    assert {method for method, _ in api.results} == {m.name for m in METHODS.values()}
    assert all(call.ok for call in fake.calls), [c for c in fake.calls if not c.ok]


async def test_results_fit_the_spec_types_exactly(fake: FakeTelegram) -> None:
    api = await exercise_every_method(fake)
    for method, result in api.results:
        reason = check_value(SPEC, result, SPEC.returns(method), f"{method}.result")
        assert reason == "", reason


def test_the_shape_check_itself_catches_unknown_and_missing_fields() -> None:
    message = {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}
    assert check_value(SPEC, message, ["Message"], "m") == ""
    assert "unknown field m.bogus" in check_value(SPEC, {**message, "bogus": 1}, ["Message"], "m")
    del message["date"]
    assert "m.date is required" in check_value(SPEC, message, ["Message"], "m")


def required_gaps(value: dict[str, Any], type_name: str) -> set[str]:
    fields = SPEC.type_fields(type_name)
    return {name for name, field in fields.items() if field.required and name not in value}


def walk_messages(value: Any) -> list[dict[str, Any]]:
    """Every dict that looks like a Message (has message_id and chat), at any depth."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if "message_id" in value and "chat" in value:
            found.append(value)
        for item in value.values():
            found.extend(walk_messages(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(walk_messages(item))
    return found


async def test_messages_users_chats_and_members_carry_required_fields(
    fake: FakeTelegram,
) -> None:
    api = await exercise_every_method(fake)
    messages = walk_messages([result for _, result in api.results])
    assert len(messages) > 10
    for message in messages:
        assert required_gaps(message, "Message") == set(), message
        assert required_gaps(message["chat"], "Chat") == set(), message["chat"]
        for key in ("from", "sender_chat"):
            if key in message:
                kind = "User" if key == "from" else "Chat"
                assert required_gaps(message[key], kind) == set(), message[key]
    members = [r for m, r in api.results if m == "getChatMember"]
    assert {m["status"] for m in members} == set(STATUS_TYPES)
    for member in members:
        assert required_gaps(member, STATUS_TYPES[member["status"]]) == set(), member
        assert required_gaps(member["user"], "User") == set()
    [me] = [r for m, r in api.results if m == "getMe"]
    assert required_gaps(me, "User") == set() and me["username"]
    for chat in (r for m, r in api.results if m == "getChat"):
        assert required_gaps(chat, "ChatFullInfo") == set(), chat


async def test_nested_objects_are_checked_against_the_spec(fake: FakeTelegram) -> None:
    status, body = await post_api(
        fake.base_url, TOKEN, "sendMessage",
        {"chat_id": ALICE, "text": "x", "link_preview_options": {"disabled": True}},
    )  # fmt: skip
    assert status == 400
    assert "unknown field link_preview_options.disabled" in body["description"]
    status, body = await post_api(
        fake.base_url, TOKEN, "sendMediaGroup",
        {"chat_id": ALICE, "media": [{"type": "photo"}, {"type": "photo", "media": "x"}]},
    )  # fmt: skip
    assert status == 400 and "media[0].media is required" in body["description"]


async def test_scalar_parameters_are_type_checked(fake: FakeTelegram) -> None:
    status, body = await post_api(
        fake.base_url, TOKEN, "sendMessage",
        {"chat_id": GROUP, "text": "x", "message_thread_id": "general"},
    )  # fmt: skip
    assert status == 400
    assert body["description"].startswith("Bad Request: invalid message_thread_id")


async def test_method_names_unknown_or_unimplemented(fake: FakeTelegram) -> None:
    status, body = await post_api(fake.base_url, TOKEN, "sendPoll", {"chat_id": ALICE})
    assert (status, body["description"]) == (
        400,
        "Bad Request: method not implemented in the fake: sendPoll",
    )
    status, body = await post_api(fake.base_url, TOKEN, "sendTelepathy")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    status, body = await post_api(fake.base_url, TOKEN, "GETME")
    assert status == 200 and body["result"]["is_bot"] is True


async def test_spec_fields_the_fake_does_not_model_are_refused(fake: FakeTelegram) -> None:
    status, body = await post_api(
        fake.base_url, TOKEN, "sendMessage", {"chat_id": ALICE, "text": "x", "entities": []}
    )
    assert status == 200
    status, body = await post_api(
        fake.base_url,
        TOKEN,
        "sendMessage",
        {"chat_id": ALICE, "text": "x", "business_connection_id": "b1"},
    )
    assert status == 400 and "not modelled by the fake" in body["description"]


def test_the_spec_is_read_from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SPEC_ENV, raising=False)
    assert spec_path() == Path(__file__).resolve().parents[1] / "specs" / "telegram-bot-api.json"
    assert SPEC.version == "Bot API 10.1" and len(SPEC.method_names()) == 180


def test_a_missing_spec_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    absent = tmp_path / "nope.json"
    monkeypatch.setenv(SPEC_ENV, str(absent))
    assert spec_path() == absent
    with pytest.raises(SpecMissing, match=re.escape(f"spec not found at {absent}")):
        load_spec()
    with pytest.raises(SpecMissing):
        FakeTelegram(token=TOKEN)
