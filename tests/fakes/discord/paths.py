"""URL path templates in the OpenAPI spelling (`/channels/{channel_id}/messages`): matching a
concrete path against them, preferring literal segments (`@original` over `{message_id}`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    """One path template, split into segments; `{name}` segments match any one segment."""

    text: str
    segments: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        return cls(text, tuple(text.strip("/").split("/")))

    def match(self, segments: tuple[str, ...]) -> dict[str, str] | None:
        """The path parameters when `segments` fit this template, else None."""
        if len(segments) != len(self.segments):
            return None
        params: dict[str, str] = {}
        for pattern, value in zip(self.segments, segments, strict=True):
            if _is_placeholder(pattern):
                if not value:
                    return None
                params[pattern[1:-1]] = value
            elif pattern != value:
                return None
        return params

    @property
    def literal_count(self) -> int:
        return sum(1 for s in self.segments if not _is_placeholder(s))


def split_path(path: str) -> tuple[str, ...]:
    return tuple(path.strip("/").split("/"))


def best_match(templates: Iterable[Template], path: str) -> tuple[Template, dict[str, str]] | None:
    """The most specific template matching `path` (most literal segments wins)."""
    segments = split_path(path)
    found: list[tuple[Template, dict[str, str]]] = []
    for template in templates:
        params = template.match(segments)
        if params is not None:
            found.append((template, params))
    if not found:
        return None
    return max(found, key=lambda pair: pair[0].literal_count)


def _is_placeholder(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")
