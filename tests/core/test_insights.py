"""/insights through the real Bridge, against the simulator: the account's numbers for a
period in words, the chart of views per day (its data equal to the simulator's series, the
PNG decoded), and one post's numbers by link or by answering its bridged message."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from PIL import Image as PILImage

from bot.commands import Context
from bot.events import Image, Reply
from bot.insights import chart_data, period_of
from bot.insights.chart import BAR_COLOR, HEIGHT, WIDTH
from bot.threads.client import ThreadsClient
from simulator import SimUser, ThreadsSimulator
from storage.store import Store
from tests.core.conftest import GROUP, MEMBER, PRIVATE, PUBLISHER, RecordingAdapter
from tests.core.test_delete import BRIDGED_MESSAGE, deliver_own_post
from tests.virtual_time import EPOCH, VirtualClock

NOW = datetime.fromtimestamp(EPOCH, UTC)  # 2027-01-15 08:00 UTC on the bridge's clock
TODAY = NOW.date()


@pytest.fixture
def clock(ctx: Context) -> VirtualClock:
    ctx.clock = VirtualClock()
    return ctx.clock


def on(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def seed_week(sim: ThreadsSimulator, today: date = TODAY) -> None:
    """Alice's posts of the week to `today` (and one before it), with views and likes; a
    reply and a quote from bob; 4,321 followers. Views per day: 10, 0, 1234, 0, 0, 0, 12."""
    sim.add_profile("bob")
    before = sim.add_post("alice", text="older", timestamp=on(today - timedelta(days=7)))
    before.views, before.likes = 999, 99
    first = sim.add_post("alice", text="monday", timestamp=on(today - timedelta(days=6)))
    first.views, first.likes = 10, 2
    big = sim.add_post("alice", text="wednesday", timestamp=on(today - timedelta(days=4)))
    big.views, big.likes = 1234, 5
    for hour, views in ((1, 5), (7, 7)):
        latest = sim.add_post("alice", text="today", timestamp=on(today, hour))
        latest.views = views
    sim.add_post("bob", text="nice", reply_to=big.id, timestamp=on(today - timedelta(days=3)))
    sim.add_post("bob", text="look", quote_of=big.id, timestamp=on(today - timedelta(days=2)))
    sim.set_audience("alice", followers=4321)


WEEK_WORDS = "1,256 views, 7 likes, 1 reply, 0 reposts, 1 quote, 0 link clicks"
WEEK_VIEWS = (10, 0, 1234, 0, 0, 0, 12)


def week_description(today: date) -> str:
    """The chart's alt text for seed_week's views."""
    days = [today - timedelta(days=n) for n in range(6, -1, -1)]
    points = "; ".join(f"{d.isoformat()}: {v:,}" for d, v in zip(days, WEEK_VIEWS, strict=True))
    return f"@alice: views per day, last 7 days. Views per day: {points}."


def decoded(image: Image | None) -> PILImage.Image:
    assert image is not None
    picture = PILImage.open(io.BytesIO(image.data))
    picture.load()  # decodes every pixel: a truncated or corrupt PNG fails here
    return picture


def bars_on_the_axis(picture: PILImage.Image) -> int:
    """How many bars stand on the x axis: runs of the bar colour along the lowest row that
    has any (every bar starts at 0, so that row crosses each one that is not empty)."""
    rgb = picture.convert("RGB")
    colour = tuple(int(BAR_COLOR[i : i + 2], 16) for i in (1, 3, 5))

    def is_bar(pixel: Any) -> bool:
        return sum(abs(a - b) for a, b in zip(pixel, colour, strict=True)) < 30

    for y in reversed(range(rgb.height)):
        row = [is_bar(rgb.getpixel((x, y))) for x in range(rgb.width)]
        if any(row):
            return sum(1 for x in range(1, len(row)) if row[x] and not row[x - 1])
    return 0


async def raw_views(
    sim: ThreadsSimulator, alice: SimUser, since: datetime, until: datetime
) -> list[Any]:
    """The simulator's own `views` series for since..until, as JSON."""
    async with httpx.AsyncClient(base_url=sim.base_url, trust_env=False) as api:
        response = await api.get(
            "/me/threads_insights",
            params={
                "metric": "views",
                "since": int(since.timestamp()),
                "until": int(until.timestamp()),
            },
            headers={"Authorization": f"Bearer {alice.token}"},
        )
    (views,) = response.json()["data"]
    return list(views["values"])


