"""Lenient parsing of Graph JSON values: numbers Meta sometimes sends as strings, and text
that cannot be stored or shown as it is."""

from __future__ import annotations


def as_int(value: object) -> int | None:
    if not isinstance(value, int | float | str):
        return None
    try:
        return int(value)
    except ValueError:
        return None


def as_float(value: object) -> float | None:
    if not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def as_text(value: object) -> str | None:
    """A value where Graph documents a string: repaired text, the digits of a number
    (`"username": 12345`), or None for anything else (an object, a list, true/false)."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def repair_text(text: str) -> str:
    """`text` as UTF-8 can carry it. Graph's JSON may hold half of a UTF-16 surrogate pair (an
    emoji cut in two, `\\ud83d`): neither SQLite nor a chat platform accepts it, so each lone
    half becomes U+FFFD, and two halves that do pair up become the character they make."""
    if text.isascii():
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
