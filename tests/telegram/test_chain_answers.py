"""A /post chain that broke part-way answers with links to what went out, even when Threads
could not say the permalink at the moment it published."""

from __future__ import annotations

import copy

from simulator import SimUser
from simulator.quotas import Quota
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, reads

LONG = "\n\n".join(f"Part {n}. " + "lorem ipsum " * 35 for n in range(3))


def break_after_first_part(bridge: Bridge, alice: SimUser, *, failed_reads: int) -> None:
    """The first part publishes, but reading it back fails `failed_reads` times; the second
    part (a reply) hits the reply quota."""
    for _ in range(1000):
        bridge.sim.state.quotas.record(Quota.REPLIES, alice.id)
    # The simulator's ids come from a seeded generator: a copy says the ids it hands out next
    # (the first part's container, then its shortcode and media id).
    upcoming = copy.deepcopy(bridge.sim.state.ids)
    upcoming.media_id()
    upcoming.shortcode()
    media_id = upcoming.media_id()
    bridge.sim.fail_next("GET", f"/{media_id}", kind="server_error", times=failed_reads)


async def test_a_broken_chain_links_what_was_published(bridge: Bridge, alice: SimUser) -> None:
    break_after_first_part(bridge, alice, failed_reads=3)  # every retry of the read

    answer = await bridge.command(PRIVATE, PUBLISHER, f"/post {LONG}")

    (first,) = bridge.sim.posts_by("alice")
    assert reads(answer).startswith("Published 1 of 3 parts, then: Threads rate limit reached")
    assert reads(answer).endswith(f"Already published: {first.permalink}")


async def test_without_a_permalink_the_profile_is_linked(bridge: Bridge, alice: SimUser) -> None:
    break_after_first_part(bridge, alice, failed_reads=6)  # the second read fails too

    answer = await bridge.command(PRIVATE, PUBLISHER, f"/post {LONG}")

    assert reads(answer).endswith("Already published: https://www.threads.com/@alice")
