"""Checks a decoded JSON value against the spec's type names ("Array of InputMediaPhoto", ...).

Real Telegram silently ignores unknown keys inside JSON objects; the fake refuses them so that a
misspelt nested field (e.g. `link_preview_options.disabled`) fails a test instead of doing nothing.
"""

from __future__ import annotations

from typing import Any

from .spec import PRIMITIVES, ApiSpec

ARRAY = "Array of "


def check_value(spec: ApiSpec, value: Any, types: tuple[str, ...] | list[str], path: str) -> str:
    """'' when `value` fits one of `types`, else why it does not (the first reason found)."""
    if len(types) > 1 and all(t.startswith(ARRAY) for t in types):
        # "Array of A | Array of B" (sendMediaGroup's media): items may mix, as photo+video do.
        if not isinstance(value, list):
            return f"{path} must be an array"
        inner = [t[len(ARRAY) :] for t in types]
        for index, item in enumerate(value):
            reason = check_value(spec, item, inner, f"{path}[{index}]")
            if reason:
                return reason
        return ""
    reasons: list[str] = []
    for type_name in types:
        reason = _check_one(spec, value, type_name, path)
        if not reason:
            return ""
        reasons.append(reason)
    return reasons[0] if reasons else f"{path} has no declared type"


def _check_one(spec: ApiSpec, value: Any, type_name: str, path: str) -> str:
    if type_name.startswith(ARRAY):
        if not isinstance(value, list):
            return f"{path} must be an array"
        inner = type_name[len(ARRAY) :]
        for index, item in enumerate(value):
            reason = _check_one(spec, item, inner, f"{path}[{index}]")
            if reason:
                return reason
        return ""
    if type_name in PRIMITIVES:
        return _check_primitive(value, type_name, path)
    if not spec.has_type(type_name):
        return ""  # a name the spec does not define: nothing to check against
    candidates = spec.concrete(type_name)
    if not isinstance(value, dict):
        # RichText-style unions may include primitives; anything else wants an object.
        prim = [c for c in candidates if c in PRIMITIVES or c.startswith(ARRAY)]
        if prim:
            return check_value(spec, value, prim, path)
        return f"{path} must be a JSON object ({type_name})"
    reasons = [_check_object(spec, value, c, path) for c in candidates if spec.has_type(c)]
    if not reasons or "" in reasons:
        return ""
    return min(reasons, key=len)


def _check_object(spec: ApiSpec, value: dict[str, Any], type_name: str, path: str) -> str:
    fields = spec.type_fields(type_name)
    for key in value:
        if key not in fields:
            return f"unknown field {path}.{key} for {type_name}"
    for field in fields.values():
        if field.required and field.name not in value:
            return f"{path}.{field.name} is required for {type_name}"
    discriminator = fields.get("type")
    if discriminator is not None and isinstance(value.get("type"), str):
        # Union members say "Type of the result, must be photo": match on the suffix of the name.
        expected = _discriminator_hint(type_name)
        if expected and value["type"].replace("_", "") != expected:
            return f"{path}.type {value['type']!r} does not fit {type_name}"
    for key, item in value.items():
        reason = check_value(spec, item, fields[key].types, f"{path}.{key}")
        if reason:
            return reason
    return ""


_DISCRIMINATED = ("InputMedia", "BotCommandScope", "InputPaidMedia", "ReactionType")


def _discriminator_hint(type_name: str) -> str:
    for prefix in _DISCRIMINATED:
        if type_name.startswith(prefix) and type_name != prefix:
            return type_name[len(prefix) :].lower()
    return ""


def _check_primitive(value: Any, type_name: str, path: str) -> str:
    ok = {
        "Integer": isinstance(value, int) and not isinstance(value, bool),
        "Float": isinstance(value, int | float) and not isinstance(value, bool),
        "Boolean": isinstance(value, bool),
        "True": value is True,
        "String": isinstance(value, str),
        "InputFile": isinstance(value, str),
    }[type_name]
    return "" if ok else f"{path} must be {type_name}, got {value!r}"
