"""/threads insights end to end: the real discord.py against the fake Discord, BridgeApp, the
simulator as Threads. The chart goes out as a file of the deferred answer's followup
(multipart), described for screen readers; a post's numbers as text."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from PIL import Image as PILImage

from bot.insights.chart import HEIGHT, WIDTH
from tests.core.test_insights import WEEK_WORDS, seed_week, week_description
from tests.discord.conftest import BOB, TEXT, Bridge
from tests.telegram.test_insights import at_noon_tomorrow
from tests.virtual_time import SkipAheadClock

DEFERRED = 5


async def test_insights_week_answers_with_the_chart_as_a_file(
    bridge: Bridge, clock: SkipAheadClock
) -> None:
    today = at_noon_tomorrow(clock)
    seed_week(bridge.sim, today)

    answer = await bridge.slash(BOB, "insights", period="week")

    assert answer.callbacks == [DEFERRED] and not answer.ephemeral
    first = today - timedelta(days=6)
    assert answer.text.splitlines() == [
        f"@alice on Threads, last 7 days ({first.day} {first:%b} to {today.day} {today:%b}, UTC):",
        WEEK_WORDS,
        "4,321 followers",
    ]
    (message,) = answer.messages
    assert message.files == ("insights-week.png",)
    picture = PILImage.open(io.BytesIO(message.uploads[0]))
    picture.load()
    assert (picture.format, picture.size) == ("PNG", (WIDTH, HEIGHT))
    assert picture.info["Description"] == week_description(today)
    (upload,) = [c for c in bridge.discord.calls if c.files]
    # The alt text Discord shows for the picture.
    assert upload.json["attachments"][0]["description"] == week_description(today)


async def test_insights_of_a_post_by_link(bridge: Bridge) -> None:
    post = bridge.sim.add_post("alice", text="Fresh bread today")
    post.views, post.likes = 40, 2

    answer = await bridge.slash(BOB, "insights", link=post.permalink, period="month")

    assert answer.text.splitlines()[1:] == [
        "“Fresh bread today”",
        "40 views, 2 likes, 0 replies, 0 reposts, 0 quotes, 0 shares",
    ]
    assert [m.files for m in answer.messages] == [()]


async def test_a_weekly_digest_is_posted_in_its_channel_with_the_chart(
    start_bridge: Any, clock: SkipAheadClock
) -> None:
    today = at_noon_tomorrow(clock)
    weekday = f"{today:%A}".lower()
    bridge: Bridge = await start_bridge(
        digest=[{"discord_channel": TEXT, "weekday": weekday, "at": "13:00"}]
    )
    await bridge.app.digests.send_due()  # the first check sets the start
    clock.advance(2 * 3600)

    await bridge.app.digests.send_due()
    await bridge.discord.wait_for(lambda fake: len(fake.messages_in(TEXT)) >= 1, timeout=15)

    (digest,) = bridge.discord.messages_in(TEXT)
    assert (digest.content or "").startswith("Weekly digest\n@alice on Threads, last 7 days")
    assert digest.files == ("insights-week.png",)
    assert PILImage.open(io.BytesIO(digest.uploads[0])).size == (WIDTH, HEIGHT)
