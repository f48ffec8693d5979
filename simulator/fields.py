"""The `fields` parameter: parsing (with nested `children{...}` selections) and rendering.

A node is described by a `NodeView`: the fields its type has (asking for any other is
Meta's code 100 "Tried accessing nonexisting field (X)"), the values it actually has (absent
optional values are simply omitted, as Meta does) and the fields returned when the request
sends no `fields` at all (usually just `id`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import invalid_param, nonexisting_field

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FieldSel:
    """One requested field, with its nested selection when written as `name{a,b}`."""

    name: str
    sub: tuple[FieldSel, ...] | None = None


Selection = tuple[FieldSel, ...]
# A nested value is computed from the nested selection (None when none was given).
Nested = Callable[[Selection | None], Any]


def parse_fields(raw: str | None) -> Selection | None:
    """Parse `a,b{c,d},e`; None when the parameter is absent or blank."""
    if raw is None or not raw.strip():
        return None
    return _Parser(raw).selection(top=True)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _fail(self) -> None:
        raise invalid_param(f"Syntax error in fields at character {self.pos}: {self.text!r}")

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _name(self) -> str:
        self._skip_space()
        start = self.pos
        while self.pos < len(self.text) and (
            self.text[self.pos].isalnum() or self.text[self.pos] == "_"
        ):
            self.pos += 1
        if start == self.pos:
            self._fail()
        return self.text[start : self.pos]

    def selection(self, *, top: bool) -> Selection:
        items: list[FieldSel] = []
        while True:
            name = self._name()
            self._skip_space()
            sub = None
            if self.pos < len(self.text) and self.text[self.pos] == "{":
                self.pos += 1
                sub = self.selection(top=False)
                if self.pos >= len(self.text) or self.text[self.pos] != "}":
                    self._fail()
                self.pos += 1
                self._skip_space()
            items.append(FieldSel(name, sub))
            if self.pos < len(self.text) and self.text[self.pos] == ",":
                self.pos += 1
                continue
            break
        self._skip_space()
        at_end = self.pos >= len(self.text)
        if top and not at_end:
            self._fail()
        if not top and (at_end or self.text[self.pos] != "}"):
            self._fail()
        return tuple(items)


@dataclass(frozen=True, slots=True)
class NodeView:
    """What one node can show: its type's field names, its present values, its defaults."""

    known: frozenset[str]
    values: Mapping[str, Any]  # JSON values, or `Nested` callables for object-valued fields
    default: tuple[str, ...] = ("id",)


def render(view: NodeView, selection: Selection | None) -> dict[str, Any]:
    """Exactly the requested fields that exist on the node, in the order asked."""
    wanted = selection if selection is not None else tuple(FieldSel(n) for n in view.default)
    out: dict[str, Any] = {}
    for sel in wanted:
        if sel.name not in view.known:
            raise nonexisting_field(sel.name)
        if sel.name not in view.values:
            continue
        value = view.values[sel.name]
        if callable(value):  # JSON values never are; only `Nested` ones
            out[sel.name] = value(sel.sub)
        elif sel.sub is not None:
            raise invalid_param(f"Field {sel.name} does not support sub-field selection")
        else:
            out[sel.name] = value
    return out


def select_keys(
    data: Mapping[str, Any], known: frozenset[str], selection: Selection | None
) -> dict[str, Any]:
    """Sub-selection over a plain object (e.g. `poll_attachment{option_a,total_votes}`)."""
    if selection is None:
        return dict(data)
    out: dict[str, Any] = {}
    for sel in selection:
        if sel.name not in known:
            raise nonexisting_field(sel.name)
        if sel.name in data:
            out[sel.name] = data[sel.name]
    return out
