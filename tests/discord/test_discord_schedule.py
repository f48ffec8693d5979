"""`/threads schedule`, `queue`, `cancel` and `timezone` through the real discord.py.

The harness's SkipAheadClock skips every wait, the publish worker's wait for a row's time
too: a scheduled post goes out as soon as it is queued, at its time as the bridge counts. The
times here stay within the 15 minutes an interaction's token lives (the fake counts them on
that clock), so the command's own answer, sent after the skip, is still accepted."""

from __future__ import annotations

from simulator import SimPost
from tests.discord.conftest import ALICE, BOB, GUILD, PUBLISHER, TEXT, Bridge
from tests.fakes.discord import FakeDiscord
from tests.fakes.discord.cdn import Upload
from tests.media_samples import JPEG, sha256


def told(fake: FakeDiscord, text: str) -> list[str]:
    return [m.content or "" for m in fake.messages_in(TEXT) if text in (m.content or "")]


async def test_a_photo_scheduled_from_discord_goes_out_with_its_link_in_the_channel(
    bridge: Bridge,
) -> None:
    zone = await bridge.slash(ALICE, "timezone", zone="Europe/Berlin")
    sent = await bridge.discord.invoke_slash(
        GUILD,
        TEXT,
        PUBLISHER,
        "threads",
        subcommand="schedule",
        options={"when": "in 10 minutes", "text": "in 2h: lake", "media1": Upload("l.jpg", JPEG)},
    )
    answer = await bridge.answer_to(sent)

    def published(fake: FakeDiscord) -> bool:
        return bool(told(fake, "Published on Threads (queued #1)"))

    await bridge.discord.wait_for(published, timeout=30)
    assert zone.text.startswith("This chat's times are now in Europe/Berlin")
    assert answer.text.startswith("Scheduled as #1 for ")
    assert answer.text.endswith(" (Europe/Berlin).")
    post: SimPost
    (post,) = bridge.sim.posts_by("alice")
    assert (post.media_type, post.text) == ("IMAGE", "in 2h: lake")  # the bar kept them apart
    assert post.spec.fetched is not None and post.spec.fetched.sha256 == sha256(JPEG)
    assert told(bridge.discord, "queued #1") == [
        f"Published on Threads (queued #1): {post.permalink}"
    ]


async def test_queue_cancel_and_timezone_answer_in_the_channel(bridge: Bridge) -> None:
    empty = await bridge.slash(BOB, "queue")
    unknown = await bridge.slash(PUBLISHER, "cancel", id="7")
    member = await bridge.slash(BOB, "cancel", id="7")
    not_a_mod = await bridge.slash(BOB, "timezone", zone="Europe/Berlin")

    assert empty.text == "No posts waiting to be published from this chat."
    assert unknown.text == "There is no post #7 waiting in this chat."
    assert member.text.startswith("Only configured publishers can publish to Threads.")
    assert not_a_mod.text == (
        "Only members with the Manage Server permission can change what is watched here."
    )
