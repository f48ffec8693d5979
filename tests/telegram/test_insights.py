"""/insights end to end: the real python-telegram-bot against the fake Telegram, BridgeApp,
the simulator as Threads. The chart goes out as an uploaded photo (sendPhoto, multipart)
with the answer as its caption; a post's numbers as a text answer."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

from PIL import Image as PILImage

from bot.insights.chart import HEIGHT, WIDTH
from tests.core.test_insights import WEEK_WORDS, seed_week, week_description
from tests.telegram.conftest import GROUP, MEMBER, Bridge, reads
from tests.virtual_time import SkipAheadClock


def at_noon_tomorrow(clock: SkipAheadClock) -> date:
    """Moves the bridge's clock to 12:00 UTC tomorrow, so that "today" is one day
    whatever time it is now; returns that day."""
    now = datetime.fromtimestamp(clock.time(), UTC)
    noon = datetime(now.year, now.month, now.day, 12, tzinfo=UTC) + timedelta(days=1)
    clock.advance(noon.timestamp() - clock.time())
    return noon.date()


async def test_insights_week_sends_the_chart_as_a_photo_with_the_numbers(
    bridge: Bridge, clock: SkipAheadClock
) -> None:
    today = at_noon_tomorrow(clock)
    seed_week(bridge.sim, today)

    answer = await bridge.command(GROUP, MEMBER, "/insights week")

    assert answer.method == "sendPhoto"
    first = today - timedelta(days=6)
    assert reads(answer).splitlines() == [
        f"@alice on Threads, last 7 days ({first.day} {first:%b} to {today.day} {today:%b}, UTC):",
        WEEK_WORDS,
        "4,321 followers",
    ]
    ((kind, ref),) = answer.media
    assert kind == "photo" and ref.startswith("upload:")  # the bytes, not a URL
    stored = bridge.tg.state.files[ref.removeprefix("upload:")]
    assert stored.data is not None
    picture = PILImage.open(io.BytesIO(stored.data))
    picture.load()
    assert (picture.format, picture.size) == ("PNG", (WIDTH, HEIGHT))
    assert picture.info["Description"] == week_description(today)  # what the chart shows


async def test_an_answer_too_long_for_a_caption_goes_before_the_photo(
    bridge: Bridge, clock: SkipAheadClock
) -> None:
    at_noon_tomorrow(clock)
    # Threads' refusal of the follower count is quoted in the answer: a long one.
    bridge.sim.fail_next(
        "GET",
        "/*/threads_insights",
        kind="custom",
        status=400,
        body={"error": {"message": "Not allowed " + "x" * 1100, "code": 10}},
    )
    before = len(bridge.tg.sent_to(GROUP))
    bridge.tg.send_command(GROUP, MEMBER, "/insights day")
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(GROUP)) >= before + 2, timeout=15)

    text, photo = bridge.tg.sent_to(GROUP)[before:]
    assert text.method == "sendMessage" and "x" * 1000 in reads(text)
    assert photo.method == "sendPhoto" and photo.text is None  # no caption


async def test_a_daily_digest_is_posted_as_a_photo_at_its_time(
    start_bridge: Any, clock: SkipAheadClock
) -> None:
    today = at_noon_tomorrow(clock)
    bridge: Bridge = await start_bridge(
        digest=[{"telegram_chat": GROUP, "every": "day", "at": "13:00"}]
    )
    await bridge.app.digests.send_due()  # the first check (the job's, or this one) sets the start
    clock.advance(2 * 3600)  # 14:00: an hour past the digest's time

    await bridge.app.digests.send_due()  # what the minute job does next
    await bridge.tg.wait_for(lambda fake: len(fake.sent_to(GROUP)) >= 1, timeout=15)

    (digest,) = bridge.tg.sent_to(GROUP)
    assert digest.method == "sendPhoto"
    yesterday = today - timedelta(days=1)
    assert reads(digest).splitlines()[:2] == [
        "Daily digest",
        f"@alice on Threads, yesterday ({yesterday.day} {yesterday:%b}, UTC):",
    ]
    ((_, ref),) = digest.media
    stored = bridge.tg.state.files[ref.removeprefix("upload:")]
    assert stored.data is not None
    assert PILImage.open(io.BytesIO(stored.data)).size == (WIDTH, HEIGHT)
