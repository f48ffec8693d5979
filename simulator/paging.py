"""List parameters and pagination: limit, since/until, opaque before/after cursors.

Cursors are base64 of the sort key of the item they point at, so a page boundary survives
posts being added or deleted between requests. Lists are `{"data": [...], "paging":
{"cursors": {"before", "after"}, "next": url}}`. As on Graph, every non-empty page carries both
cursors (the last page too) and `next` only when another page exists: a client that follows
`after` alone pays one more call per list, and the tests see it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from yarl import URL

from .clock import parse_time_param
from .errors import invalid_param
from .models import SimPost

log = logging.getLogger(__name__)

T = TypeVar("T")
SortKey = tuple[float, ...]

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
EARLIEST_SINCE = 1_688_540_400  # 2023-07-05, the earliest `since` Meta accepts
_CURSOR_PREFIX = "simcur:"


@dataclass(frozen=True, slots=True)
class ListQuery:
    limit: int
    since: float | None = None
    until: float | None = None
    before: SortKey | None = None
    after: SortKey | None = None


def encode_cursor(key: SortKey) -> str:
    raw = _CURSOR_PREFIX + json.dumps(list(key), separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(name: str, cursor: str) -> SortKey:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(_CURSOR_PREFIX):
            raise ValueError(raw)
        key = json.loads(raw.removeprefix(_CURSOR_PREFIX))
        return tuple(float(part) for part in key)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise invalid_param(f"Param {name} is not a valid cursor") from exc


def _time(params: Mapping[str, str], name: str) -> float | None:
    raw = params.get(name)
    if raw is None or not raw.strip():
        return None
    value = parse_time_param(raw)
    if value is None:
        raise invalid_param(f"Param {name} must be a unix timestamp or a date")
    return value


def read_list_query(
    params: Mapping[str, str], *, time_filters: bool = True, now: float | None = None
) -> ListQuery:
    """Validate the list parameters shared by every list endpoint (`now`: the server's clock)."""
    raw_limit = params.get("limit", "").strip()
    limit = DEFAULT_LIMIT
    if raw_limit:
        if not raw_limit.isdigit() or int(raw_limit) < 1:
            raise invalid_param("Param limit must be a positive integer")
        limit = min(int(raw_limit), MAX_LIMIT)  # Meta clamps rather than refusing
    if params.get("before") and params.get("after"):
        raise invalid_param("Params before and after cannot be used in the same request")
    since = _time(params, "since") if time_filters else None
    until = _time(params, "until") if time_filters else None
    if since is not None and since < EARLIEST_SINCE:
        raise invalid_param(f"Param since must be at or after {EARLIEST_SINCE} (2023-07-05)")
    if since is not None and until is not None and since >= until:
        raise invalid_param("Param since must be earlier than until")
    # `until <= now` is documented: an `until` ahead of the server's clock is refused, so a
    # client computing it from a clock of its own is caught. The simulator's clock is the wall
    # clock plus what tests advanced, never behind a client's `time.time()`.
    if until is not None and now is not None and until > now:
        raise invalid_param("Param until must not be later than the current time")
    before = params.get("before")
    after = params.get("after")
    return ListQuery(
        limit=limit,
        since=since,
        until=until,
        before=decode_cursor("before", before) if before else None,
        after=decode_cursor("after", after) if after else None,
    )


def within(query: ListQuery, moment: float) -> bool:
    """since/until are inclusive bounds in Unix seconds."""
    if query.since is not None and moment < query.since:
        return False
    return query.until is None or moment <= query.until


def paginate(
    items: Sequence[T],
    key: Callable[[T], SortKey],
    query: ListQuery,
    render: Callable[[T], dict[str, Any]],
    *,
    descending: bool = True,
    url: URL | None = None,
) -> dict[str, Any]:
    """One page of `items` (already sorted by `key`, in `descending` order) as a Graph list.

    `url` is the request's own address, from which `paging.next` is built."""

    def comes_after(item: T, cursor: SortKey) -> bool:
        return key(item) < cursor if descending else key(item) > cursor

    if query.after is not None:
        after = query.after
        rest = [item for item in items if comes_after(item, after)]
        page = rest[: query.limit]
        more_after = len(rest) > len(page)
    elif query.before is not None:
        before = query.before
        earlier = [item for item in items if key(item) != before and not comes_after(item, before)]
        page = earlier[-query.limit :]
        more_after = len(items) > len(earlier)
    else:
        page = list(items[: query.limit])
        more_after = len(items) > len(page)
    if not page:
        # Meta answers an empty list with `data` only.
        return {"data": []}
    cursors = {"before": encode_cursor(key(page[0])), "after": encode_cursor(key(page[-1]))}
    paging: dict[str, Any] = {"cursors": cursors}
    if more_after and url is not None:
        paging["next"] = next_url(url, cursors["after"])
    return {"data": [render(item) for item in page], "paging": paging}


def next_url(url: URL, after: str) -> str:
    """The request re-sent from `after` (Graph's `paging.next`): same query, no `before`."""
    query = {name: value for name, value in url.query.items() if name not in ("after", "before")}
    return str(url.with_query({**query, "after": after}))


def post_key(post: SimPost) -> SortKey:
    """Sort key of a post (timestamp second, creation order) as cursor material."""
    second, seq = post.sort_key
    return (float(second), float(seq))
