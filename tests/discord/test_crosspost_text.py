"""adapters/discord/crossposting.plain_text: Discord markdown as Threads shows it typed."""

from __future__ import annotations

import pytest

from adapters.discord.crossposting import plain_text


@pytest.mark.parametrize(
    ("typed", "plain"),
    [
        ("**bold** and *italic* and __under__ ~~gone~~", "bold and italic and under gone"),
        ("***both*** and **_nested_**", "both and nested"),
        ("see [the notes](https://example.com/n)", "see the notes (https://example.com/n)"),
        ("[https://a.example](https://a.example)", "https://a.example"),
        ("[quiet](<https://b.example>)", "quiet (https://b.example)"),
        (
            "snake_case_name and https://x.example/a_b_c",
            "snake_case_name and https://x.example/a_b_c",
        ),
        ("# Big news\n-# small print", "Big news\nsmall print"),
        ("||the ending|| stays hidden", "||the ending|| stays hidden"),
        ("2 * 3 * 4", "2 * 3 * 4"),
    ],
)
def test_markdown_reduced_to_plain_text(typed: str, plain: str) -> None:
    assert plain_text(typed) == plain
