"""The reply-chain splitter: no part over the limit, nothing lost, order kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.threads.chain import split_for_chain
from bot.threads.containers import TEXT_LIMIT, text_length

WORDS = st.one_of(
    st.sampled_from(
        ["hello", "café", "naïve", "Zürich", "👋", "👩‍👩‍👧", "🇫🇷", "日本語", "e\u0301"]
    ),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")),
        min_size=1,
        max_size=40,
    ),
    st.text(alphabet="aé😀", min_size=200, max_size=700),  # words longer than a whole post
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", ". ", "! ", "? ", "… ", "\t"])


@st.composite
def texts(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, max_size=250))
    out = []
    for word in words:
        out.append(word)
        out.append(draw(SEPARATORS))
    return "".join(out)


def non_space(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@settings(max_examples=300, deadline=None)
@given(st.one_of(texts(), st.text(max_size=3000)))
def test_parts_fit_and_nothing_is_lost(text: str) -> None:
    parts = split_for_chain(text)
    assert all(0 < text_length(part) <= TEXT_LIMIT for part in parts)
    assert all(part == part.strip() for part in parts)
    assert non_space("".join(parts)) == non_space(text)


@settings(max_examples=300, deadline=None)
@given(texts())
def test_words_survive_whole_when_they_fit(text: str) -> None:
    if any(text_length(word) > TEXT_LIMIT for word in text.split()):
        return
    parts = split_for_chain(text)
    assert " ".join(parts).split() == text.split()


def test_short_text_is_one_part() -> None:
    assert split_for_chain("  Hello, Threads!  ") == ["Hello, Threads!"]


def test_splits_at_paragraphs_first() -> None:
    first, second = "A" * 300, "B" * 300
    assert split_for_chain(f"{first}\n\n{second}") == [first, second]


def test_packs_sentences_into_full_parts() -> None:
    sentence = "This sentence has exactly forty-nine bytes in it."
    parts = split_for_chain(" ".join([sentence] * 20))
    assert [len(part.split(". ")) for part in parts] == [10, 10]
    assert parts[0].endswith(".")


def test_counts_accents_and_emoji_as_their_utf8_bytes() -> None:
    text = "é" * 251  # 251 characters, 502 bytes: over the limit as Threads counts it
    parts = split_for_chain(text)
    assert [len(part) for part in parts] == [250, 1]


def test_never_cuts_inside_an_emoji_sequence() -> None:
    family = "👩‍👩‍👧‍👦"  # 25 bytes joined by zero-width joiners
    parts = split_for_chain(family * 30)
    assert all(part == family * (len(part) // len(family)) for part in parts)
