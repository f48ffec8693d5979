"""Meta's profile-discovery budget as a Telegram user lives it: every lookup counted across a
restart, intervals shared out as profiles are watched, and when Meta refuses lookups anyway,
public profiles pause (the admins are told once), the connected account keeps flowing, and
what was posted meanwhile arrives in order once a probe gets through."""

from __future__ import annotations

from bot.events import SourceKind
from jobs.discovery_pause import PROBE_JOB
from simulator import Quota, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.logwait import watching_logs
from tests.telegram.conftest import PRIVATE, PUBLISHER, Bridge, BridgeFactory, reads

ADMIN_CHAT = PUBLISHER  # the admin's private chat with the bot (where PRIVATE's feed goes too)


def lookups(sim: ThreadsSimulator) -> int:
    """Discovery requests the simulator (Meta) has seen."""
    return sum(1 for r in sim.requests if r.path.endswith(("/profile_posts", "/profile_lookup")))


def texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [reads(m) for m in tg.sent_to(chat)]


async def test_every_lookup_is_counted_and_the_count_survives_a_restart(
    start_bridge: BridgeFactory,
) -> None:
    first: Bridge = await start_bridge()
    first.sim.add_profile("bob", followers=5000)
    await first.command(PRIVATE, PUBLISHER, "/watch bob")
    await first.command(PRIVATE, PUBLISHER, "/profile bob")
    await first.poll("bob")
    spent = lookups(first.sim)
    assert first.app.discovery.used() == spent >= 3
    await first.app.stop()

    second: Bridge = await start_bridge()
    status = reads(await second.command(PRIVATE, PUBLISHER, "/status"))

    assert second.app.discovery.used() == spent
    assert f"{spent} used in the last 24 h, {1000 - spent} left" in status


async def test_watching_more_profiles_shares_the_budget_out(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(threads={"poll_interval": 300})
    names = [f"p{n}" for n in range(12)]
    for name in names:
        bridge.sim.add_profile(name, followers=5000)
    for name in names[:-1]:
        await bridge.command(PRIVATE, PUBLISHER, f"/watch {name}")

    answer = reads(await bridge.command(PRIVATE, PUBLISHER, f"/watch {names[-1]}"))

    # 1,000 minus the reserve (100) minus what the watches spent, shared by 12.
    assert "@p11 will be checked about every 20 min: " in answer
    assert "12 profiles share Meta's 1,000 daily lookups." in answer
    intervals = {bridge.app.scheduler.interval(s) for s in bridge.app.discovery.profiles()}
    assert len(intervals) == 1  # none polled (quiet profiles alike), all retimed
    (interval,) = intervals
    assert interval is not None and 1100 < interval < 1300


async def test_a_budget_too_small_for_hourly_checks_is_said_at_watch(
    start_bridge: BridgeFactory,
) -> None:
    bridge: Bridge = await start_bridge(
        threads={"poll_interval": 300, "discovery_budget": 120, "discovery_reserve": 10}
    )
    for name in ("p0", "p1", "p2", "p3", "p4"):
        bridge.sim.add_profile(name, followers=5000)
        answer = reads(await bridge.command(PRIVATE, PUBLISHER, f"/watch {name}"))

    assert "5 profiles share Meta's 120 daily lookups." in answer
    assert "not enough to check every watched profile every 1 h" in answer


async def test_refused_lookups_pause_profiles_and_posts_arrive_in_order_after_a_probe(
    start_bridge: BridgeFactory, tg: FakeTelegram
) -> None:
    bridge: Bridge = await start_bridge(
        feeds=[
            {"profile": "bob", "telegram_chat": PRIVATE},
            {"profile": "me", "telegram_chat": PRIVATE},
        ],
        telegram={"admins": [PUBLISHER]},
    )
    sim = bridge.sim
    sim.add_profile("bob", followers=5000)
    await bridge.poll("bob")
    await bridge.poll("me")
    # Another app spent this user's budget: Meta refuses every lookup from now on.
    sim.set_quota(Quota.DISCOVERY, lookups(sim))
    for n in range(3):
        sim.add_post("bob", text=f"while refused {n}")
    sim.add_post("alice", text="my own post")

    await bridge.poll("bob")
    await tg.wait_for(
        lambda fake: any(t.startswith("Meta refuses") for t in texts(fake, ADMIN_CHAT)), 15
    )
    await bridge.poll("me")  # /me/threads costs no discovery: it keeps flowing
    await tg.wait_for(lambda fake: any("my own post" in t for t in texts(fake, PRIVATE)), 15)
    assert bridge.app.discovery_pause.paused
    status = reads(await bridge.command(PRIVATE, PUBLISHER, "/status"))
    assert "paused: Meta refuses them" in status

    sim.set_quota(Quota.DISCOVERY, 1000)  # a day later: the budget is back
    bridge.app.scheduler.run_soon(PROBE_JOB)  # the probe, through the scheduler, now

    await tg.wait_for(
        lambda fake: sum("while refused" in t for t in texts(fake, PRIVATE)) == 3, 15
    )
    arrived = [t for t in texts(tg, PRIVATE) if "while refused" in t]
    assert [a.split("while refused ")[1][:1] for a in arrived] == ["0", "1", "2"]
    assert not bridge.app.discovery_pause.paused
    notices = [t for t in texts(tg, ADMIN_CHAT) if t.startswith("Meta refuses profile lookups")]
    assert len(notices) == 1  # told once


async def test_a_pause_and_what_it_taught_survive_a_restart(
    start_bridge: BridgeFactory, tg: FakeTelegram
) -> None:
    feeds = [{"profile": "bob", "telegram_chat": PRIVATE}]
    first: Bridge = await start_bridge(feeds=feeds, telegram={"admins": [PUBLISHER]})
    sim = first.sim
    sim.add_profile("bob", followers=5000)
    await first.poll("bob")
    sim.set_quota(Quota.DISCOVERY, lookups(sim))  # spent elsewhere
    await first.poll("bob")  # refused: the pause begins
    with watching_logs() as logs:
        first.app.scheduler.run_soon(PROBE_JOB)  # refused again: a lasting refusal
        await logs.wait_for("profile discovery still refused")
    await tg.wait_for(
        lambda fake: any(t.startswith("Meta refuses") for t in texts(fake, ADMIN_CHAT)), 15
    )
    await first.app.stop()
    spent = lookups(sim)

    second: Bridge = await start_bridge(feeds=feeds, telegram={"admins": [PUBLISHER]})
    status = reads(await second.command(PRIVATE, PUBLISHER, "/status"))

    assert second.app.discovery_pause.paused
    assert "paused: Meta refuses them" in status
    bob = second.app.store.sources.find(SourceKind.PROFILE, "bob")
    assert bob is not None
    assert second.app.scheduler.next_run(f"poll-source-{bob.id}") is None  # paused at start
    assert lookups(sim) == spent  # so no poll ran into another refusal
    notices = [t for t in texts(tg, ADMIN_CHAT) if t.startswith("Meta refuses profile lookups")]
    assert len(notices) == 1  # and nobody was told again
    assert second.app.discovery.left() < 1000 - second.app.discovery.used()  # still learned
