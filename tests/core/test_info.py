"""/profile and /status through the real Bridge, without a chat platform."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.events import Role, SourceKind
from simulator import ThreadsSimulator
from storage.store import Store
from tests.core.conftest import ADMIN, GROUP, MEMBER, PRIVATE, PUBLISHER, RecordingAdapter

DAY = 86400.0


async def test_profile_card(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob", name="Bob B.", followers=12345, biography="I build.", is_verified=True)

    answer = await telegram_chat.send(GROUP, MEMBER, "/profile @Bob")

    assert answer.text == (
        "Bob B. (@bob) ✓\n12,345 followers\nI build.\nhttps://www.threads.com/@bob"
    )
    assert answer.ok and not answer.private
    saved = store.sources.profile("bob")  # kept for rendering bob's posts later
    assert saved is not None and saved.name == "Bob B."


async def test_a_plain_profile_has_a_short_card(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    sim.add_profile("carol", followers=0)
    answer = await telegram_chat.send(GROUP, MEMBER, "/profile carol")
    assert answer.text == "@carol\n0 followers\nhttps://www.threads.com/@carol"


@pytest.mark.parametrize("args", ["", "no!name", "@"])
async def test_profile_without_a_username_answers_its_usage(
    telegram_chat: RecordingAdapter, args: str
) -> None:
    answer = await telegram_chat.send(GROUP, MEMBER, f"/profile {args}")
    assert answer.text == "Usage: /profile USERNAME\nA Threads profile's card."
    assert not answer.ok


async def test_status_of_a_fresh_bridge(telegram_chat: RecordingAdapter) -> None:
    answer = await telegram_chat.send(GROUP, MEMBER, "/status")
    assert answer.text.splitlines() == [
        "Watching 0 Threads sources.",
        "Deliveries waiting: 0",
        "Posts waiting to be published: 0",
        "Publishing quota left today: 250 of 250 posts, 1000 of 1000 replies",
        "Threads token: expiry not known yet (learned at its first refresh)",
    ]


async def test_status_lists_sources_queue_and_quota(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter, store: Store
) -> None:
    sim.add_profile("bob")
    sim.add_profile("carol")
    await telegram_chat.send(GROUP, ADMIN, "/watch bob", role=Role.ADMIN)
    await telegram_chat.send(GROUP, ADMIN, "/watch carol", role=Role.ADMIN)
    await telegram_chat.send(PRIVATE, PUBLISHER, "/watch me", role=Role.OWNER)
    bob = store.sources.find(SourceKind.PROFILE, "bob")
    carol = store.sources.find(SourceKind.PROFILE, "carol")
    assert bob is not None and carol is not None
    store.sources.record_poll(bob.id)
    store.sources.record_poll(carol.id, error="Threads had a temporary problem")
    await telegram_chat.send(PRIVATE, PUBLISHER, "/post counting")

    answer = await telegram_chat.send(GROUP, MEMBER, "/status")

    lines = answer.text.splitlines()
    assert lines[0] == "Watching 3 Threads sources."
    assert lines[1].startswith("• @bob: last polled ") and lines[1].endswith(" s ago")
    assert lines[2].startswith("• @carol: last polled ")
    assert lines[2].endswith("; failing: Threads had a temporary problem")
    assert lines[3] == "• @alice: not polled yet"  # the connected account, by its name
    assert lines[4:7] == [
        "Deliveries waiting: 0",
        "Posts waiting to be published: 0",
        "Publishing quota left today: 249 of 250 posts, 1000 of 1000 replies",
    ]


async def test_status_says_when_the_quota_is_unknown(
    sim: ThreadsSimulator, telegram_chat: RecordingAdapter
) -> None:
    sim.fail_next("GET", "/*/threads_publishing_limit", kind="server_error", times=3)
    answer = await telegram_chat.send(GROUP, MEMBER, "/status")
    assert answer.ok  # the rest of the status is still worth reading
    assert "Publishing quota: unknown (Threads had a temporary problem: " in answer.text


@pytest.mark.parametrize(
    ("expires_in", "refresh_error", "expected"),
    [
        (30 * DAY + 600, None, "Threads token: expires {date}, in 30 days"),
        (
            10 * DAY + 600,
            "HTTP 500",
            "Threads token: expires {date}, in 10 days (last refresh failed: HTTP 500)",
        ),
        (-DAY, None, "Threads token: expired on {date}; sign in again with threads-bridge auth"),
    ],
)
async def test_status_tells_the_token_s_expiry(
    telegram_chat: RecordingAdapter,
    store: Store,
    expires_in: float,
    refresh_error: str | None,
    expected: str,
) -> None:
    token = store.tokens.save("a-token", source="refresh", expires_in=expires_in)
    if refresh_error:
        store.tokens.record_refresh_error(refresh_error)
    assert token.expires_at is not None
    date = datetime.fromtimestamp(token.expires_at, UTC).strftime("%Y-%m-%d")

    answer = await telegram_chat.send(GROUP, MEMBER, "/status")

    assert answer.text.splitlines()[-1] == expected.format(date=date)