async def test_a_week_of_insights_in_words_and_a_chart(
    sim: ThreadsSimulator, alice: SimUser, telegram_chat: RecordingAdapter, clock: VirtualClock
) -> None:
    seed_week(sim)

    answer = await telegram_chat.send(GROUP, MEMBER, "/insights week")

    assert answer.text == (
        "@alice on Threads, last 7 days (9 Jan to 15 Jan, UTC):\n"
        "1,256 views, 7 likes, 1 reply, 0 reposts, 1 quote, 0 link clicks\n"
        "4,321 followers"
    )
    assert answer.ok and not answer.private
    assert answer.image is not None and answer.image.filename == "insights-week.png"
    # The data the chart was drawn from, as the simulator counted it: one bar per day.
    assert answer.image.description == (
        "@alice: views per day, last 7 days. Views per day: 2027-01-09: 10; 2027-01-10: 0; "
        "2027-01-11: 1,234; 2027-01-12: 0; 2027-01-13: 0; 2027-01-14: 0; 2027-01-15: 12."
    )
    picture = decoded(answer.image)
    assert (picture.format, picture.size) == ("PNG", (WIDTH, HEIGHT))
    assert picture.info["Title"] == "@alice: views per day, last 7 days"
    assert picture.info["Description"] == answer.image.description
    assert bars_on_the_axis(picture) == 3  # 9, 11 and 15 January had views


