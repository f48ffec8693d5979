"""Spoiler ranges in a post's text, as Threads takes them (`text_entities`, SPOILER ranges).

People mark spoilers in chat as `||like this||` (Discord's own syntax; the Telegram adapter
writes a Telegram spoiler that way too). The marks become two private-use characters before a
long text is split, so each part of a chain knows its own ranges, and a spoiler cut by a split
continues in the next part. Offsets count characters of the published text.
"""

from __future__ import annotations

import re

OPEN, CLOSE = "\ue000", "\ue001"
SPOILER_LIMIT = 10  # ranges per post (Meta's examples and client libraries cap at 10)
_MARKED = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)

Ranges = tuple[tuple[int, int], ...]


def mark_spoilers(text: str) -> str:
    """`||x||` -> OPEN x CLOSE (an unpaired `||` stays as typed)."""
    return _MARKED.sub(lambda match: f"{OPEN}{match.group(1)}{CLOSE}", text)


def unmark(text: str, *, inside: bool = False) -> tuple[str, Ranges, bool]:
    """The text without marks, its spoiler ranges (offset, length), and whether a spoiler is
    still open at its end. `inside`: the text starts within a spoiler (cut by a split)."""
    clean: list[str] = []
    ranges: list[tuple[int, int]] = []
    start = 0 if inside else None
    length = 0
    for char in text:
        if char == OPEN:
            start = length if start is None else start
        elif char == CLOSE:
            if start is not None and length > start:
                ranges.append((start, length - start))
            start = None
        else:
            clean.append(char)
            length += 1
    still_open = start is not None
    if start is not None and length > start:
        ranges.append((start, length - start))
    return "".join(clean), tuple(ranges), still_open


def has_spoilers(text: str) -> bool:
    return OPEN in text


def as_typed(text: str) -> str:
    """Marked text as people typed it (for answers and the audit table)."""
    return text.replace(OPEN, "||").replace(CLOSE, "||")
