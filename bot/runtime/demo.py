"""`threads-bridge demo`: the real bridge against the built-in Threads simulator.

The simulator is seeded with a connected account and two public profiles; a generator publishes
a new post every few seconds; the terminal is a chat watching both profiles (and, when tokens
are in the environment, Telegram and Discord run too). No network, no account needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import itertools
import logging
import random
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

from adapters.console_adapter import RULE, TERMINAL, YOU, ConsoleAdapter
from bot.config import parse_config
from bot.events import SourceKind
from bot.runtime.app import BridgeApp
from bot.tasks import spawn
from simulator import DEMO_TOKEN, Quota, ThreadsSimulator, seed_demo

log = logging.getLogger(__name__)

POLL_INTERVAL = 2.0
# The demo's simulator allows far more profile lookups than Meta's 1,000 a day, so that its two
# profiles can be polled every 2 s; `demo --discovery-budget 1000` shows the real budget at work
# (the plan slows the polls down; a smaller one shows the pause when Meta refuses lookups).
DEMO_DISCOVERY_BUDGET = 1_000_000
# Per user: another user's log in a shared /tmp could not be opened.
DEFAULT_LOG = Path(tempfile.gettempdir()) / f"threads-bridge-demo-{getpass.getuser()}.log"
PROFILES = ("nova_photos", "river_notes")
_TEXTS = (
    "Blue hour over the rooftops tonight.",
    "Trying a new lens today: everything looks closer than it is.",
    "A kingfisher! Too fast for the camera, again.",
    "Note to self: the river is loudest just before dawn.",
    "Three frames from this morning's walk.",
    "Prints are packed and ready. Thank you all ❤️",
    "Fog again. Not complaining.",
    "Which one should be the cover? Reply and tell me.",
)


def _picture(seed: str) -> str:
    return f"https://picsum.photos/seed/{seed}/1080/1080"


async def generate_posts(
    sim: ThreadsSimulator, every: tuple[float, float] = (4.0, 7.0), first: float = 0.5
) -> None:
    """Publish a new post on one of the demo profiles every few seconds, forever (the first
    one soon, so a newcomer sees the bridge work at once)."""
    for n in itertools.count(1):
        await asyncio.sleep(first if n == 1 else random.uniform(*every))
        username = PROFILES[n % len(PROFILES)]
        text = _TEXTS[n % len(_TEXTS)]
        if n % 3 == 0:
            sim.add_post(
                username, text=text, media_type="IMAGE", media_urls=(_picture(f"demo{n}"),)
            )
        elif n % 5 == 0:
            sim.add_post(
                username,
                text=text,
                media_type="CAROUSEL_ALBUM",
                media_urls=tuple(_picture(f"demo{n}-{i}") for i in range(3)),
            )
        else:
            sim.add_post(username, text=text)


async def run_demo(
    *,
    db_path: str | None,
    health_port: int | None,
    env: Mapping[str, str],
    discovery_budget: int = DEMO_DISCOVERY_BUDGET,
) -> None:
    with tempfile.TemporaryDirectory(prefix="threads-bridge-demo-") as scratch:
        log_path = Path(db_path).with_suffix(".log") if db_path else DEFAULT_LOG
        with logs_to(log_path):
            sim = ThreadsSimulator(media_processing_seconds=1.0)
            seed_demo(sim)
            sim.set_quota(Quota.DISCOVERY, discovery_budget)
            await sim.start()
            try:
                db = db_path or str(Path(scratch) / "demo.db")
                await _run_bridge(sim, db, health_port, env, log_path, discovery_budget)
            finally:
                await sim.stop()


@contextlib.contextmanager
def logs_to(path: Path) -> Iterator[None]:
    """Send the log lines meant for the terminal to `path` instead: the terminal is the chat,
    and a log line printed there splits half-typed input. Formatting (and the redaction of
    secrets) stays the handlers' own."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and handler.stream in (sys.stderr, sys.stdout)
    ]
    with path.open("a", encoding="utf-8") as file:
        previous = [handler.setStream(file) for handler in handlers]
        try:
            yield
        finally:
            for handler, stream in zip(handlers, previous, strict=True):
                handler.setStream(stream or sys.stderr)


async def _run_bridge(
    sim: ThreadsSimulator,
    db_path: str,
    health_port: int | None,
    env: Mapping[str, str],
    log_path: Path,
    discovery_budget: int,
) -> None:
    raw = {
        "threads": {
            "access_token": DEMO_TOKEN,
            "api_base": sim.base_url,
            "poll_interval": POLL_INTERVAL,
            "discovery_budget": discovery_budget,
            "discovery_reserve": min(100, discovery_budget // 10),
        },
        "storage": {"path": db_path},
    }
    # Telegram and Discord tokens (and their settings) come from the environment, if any.
    config = parse_config(raw, env=env)
    app = BridgeApp(
        config,
        extra_adapters=[ConsoleAdapter],
        extra_publishers={TERMINAL.platform: frozenset({YOU.id})},
        health_port=health_port,
    )
    app.open()  # the database, so the demo's subscriptions exist before anything starts
    for username in PROFILES:
        source = app.store.sources.ensure(SourceKind.PROFILE, username)
        app.store.subscriptions.add(source, TERMINAL, origin="chat", created_by=YOU.id)
    others = [a.platform for a in app.adapters if a.platform != TERMINAL.platform]
    print(
        BANNER.format(
            profiles=" and ".join(f"@{p}" for p in PROFILES),
            also=f" Also running: {', '.join(others)}." if others else "",
            log=log_path,
            rule=RULE,
        ),
        flush=True,
    )
    generator: list[asyncio.Task[None]] = []

    async def start_generating() -> None:
        # Baselines first: what the profiles already had is not news; what comes next is.
        for source in app.store.sources.active():
            await app.poller.poll(source.id)
        generator.append(spawn(generate_posts(sim), name="demo post generator"))

    try:
        await app.run(on_started=start_generating)
    finally:
        for task in generator:
            task.cancel()


BANNER = """{rule}
threads-bridge demo: a local Threads (the built-in simulator) and this terminal as a chat.
This chat watches {profiles}; a new post appears on one of them every few
seconds and is delivered here. Type commands: /help, /list, /post Hello,
/watch demo, /reply #1 Nice!, /profile nova_photos, /status. Ctrl-C stops.{also}
Log lines go to {log}.
{rule}"""