async def test_the_chart_plots_the_simulator_s_series_day_by_day(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    seed_week(sim)
    period = period_of("week", EPOCH)

    (views,) = await client.user_insights(["views"], since=period.since, until=period.until)
    data = chart_data(views.series, "t")
    served = await raw_views(sim, alice, period.since, period.until)

    # Each bar is the value Graph stamped with the end of that day.
    assert [(d.isoformat(), v) for d, v in zip(data.days, data.values, strict=True)] == [
        (
            (datetime.strptime(s["end_time"], "%Y-%m-%dT%H:%M:%S%z") - timedelta(days=1))
            .date()
            .isoformat(),
            s["value"],
        )
        for s in served
    ]
    assert data.days == tuple(TODAY - timedelta(days=n) for n in range(6, -1, -1))
    assert data.values == (10, 0, 1234, 0, 0, 0, 12)


def test_chart_data_labels_a_pacific_day_by_the_day_it_covers() -> None:
    # Graph's own example stamps days at Pacific midnight: 07:00 or 08:00 UTC.
    series = [
        (datetime(2024, 7, 12, 7, tzinfo=UTC), 3),
        (datetime(2024, 7, 11, 7, tzinfo=UTC), 4),
    ]
    data = chart_data(series, "t")
    assert data.days == (date(2024, 7, 10), date(2024, 7, 11)) and data.values == (4, 3)


@pytest.mark.parametrize(
    ("typed", "label", "days"),
    [
        ("/insights", "last 7 days (9 Jan to 15 Jan, UTC)", 7),
        ("/insights DAY", "today (15 Jan, UTC)", 1),
        ("/insights month", "last 30 days (17 Dec to 15 Jan, UTC)", 30),
    ],
)
async def test_each_period_draws_one_bar_per_day(
    sim: ThreadsSimulator,
    telegram_chat: RecordingAdapter,
    clock: VirtualClock,
    typed: str,
    label: str,
    days: int,
) -> None:
    seed_week(sim)

    answer = await telegram_chat.send(PRIVATE, MEMBER, typed)

    assert answer.text.splitlines()[0] == f"@alice on Threads, {label}:"
    assert answer.image is not None
    plotted = re.findall(r"(\d{4}-\d\d-\d\d): ", answer.image.description)
    assert plotted == [(TODAY - timedelta(days=n)).isoformat() for n in range(days - 1, -1, -1)]
    assert decoded(answer.image).size == (WIDTH, HEIGHT)


async def test_followers_missing_without_instagram_leave_the_rest(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, clock: VirtualClock
) -> None:
    seed_week(sim)
    sim.set_audience("alice", instagram_linked=False)

    answer = await telegram_chat.send(GROUP, MEMBER, "/insights week")

    lines = answer.text.splitlines()
    assert lines[1] == "1,256 views, 7 likes, 1 reply, 0 reposts, 1 quote, 0 link clicks"
    assert lines[2] == (
        "Followers: not available (Threads tells it only for profiles linked to an Instagram "
        "account)."
    )
    assert answer.ok and answer.image is not None


async def test_a_post_s_insights_by_link(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    sim.add_profile("bob")
    post = sim.add_post("alice", text="Our new bakery opens on Monday at nine")
    post.views, post.likes, post.shares = 90, 4, 1
    reply = sim.add_post("bob", text="congrats", reply_to=post.id)
    sim.add_post("alice", text="thanks", reply_to=reply.id)
    sim.add_post("bob", text="look", quote_of=post.id)

    answer = await telegram_chat.send(GROUP, MEMBER, f"/insights {post.permalink}")

    assert answer.text == (
        f"Post insights, lifetime: {post.permalink}\n"
        "“Our new bakery opens on Monday at nine”\n"
        "90 views, 4 likes, 2 replies, 0 reposts, 1 quote, 1 share"
    )
    assert answer.ok and answer.image is None


async def test_a_post_s_insights_by_answering_its_bridged_message(
    sim: ThreadsSimulator,
    client: ThreadsClient,
    ctx: Context,
    store: Store,
    telegram_chat: RecordingAdapter,
) -> None:
    post = await deliver_own_post(sim, store, client, ctx, "delivered to the group")
    sim.get_post(post.id).likes = 3  # type: ignore[union-attr]

    answer = await telegram_chat.send(GROUP, MEMBER, "/insights", reply_to=BRIDGED_MESSAGE)
    account = await telegram_chat.send(GROUP, MEMBER, "/insights week", reply_to=BRIDGED_MESSAGE)
    unknown = await telegram_chat.send(GROUP, MEMBER, "/insights", reply_to="12345")

    assert answer.text.splitlines()[1:] == [
        "“delivered to the group”",
        "0 views, 3 likes, 0 replies, 0 reposts, 0 quotes, 0 shares",
    ]
    # A period says it: the account's numbers, as when answering any other message.
    assert account.text.startswith("@alice on Threads, last 7 days")
    assert unknown.text.startswith("@alice on Threads, last 7 days")


async def test_someone_else_s_post_and_a_repost(
    sim: ThreadsSimulator, client: ThreadsClient, telegram_chat: RecordingAdapter
) -> None:
    sim.add_profile("bob")
    theirs = sim.add_post("bob", text="bob's own")
    repost_id = await client.repost(theirs.id)
    repost = sim.get_post(repost_id)
    assert repost is not None

    refused = await telegram_chat.send(GROUP, MEMBER, f"/insights {theirs.permalink}")
    reposted = await telegram_chat.send(GROUP, MEMBER, f"/insights {repost.permalink}")

    assert refused.text == (
        "Threads shares insights only for @alice's own posts; this one is @bob's."
    )
    assert not refused.ok
    assert reposted.text.splitlines()[-1] == (
        "Threads keeps no insights for a repost: ask about the original post."
    )


@pytest.mark.parametrize("typed", ["/insights yesterday", "/insights week please"])
async def test_insights_mistakes_answer_the_usage(
    telegram_chat: RecordingAdapter, typed: str
) -> None:
    answer = await telegram_chat.send(GROUP, PUBLISHER, typed)
    assert answer.text.startswith("Usage: /insights [day|week|month|LINK]\n")
    assert not answer.ok


async def test_a_threads_failure_is_explained_without_a_chart(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    sim.fail_next("GET", "/*/threads_insights", kind="rate_limit")
    answer: Reply = await telegram_chat.send(GROUP, MEMBER, "/insights")
    assert answer.text == (
        "Threads is limiting how often we can do that right now. Try again later."
    )
    assert not answer.ok and answer.image is None
