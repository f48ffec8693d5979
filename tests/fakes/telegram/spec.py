"""The published Bot API spec (vendored in tests/specs, so every checkout checks the fake)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# tests/fakes/telegram/spec.py -> tests/ is parents[2]; tests/specs/README.md says where the
# vendored copy comes from.
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "telegram-bot-api.json"
SPEC_ENV = "TELEGRAM_BOT_API_SPEC"

PRIMITIVES = frozenset({"Integer", "Float", "Boolean", "String", "True", "InputFile"})


def spec_path() -> Path:
    """Where the spec is read from: `$TELEGRAM_BOT_API_SPEC`, else the copy in tests/specs."""
    override = os.environ.get(SPEC_ENV)
    return Path(override) if override else DEFAULT_SPEC_PATH


@dataclass(frozen=True)
class Field:
    """One parameter of a method, or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool


class ApiSpec:
    """Lookups over the spec JSON: methods, their parameters, types and their fields."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = raw.get("version", "?")
        self._methods: dict[str, dict[str, Any]] = raw["methods"]
        self._types: dict[str, dict[str, Any]] = raw["types"]
        self._by_lower = {name.lower(): name for name in self._methods}

    def canonical_method(self, name: str) -> str | None:
        """The spec's spelling of a method name matched case-insensitively, or None."""
        return self._by_lower.get(name.lower())

    def method_names(self) -> list[str]:
        return list(self._methods)

    def params(self, method: str) -> dict[str, Field]:
        """The parameters of `method` (which must exist), by name."""
        return _fields(self._methods[method])

    def returns(self, method: str) -> list[str]:
        return list(self._methods[method].get("returns", []))

    def has_type(self, name: str) -> bool:
        return name in self._types

    def type_fields(self, name: str) -> dict[str, Field]:
        """The fields of an object type, by name (empty for a union such as ChatMember)."""
        return _fields(self._types[name])

    def subtypes(self, name: str) -> list[str]:
        """The members of a union type (`ChatMember` -> ChatMemberOwner, ...), else []."""
        return list(self._types.get(name, {}).get("subtypes", []))

    def concrete(self, name: str) -> list[str]:
        """A type name expanded through unions down to object types."""
        subs = self.subtypes(name)
        if not subs:
            return [name]
        out: list[str] = []
        for sub in subs:
            out.extend(self.concrete(sub) if sub in self._types else [sub])
        return out


def _fields(entry: dict[str, Any]) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], tuple(f["types"]), bool(f["required"]))
        for f in entry.get("fields", [])
    }


@lru_cache(maxsize=4)
def _load(path: Path) -> ApiSpec:
    with path.open(encoding="utf-8") as fh:
        return ApiSpec(json.load(fh))


class SpecMissing(FileNotFoundError):
    """The spec file is not where it is looked for: a broken checkout or a wrong
    `$TELEGRAM_BOT_API_SPEC`, never a reason to skip the checks."""


def load_spec(path: Path | None = None) -> ApiSpec:
    """The parsed spec; raises SpecMissing when the file is not there."""
    path = path or spec_path()
    if not path.is_file():
        raise SpecMissing(
            f"spec not found at {path}: it is vendored in tests/specs "
            f"(or set $TELEGRAM_BOT_API_SPEC)"
        )
    return _load(path.resolve())
