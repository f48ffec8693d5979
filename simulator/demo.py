"""Running the simulator as a standalone server (`threads-bridge simulator`), with demo data."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from .server import ThreadsSimulator

log = logging.getLogger(__name__)

DEMO_USERNAME = "demo"
DEMO_TOKEN = "demo-token"  # noqa: S105 - a fixed, public token of a local fake


DEMO_ID_SEED = 2024  # the seeded world gets the same ids on every launch
SEED_STEP = timedelta(minutes=20)  # seeded posts are spread over the hours before the start


def seed_demo(sim: ThreadsSimulator) -> None:
    """A connected account `demo` (token `demo-token`) and two public profiles with text,
    image and carousel posts each, plus a reply, a topic-tagged post and a mention of @demo.

    The same world on every launch: the same ids (a database kept with `demo --db` knows
    these posts and does not announce them again) and timestamps in the past (older than any
    watch that starts now)."""
    with sim.state.ids.repeatable(DEMO_ID_SEED):
        _seed(sim, _Stamps(sim.now() - SEED_STEP * 10))


class _Stamps:
    """Successive timestamps SEED_STEP apart, from `start`."""

    def __init__(self, start: datetime) -> None:
        self._next = start

    def __call__(self) -> datetime:
        stamp, self._next = self._next, self._next + SEED_STEP
        return stamp


def _seed(sim: ThreadsSimulator, at: _Stamps) -> None:
    sim.add_account(DEMO_USERNAME, name="Demo Account", token=DEMO_TOKEN)
    sim.add_profile(
        "nova_photos",
        name="Nova Photos",
        followers=12_400,
        biography="Daily light, weekly albums.",
        is_verified=True,
        picture_url="https://picsum.photos/seed/nova/150/150",
    )
    sim.add_profile(
        "river_notes",
        name="River Notes",
        followers=3_100,
        biography="Short notes from the riverbank.",
        picture_url="https://picsum.photos/seed/river/150/150",
    )
    first = sim.add_post(
        "river_notes", text="Morning fog over the water again. Worth the walk.", timestamp=at()
    )
    sim.add_post(
        "nova_photos",
        text="Golden hour on the old bridge.",
        media_type="IMAGE",
        media_urls=(_picture("bridge"),),
        alt_text="A stone bridge lit by low sun",
        timestamp=at(),
    )
    sim.add_post(
        "river_notes", text="Counting herons: three today.", topic_tag="birds", timestamp=at()
    )
    sim.add_post(
        "nova_photos",
        text="This week's album: the harbour at night.",
        media_type="CAROUSEL_ALBUM",
        media_urls=tuple(_picture(f"harbour{n}") for n in range(1, 4)),
        timestamp=at(),
    )
    sim.add_post(
        "river_notes",
        text="The heron, finally still for a second.",
        media_type="IMAGE",
        media_urls=(_picture("heron"),),
        alt_text="A grey heron standing in shallow water",
        timestamp=at(),
    )
    sim.add_post(
        "nova_photos", text="The fog makes everything softer.", reply_to=first.id, timestamp=at()
    )
    sim.add_post(
        "nova_photos",
        text="New prints are up next week. Thanks for all the kind notes!",
        timestamp=at(),
    )
    sim.add_post(
        "river_notes",
        text="Three stones, three ripples.",
        media_type="CAROUSEL_ALBUM",
        media_urls=(_picture("stone1"), _picture("stone2")),
        timestamp=at(),
    )
    sim.add_post(
        "river_notes", text="@demo the bridge walk is open again this weekend.", timestamp=at()
    )


def _picture(seed: str) -> str:
    # Public placeholder images, so demo deliveries to Discord/Telegram have real media.
    return f"https://picsum.photos/seed/{seed}/1080/1080"


async def serve(
    host: str, port: int, *, seed: bool = False, ready: asyncio.Event | None = None
) -> None:
    """Run a simulator on host:port until cancelled; print its URL and account tokens, then
    set `ready` if given."""
    sim = ThreadsSimulator()
    if seed:
        seed_demo(sim)
    await sim.start(host=host, port=port)
    try:
        # Printed, not logged: this is the command's output (simulator tokens are not secrets).
        print(f"Threads simulator: {sim.base_url}", flush=True)
        print(f"Control API:       {sim.root_url}/__sim__/", flush=True)
        for user in sim.state.users.values():
            if user.token is not None:
                print(f"  account @{user.username}: token {user.token}", flush=True)
        print(
            f"Sign in with app id {sim.state.app_id}, app secret {sim.state.app_secret} at "
            f"{sim.root_url}/oauth/authorize (`threads-bridge simulator --help` shows how).",
            flush=True,
        )
        if ready is not None:
            ready.set()
        await asyncio.Event().wait()  # until the caller cancels us
    finally:
        await sim.stop()
