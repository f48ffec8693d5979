"""A dead token can answer `/me` with code 100 "The requested resource does not exist" instead of
190. The bridge reads that as a rejected token: admins are told at start, `check` says to sign in
again, and the poll side (which gets 190) keeps alerting only once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import parse_config
from bot.runtime.check import run_checks
from bot.threads.client import ThreadsClient
from bot.threads.errors import AuthError
from simulator import SimUser, ThreadsSimulator
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory


async def test_me_answering_100_is_a_rejected_token(
    sim: ThreadsSimulator, alice: SimUser, client: ThreadsClient
) -> None:
    sim.revoke_token(alice.token)

    with pytest.raises(AuthError) as caught:
        await client.me()

    assert caught.value.code == 100
    assert caught.value.reason.startswith("The Threads access token was rejected")
    assert "The requested resource does not exist" in caught.value.reason


async def test_admins_are_told_at_start(
    start_bridge: BridgeFactory, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.revoke_token(alice.token)

    bridge: Bridge = await start_bridge(telegram={"admins": [PUBLISHER]})
    (alert,) = await bridge.delivered(PRIVATE, 1)

    assert alert.visible_text.startswith("Threads rejected the bridge's access token")
    assert "threads-bridge auth url" in alert.visible_text


async def test_check_says_to_sign_in_again(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    sim.revoke_token(alice.token)
    config = parse_config(
        {
            "threads": {"access_token": alice.token, "api_base": sim.base_url},
            "storage": {"path": str(tmp_path / "bridge.db")},
        },
        env={},
    )

    output = [check.line() async for check in run_checks(config, "config.toml")]

    threads_line = next(line for line in output if line.startswith("FAIL  threads:"))
    assert threads_line.startswith("FAIL  threads: the access token was rejected")
    assert threads_line.endswith("sign in again with `threads-bridge auth url`")
