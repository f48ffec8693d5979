"""The keyword-search quota as Meta documents it: 2,200 queries per rolling 24 h, where a
query that returns nothing (no match, a `since` after every match, a page past the last) does
not count; a spent quota is refused with a rate-limit error until queries leave the window."""

from __future__ import annotations

import httpx

from simulator import Quota, SimUser, ThreadsSimulator

from .helpers import graph_error


def used(sim: ThreadsSimulator, user: SimUser) -> int:
    return sim.state.quotas.usage(Quota.KEYWORD_SEARCH, user.id)


async def test_only_queries_that_return_posts_count(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser, bob: SimUser
) -> None:
    sim.add_post("bob", text="sourdough one")
    newest = sim.add_post("bob", text="sourdough two")
    after_all = int(newest.timestamp.timestamp()) + 1

    nothing = await api.get("/keyword_search", params={"q": "rye"})
    too_late = await api.get("/keyword_search", params={"q": "sourdough", "since": after_all})
    first = await api.get("/keyword_search", params={"q": "sourdough", "limit": 2})
    cursor = first.json()["paging"]["cursors"]["after"]
    past_the_end = await api.get(
        "/keyword_search", params={"q": "sourdough", "limit": 2, "after": cursor}
    )

    assert nothing.json()["data"] == [] and too_late.json()["data"] == []
    assert len(first.json()["data"]) == 2 and newest.id in str(first.json())
    assert past_the_end.json()["data"] == []
    assert used(sim, alice) == 1  # only the query that returned posts


async def test_a_spent_quota_is_refused_until_queries_leave_the_window(
    sim: ThreadsSimulator, api: httpx.AsyncClient, alice: SimUser, bob: SimUser
) -> None:
    sim.add_post("bob", text="sourdough")
    sim.set_quota(Quota.KEYWORD_SEARCH, 2)
    for _ in range(2):
        assert (await api.get("/keyword_search", params={"q": "sourdough"})).status_code == 200

    refused = await api.get("/keyword_search", params={"q": "sourdough"})
    sim.advance(24 * 3600 + 1)
    again = await api.get("/keyword_search", params={"q": "sourdough"})

    assert graph_error(refused)["code"] in (4, 17, 32, 613)  # a rate limit: RateLimited
    assert again.status_code == 200
