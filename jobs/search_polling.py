"""What a poll of a search watch asks Threads, and where the next one starts.

A search source (bot/search.py) runs `keyword_search` with `search_type=RECENT` and its words
(search_mode KEYWORD) or tag (TAG). Meta counts a query against the 2,200 a day only when it
finds something, so each poll asks only for what is newer than the newest post seen (`since`
one second after it): a poll with nothing new is free. The first poll of a watch looks from
OVERLAP before the watch began, like a profile's, and takes the baseline the same way (the
poller's snapshot rule); an empty answer leaves the start where it was. The price of a free
empty poll: a post Meta indexes late, stamped before the newest one seen, is not found.

Search results are anybody's public posts: their author is told per post, from a profile the
bridge already knows, never looked up (a lookup spends profile discovery); the rendering shows
the post's username alone otherwise.
"""

from __future__ import annotations

import logging

from bot.events import Post, Profile, Source
from bot.search import SearchQuery
from bot.threads.client import ThreadsClient, next_page_after
from storage.store import Store

log = logging.getLogger(__name__)

PAGE_SIZE = 100  # keyword_search's largest page
MAX_PAGES = 10  # each page that finds something spends one query of the 2,200


def search_since(source: Source, watched_since: float, overlap: float, earliest: int) -> int:
    """The `since` of this poll: after the newest post seen, or, before any was, from
    `overlap` before the watch began."""
    if source.cursor is None:
        return max(int(watched_since - overlap), earliest)
    return source.cursor + 1


async def search_posts(threads: ThreadsClient, source: Source, since: int) -> list[Post]:
    """Every post the search finds from `since` on, newest first, over at most MAX_PAGES."""
    query = SearchQuery.from_key(source.key)
    posts: list[Post] = []
    after: str | None = None
    for _ in range(MAX_PAGES):
        page = await threads.keyword_search(
            query.text,
            search_type="RECENT",
            search_mode=query.mode,
            since=since,
            limit=PAGE_SIZE,
            after=after,
        )
        posts.extend(page.items)
        after = next_page_after(page, after, PAGE_SIZE)
        if after is None:
            break
    return posts


def search_cursor(posts: list[Post], since: int, began: float) -> int:
    """The second the next poll starts after: the newest post found (one stamped ahead of
    our clock counts as now), or, when nothing was found, just before this poll's `since`."""
    stamps = [int(p.timestamp.timestamp()) for p in posts if p.timestamp is not None]
    newest = min(max(stamps), int(began)) if stamps else since - 1
    return max(newest, since - 1)


def known_author(store: Store, post: Post, me: Profile | None = None) -> Profile | None:
    """The profile the bridge knows for a post's author: the connected account (without
    Advanced Access a search finds only its posts), a watched profile, or none."""
    if not post.username:
        return None
    if me is not None and me.username.lower() == post.username.lower():
        return me
    return store.sources.profile(post.username)
