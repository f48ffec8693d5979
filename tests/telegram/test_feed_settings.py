"""Filters and templates on Telegram, end to end: what people in the group see after a chat
admin sets them with /settings."""

from __future__ import annotations

from tests.telegram.conftest import ADMIN, GROUP, MEMBER, Bridge, reads


async def test_a_filter_keeps_a_post_out_and_a_template_words_the_rest(bridge: Bridge) -> None:
    bridge.sim.add_profile("bob", name="Bob Builder", followers=5000)
    await bridge.command(GROUP, ADMIN, "/watch bob")
    excluded = await bridge.command(GROUP, ADMIN, "/settings bob exclude: spam")
    worded = await bridge.command(GROUP, ADMIN, "/settings bob template: {text}\n— {time} {topic}")
    refused = await bridge.command(GROUP, MEMBER, "/settings bob exclude: nothing")
    assert "• exclude: spam" in reads(excluded)
    assert "• template: {text}\n— {time} {topic}" in reads(worded)
    assert reads(refused) == "Only chat admins can change what this chat watches."
    await bridge.poll("bob")  # the baseline
    spam = bridge.sim.add_post("bob", text="Cheap SPAM, buy now")
    post = bridge.sim.add_post("bob", text="Launch day <3", topic_tag="News")

    await bridge.poll("bob")
    messages = await bridge.delivered(GROUP, 5)

    (delivery,) = messages[4:]
    when = post.timestamp.strftime("%Y-%m-%d %H:%M UTC")
    assert reads(delivery).split("\n\n") == [
        "Bob Builder (@bob)",
        f"Launch day <3\n— {when} #News",
        "Open on Threads",
    ]
    assert all("SPAM" not in reads(m) for m in messages)

    why = await bridge.command(GROUP, ADMIN, "/settings bob")
    assert f"{spam.permalink}: contains the excluded word “spam”" in reads(why)
