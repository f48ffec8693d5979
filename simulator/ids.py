"""Realistic-looking identifiers: numeric ids, shortcodes, tokens and one-time codes.

Shapes follow what Meta returns: media and container ids are 17-18 digit numeric strings
starting with 17 or 18, app-scoped user ids 16-17 digits, shortcodes 11 characters of the
URL-safe alphabet, tokens long opaque strings starting with `TH`.
"""

from __future__ import annotations

import contextlib
import logging
import random
import string
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)

_SHORTCODE_ALPHABET = string.ascii_letters + string.digits + "_-"
_TOKEN_ALPHABET = string.ascii_letters + string.digits


class IdFactory:
    """Hands out identifiers that are unique within one simulator."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._issued: set[str] = set()

    @contextlib.contextmanager
    def repeatable(self, seed: int) -> Iterator[None]:
        """Ids made inside the block are the same on every run with this `seed` (the demo's
        seeded world, so a database kept from an earlier run recognises its posts); ids made
        afterwards come from the factory's own sequence again, and none are ever repeated."""
        own = self._rng
        self._rng = random.Random(seed)
        try:
            yield
        finally:
            self._rng = own

    def _unique(self, make: Callable[[], str]) -> str:
        while True:
            value = make()
            if value not in self._issued:
                self._issued.add(value)
                return value

    def _digits(self, count: int) -> str:
        return "".join(self._rng.choice(string.digits) for _ in range(count))

    def user_id(self) -> str:
        """An app-scoped user id: 16 or 17 digits, no leading zero."""
        return self._unique(lambda: "1" + self._digits(self._rng.choice((15, 16))))

    def media_id(self) -> str:
        """A media or container id: 17 or 18 digits starting with 17 or 18."""
        return self._unique(
            lambda: self._rng.choice(("17", "18")) + self._digits(self._rng.choice((15, 16)))
        )

    def shortcode(self) -> str:
        """The last path part of a permalink."""
        return self._unique(
            lambda: "".join(self._rng.choice(_SHORTCODE_ALPHABET) for _ in range(11))
        )

    def access_token(self) -> str:
        """An opaque user access token (Meta's start with `THAA` / `THQVJ`)."""
        return self._unique(
            lambda: "THAA" + "".join(self._rng.choice(_TOKEN_ALPHABET) for _ in range(150))
        )

    def auth_code(self) -> str:
        """A one-time OAuth authorization code (Meta's start with `AQB`)."""
        return self._unique(
            lambda: "AQB" + "".join(self._rng.choice(_SHORTCODE_ALPHABET) for _ in range(80))
        )
