"""[[digest]]: the account's insights posted into chats at their time, by themselves.

A housekeeping job asks every minute which digest fell due since it last went: the latest
scheduled moment at or before now, on the [publishing] timezone's wall clock (09:00 stays
09:00 across daylight saving). What went is kept in bridge_state, so a restart sends none
twice; one missed while the bridge was down goes out when it is back, unless it is more than
12 hours late. A digest that fails (Threads down, the chat unreachable) is tried again at the
next check.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.config import WEEKDAYS, DigestConfig, digest_time
from bot.events import Destination, Image, Platform, Profile
from bot.insights.answer import account_answer
from bot.insights.periods import period_of
from bot.threads.client import ThreadsClient
from bot.threads.errors import ThreadsError
from storage.bridge_state import BridgeState

log = logging.getLogger(__name__)

LATE = 12 * 3600.0  # a digest this late is skipped: tomorrow's (or next week's) is near
Notify = Callable[[Destination, str, Image | None], Awaitable[None]]
HEADINGS = {"week": "Weekly digest", "day": "Daily digest"}


class Digests:
    def __init__(
        self,
        rules: Sequence[DigestConfig],
        threads: ThreadsClient,
        me: Callable[[], Profile | None],
        notify: Notify,
        state: BridgeState,
        *,
        timezone: str,
        clock: Clock,
    ) -> None:
        """`me`: the connected account once known; `notify` sends a notice with a picture."""
        self._rules = tuple(rules)
        self._threads = threads
        self._me = me
        self._notify = notify
        self._state = state
        self._zone = ZoneInfo(timezone)
        self._clock = clock
        self._checking = asyncio.Lock()  # the job and a direct call never send one twice

    async def send_due(self) -> None:
        """The periodic job: every digest that fell due since it last went, sent."""
        async with self._checking:
            now = self._clock.time()
            for rule in self._rules:
                await self._send_if_due(rule, now)

    async def _send_if_due(self, rule: DigestConfig, now: float) -> None:
        chat = destination_of(rule)
        key = f"digest:{chat.platform}:{chat.chat_id}"
        due = last_due(rule, now, self._zone)
        sent = self._state.get(key)
        if sent is None:  # a new [[digest]]: from its next time on
            self._state.put(key, due)
            return
        if due <= float(sent):
            return
        if now - due > LATE:
            log.warning("the digest for %s %s is skipped: over 12 h late", *_where(chat))
            self._state.put(key, due)
            return
        me = self._me()
        if me is None:
            return  # the account is not known yet: at the next check
        period = period_of(rule.every, due, complete=True)
        try:
            answer = await account_answer(
                self._threads, me.username, period, heading=HEADINGS[rule.every]
            )
            await self._notify(chat, answer.text, answer.image)
        except ThreadsError as exc:  # a chat's failure goes to the scheduler's log, as any job's
            log.warning("the digest for %s %s failed, tried again soon: %s", *_where(chat), exc)
            return
        self._state.put(key, due)
        log.info("digest sent to %s %s", *_where(chat))


def _where(chat: Destination) -> tuple[str, str]:
    return chat.platform, chat.chat_id


def destination_of(rule: DigestConfig) -> Destination:
    if rule.telegram_chat is not None:
        return Destination(Platform.TELEGRAM, str(rule.telegram_chat))
    return Destination(Platform.DISCORD, str(rule.discord_channel))


def last_due(rule: DigestConfig, now: float, zone: ZoneInfo) -> float:
    """The latest moment at or before `now` the digest is scheduled for (Unix seconds)."""
    at = digest_time(rule.at)
    assert at is not None  # checked when the config was read
    local = datetime.fromtimestamp(now, zone)
    moment = local.replace(hour=at[0], minute=at[1], second=0, microsecond=0)
    step = timedelta(days=1)
    if rule.every == "week":
        moment -= timedelta(days=(local.weekday() - WEEKDAYS.index(rule.weekday)) % 7)
        step = timedelta(days=7)
    if moment > local:
        moment -= step
    return moment.timestamp()
