"""post_text: the /threads post options as the leading tokens the core parses."""

from __future__ import annotations

from adapters.discord.commands import post_text


def test_only_the_options_given_lead_the_text_in_a_fixed_order() -> None:
    assert post_text("hello") == "hello"
    assert post_text("hello", long_text="chain", replies="followers") == (
        "replies:followers long:chain hello"
    )
    assert post_text(
        " see this ", replies="author", link="https://example.com/a?b=1", long_text="attachment"
    ) == ("replies:author link:https://example.com/a?b=1 long:attachment see this")


def test_blank_values_and_a_missing_text_leave_no_stray_spaces() -> None:
    assert post_text("", link=" https://example.com ") == "link:https://example.com"
    assert post_text("", link="  ") == ""
    assert post_text("") == ""
