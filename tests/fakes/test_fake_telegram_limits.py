"""Flood control, latency, long polling and event-driven waiting in the Telegram fake."""

from __future__ import annotations

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from telegram import Bot, InputMediaPhoto
from telegram.error import RetryAfter

from tests.fakes.telegram import FakeTelegram
from tests.fakes.telegram.raw import RawApi, post_api
from tests.fakes.telegram.updates import UpdateQueue

TOKEN = "123456:TEST-TOKEN"
Send = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]
ALICE = 42
GROUP = -1001000000001
CHANNEL = -1001000000002


class ManualClock:
    """The flood limits' clock, advanced by the test instead of by waiting."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def _loopback_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def fake(clock: ManualClock) -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram(token=TOKEN, clock=clock) as server:
        server.add_user(ALICE, "Alice", "alice")
        server.add_chat(ALICE, "private")
        server.add_chat(GROUP, "supergroup", title="Group")
        server.add_chat(CHANNEL, "channel", title="Channel")
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[RawApi]:
    async with RawApi(fake.base_url, TOKEN) as client:
        yield client


@pytest.fixture
def send(api: RawApi) -> Send:
    async def send_text(chat_id: int, text: str = "x") -> tuple[int, dict[str, Any]]:
        return await api("sendMessage", {"chat_id": chat_id, "text": text})

    return send_text


async def test_one_chat_allows_a_burst_of_three_then_about_one_per_second(
    fake: FakeTelegram, clock: ManualClock, send: Send
) -> None:
    statuses = [(await send(ALICE))[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    _, body = await send(ALICE)
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    clock.advance(1.0)
    assert (await send(ALICE))[0] == 200
    assert (await send(ALICE))[0] == 429
    assert fake.flood_errors == 3
    assert len(fake.sent_to(ALICE)) == 4


async def test_overall_limit_is_thirty_per_second_across_chats(
    fake: FakeTelegram, clock: ManualClock, send: Send
) -> None:
    for user_id in range(1000, 1031):
        fake.add_chat(user_id, "private")
    statuses = [(await send(user_id))[0] for user_id in range(1000, 1031)]
    assert statuses == [200] * 30 + [429]
    clock.advance(0.5)
    assert (await send(1030))[0] == 429  # the window still holds 30 sends
    clock.advance(0.5)
    assert (await send(1030))[0] == 200


async def test_groups_and_channels_get_twenty_per_minute(
    fake: FakeTelegram, clock: ManualClock, send: Send
) -> None:
    for _ in range(20):
        assert (await send(CHANNEL))[0] == 200
        clock.advance(1.0)  # keeps the per-chat bucket topped up
    status, body = await send(CHANNEL)
    assert status == 429
    assert body["parameters"]["retry_after"] == 40  # the first send leaves the window at 60 s
    clock.advance(39.5)
    assert (await send(CHANNEL))[0] == 429
    clock.advance(0.5)
    assert (await send(CHANNEL))[0] == 200
    # A private chat at the same pace never meets the group limit.
    for _ in range(25):
        assert (await send(ALICE))[0] == 200
        clock.advance(1.0)


async def test_only_sending_methods_count(fake: FakeTelegram, bot: Bot) -> None:
    for _ in range(40):
        await bot.get_chat_member(GROUP, bot.id)
        await bot.get_chat(GROUP)
    await bot.send_media_group(
        GROUP, [InputMediaPhoto(f"https://cdn.example/{n}.jpg") for n in range(10)]
    )
    await bot.send_message(GROUP, "second")
    await bot.send_message(GROUP, "third")
    with pytest.raises(RetryAfter):
        await bot.send_message(GROUP, "fourth")
    assert fake.flood_errors == 1


async def test_limits_can_be_switched_off(fake: FakeTelegram, send: Send) -> None:
    fake.limits.enabled = False
    statuses = {(await send(ALICE))[0] for _ in range(10)}
    assert statuses == {200}
    assert fake.flood_errors == 0


async def test_reset_limits_forgets_history(fake: FakeTelegram, send: Send) -> None:
    for _ in range(3):
        await send(ALICE)
    fake.reset_limits()
    assert (await send(ALICE))[0] == 200


async def test_latency_delays_sending_methods_only(fake: FakeTelegram, bot: Bot) -> None:
    fake.latency = (0.05, 0.05)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await bot.send_message(ALICE, "slow")
    assert loop.time() - started >= 0.05
    fake.latency = (60.0, 60.0)  # a delayed getChat could not answer within the timeout
    async with asyncio.timeout(5):
        await bot.get_chat(ALICE)


async def test_wait_for_reports_what_was_seen_on_timeout(fake: FakeTelegram, bot: Bot) -> None:
    await bot.send_message(ALICE, "only one")
    with pytest.raises(AssertionError) as caught:
        await fake.wait_for(lambda f: len(f.sent_to(ALICE)) >= 2, timeout=0.2)
    report = str(caught.value)
    assert "condition not met within 0.2s" in report
    assert "sendMessage" in report and "'only one'" in report


async def test_wait_for_wakes_on_a_recorded_call(fake: FakeTelegram, bot: Bot) -> None:
    waiter = asyncio.create_task(fake.wait_for(lambda f: len(f.sent) == 1, timeout=5))
    await bot.send_message(ALICE, "wake up")
    await waiter
    assert fake.sent[0].text == "wake up"


async def test_held_poll_is_answered_when_an_update_arrives(fake: FakeTelegram) -> None:
    poll = asyncio.create_task(
        post_api(fake.base_url, TOKEN, "getUpdates", {"timeout": 30}, http_timeout=40)
    )
    await fake.wait_for(lambda f: f.held_polls == 1, timeout=5)
    fake.send_command(ALICE, ALICE, "/start")
    status, body = await poll
    assert status == 200
    assert body["result"][0]["message"]["text"] == "/start"
    assert fake.held_polls == 0


async def test_empty_poll_waits_for_its_timeout() -> None:
    # The queue itself: the Bot API's timeout is whole seconds, the hold it becomes is not.
    held = asyncio.Event()

    async def on_hold() -> None:
        held.set()

    queue = UpdateQueue(on_hold=on_hold)
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(queue.poll(offset=None, limit=100, hold=0.05, allowed=None))
    await held.wait()
    assert queue.held == 1 and not poll.done()
    assert await poll == []
    assert queue.held == 0
    assert loop.time() - started >= 0.05


async def test_offset_confirms_updates(fake: FakeTelegram) -> None:
    first = fake.send_command(ALICE, ALICE, "/one")
    fake.send_command(ALICE, ALICE, "/two")
    _, body = await post_api(fake.base_url, TOKEN, "getUpdates", {"timeout": 0})
    ids = [u["update_id"] for u in body["result"]]
    assert len(ids) == 2 and body["result"][0]["message"] == first
    _, body = await post_api(
        fake.base_url, TOKEN, "getUpdates", {"timeout": 0, "offset": ids[0] + 1}
    )
    assert [u["update_id"] for u in body["result"]] == ids[1:]
    assert [u["update_id"] for u in fake.pending_updates] == ids[1:]


async def test_allowed_updates_filters_what_is_delivered(fake: FakeTelegram, bot: Bot) -> None:
    fake.send_channel_post(CHANNEL, "news")
    fake.send_command(ALICE, ALICE, "/start")
    updates = await bot.get_updates(allowed_updates=["message"])
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert len(updates) == 1


async def test_a_second_poller_conflicts_with_the_held_one(fake: FakeTelegram) -> None:
    # Raw HTTP: PTB's own getUpdates pool has one connection, so it never overlaps polls.
    first = asyncio.create_task(
        post_api(fake.base_url, TOKEN, "getUpdates", {"timeout": 30}, http_timeout=40)
    )
    await fake.wait_for(lambda f: f.held_polls == 1, timeout=5)
    assert await post_api(fake.base_url, TOKEN, "getUpdates", {"timeout": 0}) == (
        200,
        {"ok": True, "result": []},
    )
    status, body = await first
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_stop_releases_a_held_poll(clock: ManualClock) -> None:
    fake = FakeTelegram(token=TOKEN, clock=clock)
    await fake.start()
    poll = asyncio.create_task(
        post_api(fake.base_url, TOKEN, "getUpdates", {"timeout": 30}, http_timeout=40)
    )
    await fake.wait_for(lambda f: f.held_polls == 1, timeout=5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await fake.stop()
    assert await poll == (200, {"ok": True, "result": []})
    assert loop.time() - started < 5


async def test_ptb_sees_retry_after_as_a_timedelta(fake: FakeTelegram, bot: Bot) -> None:
    fake.fail_next("sendPhoto", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_photo(ALICE, "https://cdn.example/p.jpg")
    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    assert fake.flood_errors == 1
    await bot.send_photo(ALICE, "https://cdn.example/p.jpg")  # only the next call failed
