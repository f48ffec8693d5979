"""[[digest]]: the account's insights posted into a chat at its time, by the real Digests job
against the simulator, on a virtual clock; what went is kept in a real store."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image as PILImage

from bot.config import ConfigError, DigestConfig, parse_config
from bot.events import Destination, Image, Platform
from bot.insights.chart import HEIGHT, WIDTH
from bot.insights.digest import Digests, last_due
from bot.threads.client import ThreadsClient
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.test_insights import seed_week
from tests.virtual_time import EPOCH, VirtualClock

# EPOCH is Friday 2027-01-15 08:00 UTC (09:00 in Berlin).
MONDAY_9_BERLIN = datetime(2027, 1, 18, 9, tzinfo=ZoneInfo("Europe/Berlin")).timestamp()
GROUP = Destination(Platform.TELEGRAM, "-1001000000001")


@dataclass
class Chat:
    """What the digests sent, as the adapters' notify would have carried it."""

    sent: list[tuple[Destination, str, Image | None]] = field(default_factory=list)

    async def notify(self, chat: Destination, text: str, image: Image | None) -> None:
        self.sent.append((chat, text, image))


def weekly(**options: str) -> DigestConfig:
    return DigestConfig(telegram_chat=int(GROUP.chat_id), **options)


async def digests_for(
    rules: list[DigestConfig],
    client: ThreadsClient,
    store: Store,
    chat: Chat,
    clock: VirtualClock | None = None,
) -> tuple[Digests, VirtualClock]:
    clock = clock or VirtualClock()
    me = await client.me()
    digests = Digests(
        rules,
        client,
        lambda: me,
        chat.notify,
        store.state,
        timezone="Europe/Berlin",
        clock=clock,
    )
    return digests, clock


async def test_a_weekly_digest_goes_at_its_time_once(
    sim: ThreadsSimulator, client: ThreadsClient, store: Store
) -> None:
    chat = Chat()
    digests, clock = await digests_for([weekly()], client, store, chat)
    # The full week before Monday 18 January: 11 to 17 January.
    seed_week(sim, date(2027, 1, 17))

    await digests.send_due()  # the first check: from the next Monday on
    clock.advance(MONDAY_9_BERLIN - EPOCH - 60)
    await digests.send_due()  # a minute early
    assert chat.sent == []
    clock.advance(60)
    await digests.send_due()
    await digests.send_due()  # again within the minute: nothing more

    ((where, text, image),) = chat.sent
    assert where == GROUP
    assert text.splitlines() == [
        "Weekly digest",
        "@alice on Threads, last 7 days (11 Jan to 17 Jan, UTC):",
        "1,256 views, 7 likes, 1 reply, 0 reposts, 1 quote, 0 link clicks",
        "4,321 followers",
    ]
    assert image is not None and image.filename == "insights-week.png"
    assert image.description.endswith(
        "2027-01-11: 10; 2027-01-12: 0; 2027-01-13: 1,234; 2027-01-14: 0; 2027-01-15: 0; "
        "2027-01-16: 0; 2027-01-17: 12."
    )
    picture = PILImage.open(io.BytesIO(image.data))
    picture.load()
    assert picture.size == (WIDTH, HEIGHT)


async def test_a_restart_sends_none_twice_and_a_missed_one_goes_late(
    sim: ThreadsSimulator, client: ThreadsClient, store: Store
) -> None:
    chat = Chat()
    first, clock = await digests_for([weekly(every="day", at="10:30")], client, store, chat)
    await first.send_due()  # baseline: 10:30 on Thursday
    clock.advance(2 * 3600)  # Friday 11:00 in Berlin: Friday's is due
    await first.send_due()
    assert len(chat.sent) == 1 and chat.sent[0][1].startswith("Daily digest\n")
    assert chat.sent[0][1].splitlines()[1] == "@alice on Threads, yesterday (14 Jan, UTC):"

    # The bridge restarts (same database) and was down on Saturday at 10:30: sent at 16:00.
    again, _ = await digests_for([weekly(every="day", at="10:30")], client, store, chat, clock)
    await again.send_due()
    assert len(chat.sent) == 1
    clock.advance(29 * 3600)  # Saturday 16:00
    await again.send_due()
    assert len(chat.sent) == 2
    clock.advance(24 * 3600 + 13 * 3600)  # Monday 05:00: Sunday's is over 12 h late
    await again.send_due()
    assert len(chat.sent) == 2


async def test_a_threads_failure_is_tried_again_at_the_next_check(
    sim: ThreadsSimulator, client: ThreadsClient, store: Store
) -> None:
    chat = Chat()
    digests, clock = await digests_for([weekly(every="day")], client, store, chat)
    await digests.send_due()
    clock.advance(24 * 3600)
    sim.fail_next("GET", "/*/threads_insights", kind="rate_limit")

    await digests.send_due()
    assert chat.sent == []
    await digests.send_due()
    assert len(chat.sent) == 1


@pytest.mark.parametrize(
    ("now", "rule", "due"),
    [
        # Friday 09:00 Berlin, weekly on Mondays at 09:00: the Monday before.
        (datetime(2027, 1, 15, 9), {}, datetime(2027, 1, 11, 9)),
        (datetime(2027, 1, 18, 9), {}, datetime(2027, 1, 18, 9)),
        (datetime(2027, 1, 18, 8, 59), {}, datetime(2027, 1, 11, 9)),
        # Across the change to summer time (28 March 2027): still 09:00 on the wall clock.
        (datetime(2027, 3, 29, 10), {"every": "day"}, datetime(2027, 3, 29, 9)),
        (datetime(2027, 3, 29, 8), {"every": "day"}, datetime(2027, 3, 28, 9)),
        (datetime(2027, 1, 20, 23, 59), {"weekday": "wednesday", "at": "23:59"},
         datetime(2027, 1, 20, 23, 59)),
    ],
)  # fmt: skip
def test_when_a_digest_was_last_due(now: datetime, rule: dict[str, str], due: datetime) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert last_due(weekly(**rule), now.replace(tzinfo=berlin).timestamp(), berlin) == (
        due.replace(tzinfo=berlin).timestamp()
    )


TIME = "digest[0].at: expected a time of day as HH:MM, got "


@pytest.mark.parametrize(
    ("digest", "message"),
    [
        ({}, "digest[0]: needs exactly one of telegram_chat or discord_channel"),
        ({"telegram_chat": 1, "at": "9am"}, f"{TIME}'9am'"),
        ({"telegram_chat": 1, "at": "24:00"}, f"{TIME}'24:00'"),
        ({"telegram_chat": 1, "every": "month"}, 'digest[0].every: expected "week" or "day", '
                                                 "got 'month'"),
        ({"discord_channel": 5}, "digest[0].discord_channel: needs a Discord bot token"),
    ],
)  # fmt: skip
def test_digest_config_mistakes(digest: dict[str, object], message: str) -> None:
    raw = {"telegram": {"token": "1:x"}, "digest": [digest]}
    with pytest.raises(ConfigError) as error:
        parse_config(raw, env={})
    assert str(error.value) == message


def test_a_digest_config() -> None:
    raw = {
        "telegram": {"token": "1:x"},
        "digest": [{"telegram_chat": -100, "every": "day", "at": "7:45"}],
    }
    (digest,) = parse_config(raw, env={}).digests
    assert (digest.telegram_chat, digest.every, digest.at) == (-100, "day", "7:45")
    assert datetime.fromtimestamp(EPOCH, UTC).weekday() == 4  # the tests' Friday
