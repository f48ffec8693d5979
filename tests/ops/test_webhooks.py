"""Threads webhooks on the bridge's health server, over real HTTP: Meta's verification
handshake, signed events delivered once (against the polls too), and everything unsigned,
tampered or signed with another secret refused with 403 and logged without its body."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from adapters.console_adapter import TERMINAL, ConsoleAdapter
from bot.bridge import Bridge
from bot.config import ConfigError, parse_config
from bot.events import SourceKind
from bot.runtime.app import BridgeApp
from bot.runtime.wiring import configured_secrets
from bot.threads.client import ThreadsClient
from bot.threads.webhooks import sign
from simulator import SimPost, SimUser, ThreadsSimulator
from tests.conftest import FAST_RETRY
from tests.harness import poll_now
from tests.logwait import watching_logs
from tests.ops.bridges import Terminal
from tests.virtual_time import SkipAheadClock

APP_SECRET = "app-secret-for-the-tests"
VERIFY_TOKEN = "verify-me-please"
PATH = "/threads/webhook"


def webhook_config(tmp_path: Path, sim: ThreadsSimulator, account: SimUser, **raw: Any) -> Any:
    return parse_config(
        {
            "threads": {
                "access_token": account.token,
                "api_base": sim.base_url,
                "app_secret": APP_SECRET,
                "poll_interval": 300,
                "max_poll_interval": 3600,
            },
            "storage": {"path": str(tmp_path / "bridge.db")},
            "server": {"health_port": 9108},  # the app below listens on a free port instead
            "webhooks": {"path": PATH, "verify_token": VERIFY_TOKEN},
            **raw,
        },
        env={},
    )


class Running:
    """The bridge with its health server, the terminal it delivers to, and Meta's side."""

    def __init__(self, app: BridgeApp, terminal: Terminal, clock: SkipAheadClock) -> None:
        self.app = app
        self.terminal = terminal
        self.clock = clock
        self.http = httpx.AsyncClient(base_url=app.health.url)

    async def push(
        self, field: str, value: dict[str, Any], *, signature: str | None = "valid"
    ) -> httpx.Response:
        """POST one event as Meta sends it: `signature` "valid" signs the body with the app
        secret, None sends no header, anything else is sent as the header."""
        envelope = {
            "app_id": "123456",
            "topic": "interaction" if field in ("publish", "mentions") else "moderate",
            "target_id": value["id"],
            "time": 1723226877,
            "subscription_id": "234567",
            "has_uid_field": False,
            "values": {"value": value, "field": field},
        }
        return await self.post_raw(json.dumps(envelope).encode(), signature=signature)

    async def post_raw(self, body: bytes, *, signature: str | None = "valid") -> httpx.Response:
        headers = {"Content-Type": "application/json"}
        if signature == "valid":
            headers["X-Hub-Signature-256"] = sign(body, APP_SECRET)
        elif signature is not None:
            headers["X-Hub-Signature-256"] = signature
        return await self.http.post(PATH, content=body, headers=headers)

    async def handled(self) -> None:
        """Until every event accepted so far has been recorded, and its deliveries sent."""
        assert self.app.webhooks is not None
        await self.app.webhooks.idle()
        await self.app.delivery.idle()

    def lines_with(self, text: str) -> int:
        return sum(text in line for line in self.terminal.getvalue().splitlines())


