"""Shared fixtures: a Threads simulator on loopback and a real ThreadsClient pointed at it."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.threads.client import ThreadsClient
from bot.threads.transport import RetryPolicy
from simulator import SimUser, ThreadsSimulator
from tests.media_host import MediaHost

# Loopback servers must never be reached through a proxy from the environment.
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
# python-telegram-bot: RetryAfter.retry_after as a timedelta, without a deprecation warning.
os.environ["PTB_TIMEDELTA"] = "true"

FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.02)


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Tests that call setup_logging must not leave their handler (bound to that test's
    captured stderr) or level behind."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture
async def sim() -> AsyncIterator[ThreadsSimulator]:
    async with ThreadsSimulator(app_id="sim-app", app_secret="sim-secret") as simulator:
        yield simulator


@pytest.fixture
async def media_host() -> AsyncIterator[MediaHost]:
    """A file host on 127.0.0.1: `media_host.add("a.jpg", JPEG, "image/jpeg")` gives a URL the
    simulator can download, as Meta downloads image_url / video_url (tests/media_samples.py
    has small files)."""
    async with MediaHost() as host:
        yield host


@pytest.fixture
def alice(sim: ThreadsSimulator) -> SimUser:
    """The connected account: the bridge holds its token."""
    return sim.add_account("alice", name="Alice", token="alice-token-0123456789")


@pytest.fixture
async def client(sim: ThreadsSimulator, alice: SimUser) -> AsyncIterator[ThreadsClient]:
    async with ThreadsClient(
        alice.token,
        api_base=sim.base_url,
        app_id="sim-app",
        app_secret="sim-secret",
        timeout=1.0,
        retry=FAST_RETRY,
    ) as threads:
        yield threads
