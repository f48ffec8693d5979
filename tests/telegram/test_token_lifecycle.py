"""A running bridge and its Threads token: it picks up a token `auth` stored, refreshes before
expiry, and tells the admins in chat (and keeps running) when the token dies."""

from __future__ import annotations

import time

from bot.events import Destination
from bot.runtime.alerts import Alerts
from bot.threads.client import ThreadsClient
from jobs.maintenance import Maintenance
from simulator import SimUser
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory

DAY = 86400.0


def authorization(bridge: Bridge) -> str:
    return bridge.sim.requests[-1].headers["Authorization"]


async def test_a_token_stored_by_auth_is_picked_up(bridge: Bridge, alice: SimUser) -> None:
    async with ThreadsClient(
        None, api_base=bridge.sim.base_url, app_id="sim-app", app_secret="sim-secret"
    ) as signing_in:  # what `threads-bridge auth exchange` does in another process
        grant = await signing_in.exchange_code(
            bridge.sim.issue_auth_code("alice", redirect_uri="https://x.example/cb"),
            "https://x.example/cb",
        )
    bridge.app.store.tokens.save(grant.access_token, source="auth", expires_in=3600)

    assert await bridge.app.maintenance.pick_up_stored_token()
    await bridge.app.threads.me()
    assert authorization(bridge) == f"Bearer {grant.access_token}"
    assert not await bridge.app.maintenance.pick_up_stored_token()  # nothing new the second time


async def test_refresh_when_the_token_nears_expiry(bridge: Bridge, alice: SimUser) -> None:
    app = bridge.app
    app.store.tokens.save(alice.token, source="auth", expires_in=60 * DAY)
    bridge.sim.advance(2 * DAY)

    early = Maintenance(app.store, app.threads, app.alerts, clock=lambda: time.time() + 2 * DAY)
    await early.refresh_token_if_due()
    assert app.store.tokens.get().source == "auth"  # type: ignore[union-attr]  # 58 days left

    due = Maintenance(app.store, app.threads, app.alerts, clock=lambda: time.time() + 55 * DAY)
    await due.refresh_token_if_due()
    stored = app.store.tokens.get()
    assert stored is not None and stored.source == "refresh"
    await app.threads.me()
    assert authorization(bridge) == f"Bearer {stored.token}"


async def test_a_dead_token_is_reported_to_admins_once_and_the_bridge_keeps_running(
    start_bridge: BridgeFactory, alice: SimUser
) -> None:
    bridge: Bridge = await start_bridge(
        telegram={"admins": [PUBLISHER]},
        feeds=[{"profile": "bob", "telegram_chat": PRIVATE}],
    )
    bridge.sim.add_profile("bob", followers=5000)
    bridge.sim.expire_token(alice.token)

    await bridge.poll("bob")
    await bridge.poll("bob")  # a second failure does not alert again
    (alert,) = await bridge.delivered(PRIVATE, 1)
    status = await bridge.command(PRIVATE, PUBLISHER, "/status")

    assert alert.visible_text.startswith("Threads rejected the bridge's access token")
    assert "threads-bridge auth url" in alert.visible_text
    assert "the bridge keeps trying" in alert.visible_text  # it does not claim polling stopped
    assert "failing: The Threads access token was rejected" in status.visible_text
    assert len(bridge.tg.sent_to(PRIVATE)) == 2  # the alert and the /status answer


async def test_a_failed_refresh_is_recorded_and_reported(bridge: Bridge, alice: SimUser) -> None:
    app = bridge.app
    app.store.tokens.save(alice.token, source="auth", expires_in=3 * DAY)
    bridge.sim.expire_token(alice.token)
    told: list[str] = []

    async def tell(destination: Destination, text: str) -> None:
        told.append(text)

    admin = Destination("telegram", str(PUBLISHER))
    maintenance = Maintenance(
        app.store, app.threads, Alerts(tell, [admin]), clock=lambda: time.time() + 2 * DAY
    )
    await maintenance.refresh_token_if_due()

    assert told and told[0].startswith("The Threads token was rejected")
    stored = app.store.tokens.get()
    assert stored is not None and stored.refresh_error is not None
    status = await bridge.command(PRIVATE, PUBLISHER, "/status")
    assert "last refresh failed" in status.visible_text