@pytest.fixture
async def running(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> AsyncIterator[Callable[..., Any]]:
    started: list[Running] = []

    async def start(**raw: Any) -> Running:
        terminal, clock = Terminal(), SkipAheadClock()

        def console(bridge: Bridge) -> ConsoleAdapter:
            return ConsoleAdapter(bridge, out=terminal, read_commands=False)

        app = BridgeApp(
            webhook_config(tmp_path, sim, alice, **raw),
            threads=ThreadsClient(alice.token, api_base=sim.base_url, retry=FAST_RETRY),
            extra_adapters=[console],
            health_port=0,
            clock=clock,
        )
        app.open()
        me = app.store.sources.ensure(SourceKind.ME, "me")
        app.store.subscriptions.add(me, TERMINAL, origin="chat", created_by=None)
        await app.start()
        # Only the webhook (or a poll the test runs itself) may find a post: the scheduled
        # polls of "me" are held, so which of them delivered is never left to chance.
        app.scheduler.pause(SourceKind.ME)
        await poll_now(app, "me")  # the baseline
        running = Running(app, terminal, clock)
        started.append(running)
        return running

    yield start
    for running in started:
        await running.http.aclose()
        await running.app.stop()


def publish_value(post: SimPost) -> dict[str, Any]:
    """The `publish` event's value as Meta documents it."""
    return {
        "id": post.id,
        "media_type": post.media_type,
        "permalink": post.permalink,
        "timestamp": post.timestamp.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "username": post.username,
    }


# -- the verification handshake ----------------------------------------------------------------


async def test_the_verification_challenge_is_answered_only_with_the_verify_token(
    running: Callable[..., Any],
) -> None:
    bridge: Running = await running()
    good = {
        "hub.mode": "subscribe",
        "hub.challenge": "1158201444",
        "hub.verify_token": VERIFY_TOKEN,
    }

    answered = await bridge.http.get(PATH, params=good)
    wrong_token = await bridge.http.get(PATH, params={**good, "hub.verify_token": "guess"})
    wrong_mode = await bridge.http.get(PATH, params={**good, "hub.mode": "unsubscribe"})
    bare = await bridge.http.get(PATH)

    assert answered.status_code == 200
    assert answered.text == "1158201444"
    assert [r.status_code for r in (wrong_token, wrong_mode, bare)] == [403, 403, 403]
    assert "1158201444" not in wrong_token.text


# -- events ------------------------------------------------------------------------------------


async def test_a_signed_publish_event_is_delivered_once_and_a_later_poll_adds_nothing(
    running: Callable[..., Any], sim: ThreadsSimulator
) -> None:
    bridge: Running = await running()
    post = sim.add_post("alice", text="pushed by Meta")

    answer = await bridge.push("publish", publish_value(post))
    await bridge.terminal.wait_for("pushed by Meta")
    again = await bridge.push("publish", publish_value(post))  # Meta may send one twice
    await bridge.handled()
    queued_by_poll = await poll_now(bridge.app, "me")
    await bridge.handled()

    assert answer.status_code == 200
    assert again.status_code == 200
    assert queued_by_poll == 0
    assert bridge.lines_with("pushed by Meta") == 1
    # Rendered from the whole post (read with `media`), like a polled one: its link is there.
    assert post.permalink in bridge.terminal.getvalue()


async def test_a_post_polled_first_is_not_delivered_again_by_its_event(
    running: Callable[..., Any], sim: ThreadsSimulator
) -> None:
    bridge: Running = await running()
    post = sim.add_post("alice", text="polled before the event came")

    assert await poll_now(bridge.app, "me") == 1
    await bridge.terminal.wait_for("polled before the event came")
    answer = await bridge.push("publish", publish_value(post))
    await bridge.handled()

    assert answer.status_code == 200
    assert bridge.lines_with("polled before the event came") == 1


async def test_unsigned_tampered_and_foreign_events_are_refused_and_logged_without_the_body(
    running: Callable[..., Any], sim: ThreadsSimulator
) -> None:
    bridge: Running = await running()
    forged = sim.add_post("alice", text="forged-text-marker")
    real = sim.add_post("alice", text="the genuine one")
    body = json.dumps({"values": {"field": "publish", "value": publish_value(forged)}}).encode()
    signed_other = sign(b'{"values": {}}', APP_SECRET)
    tampered = body.replace(b"publish", b"mentions")
    legacy = sign(body, APP_SECRET).replace("sha256", "sha1")  # the right digest, wrong name

    with watching_logs() as logs:
        refused = [
            await bridge.post_raw(body, signature=None),
            await bridge.post_raw(body, signature=signed_other),
            await bridge.post_raw(body, signature=sign(body, "another app's secret")),
            await bridge.post_raw(body, signature=legacy),
            await bridge.post_raw(tampered, signature=sign(body, APP_SECRET)),
            await bridge.post_raw(body, signature="sha256=" + "0" * 64),
        ]
        accepted = await bridge.push("publish", publish_value(real))
        await bridge.terminal.wait_for("the genuine one")
        await bridge.handled()

    assert [r.status_code for r in refused] == [403] * 6
    assert accepted.status_code == 200
    assert "forged-text-marker" not in bridge.terminal.getvalue()
    lines = [m for m in logs.messages() if m.startswith("webhook event refused")]
    assert len(lines) == 6
    assert "no X-Hub-Signature-256" in lines[0]
    assert all("bad X-Hub-Signature-256" in line for line in lines[1:])
    assert not any(forged.id in m or "forged-text-marker" in m for m in logs.messages())
    assert APP_SECRET not in logs.text()


async def test_a_signed_body_that_is_no_event_is_answered_400(
    running: Callable[..., Any],
) -> None:
    bridge: Running = await running()

    not_json = await bridge.post_raw(b"{not json")
    no_field = await bridge.post_raw(b'{"values": {"value": {"id": "1"}}}')
    no_id = await bridge.post_raw(b'{"values": {"field": "publish", "value": {}}}')
    nothing = await bridge.post_raw(b"[]")

    assert [r.status_code for r in (not_json, no_field, no_id, nothing)] == [400] * 4


async def test_the_connected_account_is_polled_rarely_while_events_flow(
    running: Callable[..., Any], sim: ThreadsSimulator
) -> None:
    bridge: Running = await running()
    me = bridge.app.store.sources.find(SourceKind.ME, "me")
    assert me is not None
    before = bridge.app.scheduler.interval(me)

    await bridge.push("publish", publish_value(sim.add_post("alice", text="first push")))
    await bridge.handled()
    while_flowing = bridge.app.scheduler.interval(me)
    bridge.clock.advance(59 * 60)
    await bridge.app.webhook_feed.check_flow()
    still = bridge.app.scheduler.interval(me)
    bridge.clock.advance(2 * 60)  # an hour and a minute without an event
    await bridge.app.webhook_feed.check_flow()
    after = bridge.app.scheduler.interval(me)

    assert (before, while_flowing, still, after) == (300, 3600, 3600, 300)


async def test_metrics_count_accepted_refused_and_malformed_events(
    running: Callable[..., Any], sim: ThreadsSimulator
) -> None:
    bridge: Running = await running()
    post = sim.add_post("alice", text="counted")

    await bridge.push("publish", publish_value(post))
    await bridge.push("publish", publish_value(post), signature=None)
    await bridge.push("publish", publish_value(post), signature="sha256=00")
    await bridge.post_raw(b"[1, 2]")
    await bridge.handled()
    page = await bridge.http.get("/metrics")

    counts = {
        s.labels["result"]: s.value
        for family in text_string_to_metric_families(page.text)
        for s in family.samples
        if s.name == "threads_bridge_webhook_events_total"
    }
    assert counts == {"accepted": 1, "refused": 2, "malformed": 1}


# -- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("drop", "needs"),
    [
        (("server", "health_port"), "server.health_port"),
        (("threads", "app_secret"), "threads.app_secret"),
        (("webhooks", "verify_token"), "webhooks.verify_token"),
    ],
)
def test_a_webhook_path_needs_the_health_port_the_app_secret_and_a_verify_token(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, drop: tuple[str, str], needs: str
) -> None:
    raw: dict[str, Any] = {
        "threads": {"access_token": "t", "app_secret": APP_SECRET},
        "server": {"health_port": 9108},
        "webhooks": {"path": PATH, "verify_token": VERIFY_TOKEN},
    }
    del raw[drop[0]][drop[1]]

    with pytest.raises(ConfigError) as error:
        parse_config(raw, env={})

    assert str(error.value).startswith(f"webhooks.path: needs {needs} (")


def test_the_verify_token_may_come_from_the_environment() -> None:
    config = parse_config(
        {
            "threads": {"app_secret": APP_SECRET},
            "server": {"health_port": 9108},
            "webhooks": {"path": PATH},
        },
        env={"THREADS_WEBHOOK_VERIFY_TOKEN": "from-env"},
    )

    assert config.webhooks.verify_token is not None
    assert config.webhooks.verify_token.reveal() == "from-env"
    assert "from-env" not in repr(config.webhooks.verify_token)


@pytest.mark.parametrize("path", ["threads/webhook", "/healthz", "/metrics", "/a b"])
def test_a_webhook_path_is_a_path_of_its_own(path: str) -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(
            {
                "threads": {"app_secret": APP_SECRET},
                "server": {"health_port": 9108},
                "webhooks": {"path": path, "verify_token": VERIFY_TOKEN},
            },
            env={},
        )

    assert str(error.value).startswith("webhooks.path: expected a path such as")


def test_the_verify_token_is_redacted_from_the_logs(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    assert VERIFY_TOKEN in configured_secrets(webhook_config(tmp_path, sim, alice))
