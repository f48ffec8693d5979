"""What the core expects of a chat adapter: a lifecycle, the delivery side, and notices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from bot.events import Button, Destination, Image
from bot.outbound import Outlet


class ChatAdapter(Outlet[Any], Protocol):
    """A chat platform: commands in (through the Bridge), deliveries out (through the worker).

    `start` connects and begins receiving commands; when the platform cannot be reached it
    returns anyway and keeps trying in the background (adapters/reconnect.py), and only a
    setting that can never work (a rejected token) raises. `connected` says whether the
    platform is usable right now (/healthz reports it). `stop` disconnects and releases
    everything, and must be safe to call after a failed start.
    """

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    @property
    def connected(self) -> bool: ...

    async def notify(
        self,
        destination: Destination,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        image: Image | None = None,
    ) -> None:
        """Send a plain-text notice (not a feed item) to a chat; `buttons` go under it (a
        review's Approve / Reject), and a click on one comes back through `Bridge.handle` as
        `Command(name=button.command, args=button.args)` from the clicker. `image` (a
        digest's chart) is uploaded with it, the text as its caption where it fits."""
