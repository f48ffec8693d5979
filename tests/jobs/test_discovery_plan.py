"""The discovery plan on its own: every profile's polls for the next 24 h fit what the budget
leaves, busy profiles get more of it, and nobody is polled faster than poll_interval."""

from __future__ import annotations

import pytest

from jobs.discovery_plan import (
    DAY,
    UPKEEP_PER_PROFILE,
    Activity,
    Plan,
    plan_intervals,
    sustainable_rate,
)

NOW = 1_800_000_000.0


def plan(profiles: list[Activity], *, calls: float = 900, poll_interval: float = 300) -> Plan:
    return plan_intervals(
        profiles,
        now=NOW,
        calls_per_day=calls,
        poll_interval=poll_interval,
        max_poll_interval=3600,
    )


def calls_a_day(result: Plan) -> float:
    polls = sum(DAY / interval for interval in result.intervals.values())
    return polls + UPKEEP_PER_PROFILE * len(result.intervals)


def quiet(n: int) -> list[Activity]:
    return [Activity(f"p{i}") for i in range(n)]


@pytest.mark.parametrize("profiles", [1, 4, 12, 50])
def test_the_plan_stays_within_the_budget(profiles: int) -> None:
    result = plan(quiet(profiles))

    assert calls_a_day(result) <= 900 + 1e-6
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


def test_short_of_hourly_polls_it_says_so_and_still_favours_the_busy() -> None:
    busy = Activity("busy", posts_last_week=70, last_post_at=NOW - 600)
    result = plan([busy, *quiet(49)], calls=400)

    assert not result.fits
    assert len(result.intervals) == 50
    assert all(interval > 3600 for key, interval in result.intervals.items() if key != "busy")
    assert result.intervals["busy"] < result.intervals["p0"] / 4
    # Everyone keeps at least half an equal share: (400 - 50) / 50 / 2 polls a day.
    assert max(result.intervals.values()) <= DAY / 3.5 + 1e-6
    assert calls_a_day(result) <= 400 + 1e-6


def test_nobody_is_polled_faster_than_poll_interval_whatever_is_left() -> None:
    result = plan([Activity("a", posts_last_week=700, last_post_at=NOW)], calls=100_000)

    assert result.intervals == {"a": 300.0}


def test_an_empty_window_allows_the_whole_limit_a_day() -> None:
    assert sustainable_rate([], now=NOW, limit=900) == 900


def test_a_steady_day_at_the_limit_may_go_on_at_the_limit() -> None:
    steady = [NOW - DAY + (k + 0.5) * DAY / 900 for k in range(900)]

    assert sustainable_rate(steady, now=NOW, limit=900) == pytest.approx(900, rel=0.01)


def test_a_burst_just_spent_is_only_given_back_as_it_leaves_the_window() -> None:
    burst = [NOW - 60] * 500  # spent a minute ago: in the window for almost a day

    assert sustainable_rate(burst, now=NOW, limit=900) == pytest.approx(400, rel=0.01)


def test_a_window_already_over_the_limit_allows_nothing() -> None:
    assert sustainable_rate([NOW - 10] * 950, now=NOW, limit=900) == 0


def test_requests_seen_only_by_meta_are_planned_around_as_they_age_out() -> None:
    ours = [NOW - 60] * 100  # in the window for almost a day more
    # Meta refused just now: 900 requests in the window were not ours; they leave evenly.
    just_refused = sustainable_rate(ours, now=NOW, limit=900, elsewhere=(900, NOW))
    # The same refusal half a day ago: 450 of theirs are left.
    later = sustainable_rate(ours, now=NOW, limit=900, elsewhere=(900, NOW - DAY / 2))

    assert just_refused == 0  # the window is over the limit: nothing until it drains
    assert later == pytest.approx(800, rel=0.02)  # ours still stay; theirs make room
