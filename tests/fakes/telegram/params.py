"""Reading a Bot API call: every value arrives as a string (form, multipart, query or JSON body);
nested values are JSON text. `Params` hands typed values to handlers and refuses what is wrong."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .errors import FakeBug, bad_request

_INT = re.compile(r"-?\d+")
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
ATTACH = re.compile(r"attach://([A-Za-z0-9_.\-]+)")


@dataclass(frozen=True)
class Upload:
    """A file sent as multipart data."""

    field: str
    filename: str
    content_type: str
    data: bytes


class Params:
    """One call's parameters. Handlers may only read names their method declares: reading any
    other name is a bug in the fake (so the drift tests can trust the declared tables)."""

    def __init__(
        self,
        values: dict[str, str],
        uploads: dict[str, Upload],
        readable: Iterable[str] | None = None,
    ) -> None:
        self.values = values
        self.uploads = uploads
        self.readable: frozenset[str] | None = None if readable is None else frozenset(readable)

    def names(self) -> set[str]:
        """Every parameter name received, attach:// parts excluded."""
        return (set(self.values) | set(self.uploads)) - self.attached_names()

    def attached_names(self) -> set[str]:
        """Multipart parts referenced as attach://NAME from a JSON parameter."""
        refs: set[str] = set()
        for value in self.values.values():
            refs.update(ATTACH.findall(value))
        return refs & set(self.uploads)

    def has(self, name: str) -> bool:
        self._guard(name)
        return name in self.values or name in self.uploads

    def string(self, name: str) -> str | None:
        self._guard(name)
        return self.values.get(name)

    def integer(self, name: str) -> int | None:
        raw = self.string(name)
        if raw is None:
            return None
        if not _INT.fullmatch(raw.strip()):
            raise bad_request(f"invalid {name} specified: expected an Integer, got {raw!r}")
        return int(raw)

    def boolean(self, name: str) -> bool:
        raw = self.string(name)
        if raw is None:
            return False
        try:
            return _BOOLS[raw.strip().lower()]
        except KeyError:
            raise bad_request(f"invalid {name} specified: expected a Boolean") from None

    def json(self, name: str) -> Any:
        raw = self.string(name)
        if raw is None:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def chat_ref(self, name: str = "chat_id") -> int | str | None:
        """An Integer id or an @username."""
        raw = self.string(name)
        if raw is None:
            return None
        raw = raw.strip()
        if _INT.fullmatch(raw):
            return int(raw)
        if raw.startswith("@"):
            return raw
        raise bad_request("chat not found")

    def file(self, name: str) -> Upload | str | None:
        """A multipart upload, or the string (URL or file_id) sent in its place."""
        self._guard(name)
        if name in self.uploads:
            return self.uploads[name]
        return self.values.get(name)

    def attached(self, ref: str) -> Upload | None:
        """The part named by an `attach://NAME` reference."""
        match = ATTACH.fullmatch(ref)
        return self.uploads.get(match.group(1)) if match else None

    def _guard(self, name: str) -> None:
        if self.readable is not None and name not in self.readable:
            raise FakeBug(f"the fake read parameter {name!r} that its method does not declare")


async def read_params(request: web.Request) -> Params:
    """Parse any of the encodings Telegram accepts into string values plus uploads."""
    values: dict[str, str] = {}
    uploads: dict[str, Upload] = {}
    for key, value in request.query.items():
        values.setdefault(key, value)
    if request.method != "POST" or not request.body_exists:
        return Params(values, uploads)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        for key, item in body.items():
            values[key] = item if isinstance(item, str) else json.dumps(item)
        return Params(values, uploads)
    form = await request.post()
    for key, item in form.items():
        if isinstance(item, web.FileField):
            uploads[key] = Upload(key, item.filename, item.content_type, item.file.read())
        else:
            values[key] = str(item)
    return Params(values, uploads)
