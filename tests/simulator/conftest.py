"""Fixtures: a running simulator on 127.0.0.1 and plain httpx clients pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from simulator import SimUser, ThreadsSimulator

ALICE_TOKEN = "tok-alice"


@pytest.fixture
async def sim() -> AsyncIterator[ThreadsSimulator]:
    simulator = ThreadsSimulator(app_id="sim-app", app_secret="sim-secret", seed=7)
    async with simulator:
        yield simulator


@pytest.fixture
def alice(sim: ThreadsSimulator) -> SimUser:
    return sim.add_account("alice", name="Alice", token=ALICE_TOKEN)


@pytest.fixture
def bob(sim: ThreadsSimulator) -> SimUser:
    return sim.add_profile("bob", name="Bob", followers=5000, biography="Bob's bio")


@pytest.fixture
async def api(sim: ThreadsSimulator, alice: SimUser) -> AsyncIterator[httpx.AsyncClient]:
    """A client authenticated as alice through the Authorization header."""
    async with httpx.AsyncClient(
        base_url=sim.base_url,
        headers={"Authorization": f"Bearer {ALICE_TOKEN}"},
        trust_env=False,  # never route loopback traffic through an environment proxy
    ) as client:
        yield client


@pytest.fixture
async def anon(sim: ThreadsSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """A client with no credentials, rooted at the unversioned host."""
    async with httpx.AsyncClient(base_url=sim.root_url, trust_env=False) as client:
        yield client
