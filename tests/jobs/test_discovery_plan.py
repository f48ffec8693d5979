"""The discovery plan on its own: every profile's polls for the next 24 h fit what the budget
leaves, busy profiles get more of it, and nobody is polled faster than poll_interval."""

from __future__ import annotations

import pytest

from jobs.discovery_plan import DAY, UPKEEP_PER_PROFILE, Activity, Plan, plan_intervals

NOW = 1_800_000_000.0


def plan(profiles: list[Activity], *, used: int = 0, **overrides: float) -> Plan:
    settings: dict[str, float] = {
        "budget": 1000,
        "reserve": 100,
        "poll_interval": 300,
        "max_poll_interval": 3600,
    }
    settings.update(overrides)
    return plan_intervals(
        profiles,
        now=NOW,
        budget=int(settings["budget"]),
        reserve=int(settings["reserve"]),
        used_last_day=used,
        poll_interval=settings["poll_interval"],
        max_poll_interval=settings["max_poll_interval"],
    )


def calls_a_day(result: Plan) -> float:
    polls = sum(DAY / interval for interval in result.intervals.values())
    return polls + UPKEEP_PER_PROFILE * len(result.intervals)


def quiet(n: int) -> list[Activity]:
    return [Activity(f"p{i}") for i in range(n)]


@pytest.mark.parametrize("profiles", [1, 4, 12, 50])
def test_the_plan_stays_within_the_budget(profiles: int) -> None:
    result = plan(quiet(profiles))

    assert calls_a_day(result) <= 1000 - 100 + 1e-6
    assert all(interval >= 300 for interval in result.intervals.values())


def test_one_profile_is_polled_at_poll_interval() -> None:
    assert plan(quiet(1)).intervals == {"p0": 300.0}


def test_twelve_quiet_profiles_share_the_budget_equally() -> None:
    result = plan(quiet(12))

    intervals = set(result.intervals.values())
    assert len(intervals) == 1
    # 900 calls, 12 of them author refreshes: 74 polls a day each, about every 19.5 min.
    assert intervals.pop() == pytest.approx(DAY / 74)
    assert result.fits


def test_a_busy_profile_is_polled_more_often_than_a_quiet_one() -> None:
    busy = Activity("busy", posts_last_week=70, last_post_at=NOW - 600)
    result = plan([busy, *quiet(11)])

    assert result.intervals["busy"] < result.intervals["p0"] / 4
    assert result.intervals["p0"] <= 3600  # the quiet ones still get their hourly poll
    assert calls_a_day(result) <= 900 + 1e-6


def test_what_the_last_day_spent_is_not_planned_again() -> None:
    fresh, spent = plan(quiet(4)), plan(quiet(4), used=600)

    assert spent.calls_left == 300
    assert calls_a_day(spent) <= 300 + 1e-6
    assert spent.intervals["p0"] > fresh.intervals["p0"]


def test_a_budget_too_small_for_hourly_polls_says_so_and_still_polls_everyone() -> None:
    result = plan(quiet(50), used=500)

    assert not result.fits
    assert len(result.intervals) == 50
    assert all(interval > 3600 for interval in result.intervals.values())
    assert calls_a_day(result) <= 400 + 1e-6


def test_nobody_is_polled_faster_than_poll_interval_whatever_is_left() -> None:
    result = plan([Activity("a", posts_last_week=700, last_post_at=NOW)], budget=100_000)

    assert result.intervals == {"a": 300.0}
