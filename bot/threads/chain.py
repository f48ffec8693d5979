"""Split a long text into parts that each fit one Threads post, for a reply chain.

Cut at paragraph breaks first, then sentence ends, then between words, and only as a last resort
inside a word (between user-perceived characters, so an emoji or an accented letter is never cut
in half). Each part is packed as full as the limit allows. Only whitespace at a cut is dropped:
every other character survives, in order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bot.threads.containers import TEXT_LIMIT, text_length

_PARAGRAPHS = re.compile(r"\n\s*\n")
# Latin, CJK and full-width sentence ends.
_SENTENCE_ENDS = re.compile(r"(?<=[.!?\u2026\u3002\uff01\uff1f])\s+")
_WHITESPACE = re.compile(r"\s+")
_ZWJ = "\u200d"


def split_for_chain(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of `text`, each at most `limit` as Threads counts (UTF-8 bytes), in order."""
    text = text.strip()
    if not text:
        return []
    return _pack(text, 0, limit)


def _pieces(pattern: re.Pattern[str]) -> Callable[[str], list[str]]:
    return lambda text: [piece for piece in pattern.split(text) if piece and not piece.isspace()]


# (how to cut at this level, what to put back between two pieces packed into one part)
_LEVELS: list[tuple[Callable[[str], list[str]], str]] = [
    (_pieces(_PARAGRAPHS), "\n\n"),
    (_pieces(_SENTENCE_ENDS), " "),
    (_pieces(_WHITESPACE), " "),
    (lambda text: _graphemes(text), ""),
    (list, ""),  # a single "character" with hundreds of combining marks: cut code points
]


def _pack(text: str, level: int, limit: int) -> list[str]:
    if text_length(text) <= limit:
        return [text]
    cut, joiner = _LEVELS[level]
    parts: list[str] = []
    current = ""
    for piece in cut(text.strip()):
        piece = piece.strip() if joiner else piece
        if text_length(piece) > limit:
            if current:
                parts.append(current)
            *whole, current = _pack(piece, level + 1, limit)
            parts.extend(whole)
            continue
        candidate = f"{current}{joiner}{piece}" if current else piece
        if text_length(candidate) <= limit:
            current = candidate
        else:
            parts.append(current)
            current = piece
    if current:
        parts.append(current)
    return parts


def _graphemes(text: str) -> list[str]:
    """Approximate extended grapheme clusters without a dependency: keep combining marks,
    variation selectors, skin-tone modifiers, ZWJ sequences and flag pairs with their base."""
    clusters: list[str] = []
    for char in text:
        if clusters and _continues(clusters[-1], char):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def _continues(cluster: str, char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.combining(char) != 0
        or unicodedata.category(char) in ("Mn", "Me")
        or char == _ZWJ
        or cluster.endswith(_ZWJ)
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or (_is_regional(char) and len(cluster) == 1 and _is_regional(cluster))
    )


def _is_regional(char: str) -> bool:
    return 0x1F1E6 <= ord(char[-1]) <= 0x1F1FF
