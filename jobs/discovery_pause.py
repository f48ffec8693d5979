"""When Meta refuses discovery calls anyway: another app, or an earlier run, may have spent the
same user's budget, and no endpoint says so before it is gone.

On a rate-limit answer (Graph codes 4, 17, 32, 613) to a profile poll, all profile polling
pauses at once; one probe poll runs after a backoff (60 s, doubling, at most 1 h); the first
probe that gets through resumes every profile, and each then catches up from where it stopped
(its cursor did not move while it failed), so the posts made meanwhile arrive in order. The
connected account is read through /me/threads, which costs no discovery: it keeps flowing.
Search watches have a pause of their own (`kind=SourceKind.SEARCH`): keyword search is a
separate budget, so a refused search pauses searches only, and a refused lookup profiles only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.events import Source, SourceKind
from bot.threads.errors import RateLimited
from jobs.polling import PollOutcome, SourcePoller
from jobs.scheduler import PollScheduler
from storage.bridge_state import BridgeState

log = logging.getLogger(__name__)

FIRST_PROBE = 60.0
LAST_PROBE = 3600.0
PROBE_JOB = "discovery probe"
STATE_KEY = "discovery pause"


class DiscoveryPause:
    def __init__(
        self,
        scheduler: PollScheduler,
        poller: SourcePoller,
        *,
        profiles: Callable[[], list[Source]],
        on_change: Callable[[bool, float], None] = lambda paused, probe_in: None,
        on_refused_again: Callable[[], None] = lambda: None,
        state: BridgeState | None = None,
        kind: SourceKind = SourceKind.PROFILE,
    ) -> None:
        """`profiles` lists the sources to probe with (of `kind`: public profiles, or search
        watches); `on_change(paused, probe_in)` hears when the pause begins and ends;
        `on_refused_again` when the first probe is refused too (a lasting refusal, not a
        passing throttle: the plan should learn). `state` keeps the pause across a restart
        (see `restore`)."""
        self.kind = kind
        of_profiles = kind is SourceKind.PROFILE
        self._what = "public profiles" if of_profiles else f"{kind.value} watches"
        self._budget_name = "profile discovery" if of_profiles else "keyword search"
        self._state_key = STATE_KEY if of_profiles else f"{kind.value} pause"
        self._probe_job = PROBE_JOB if of_profiles else f"{kind.value} probe"
        self._scheduler = scheduler
        self._poller = poller
        self._profiles = profiles
        self._on_change = on_change
        self._on_refused_again = on_refused_again
        self.paused = False
        self._backoff = FIRST_PROBE
        self._probing = False
        self._probe_settled = False  # the probe's own poll told refused or answered
        self._learned = False
        self._state = state

    def restore(self) -> bool:
        """After a restart in the middle of a pause: pause the profiles again at once (each
        would otherwise spend a refused request) and probe after the first backoff. True
        when a pause was restored; nobody is told again."""
        saved = self._state.get(self._state_key) if self._state is not None else None
        if not saved:
            return False
        self.paused = True
        self._backoff = float(saved.get("backoff", FIRST_PROBE))
        self._learned = bool(saved.get("learned", False))
        self._scheduler.pause(self.kind)
        self._scheduler.run_once(self._probe, name=self._probe_job, after=FIRST_PROBE)
        log.warning("%s were refused before the restart: they wait", self._what)
        return True

    def _save(self) -> None:
        if self._state is None:
            return
        try:
            if self.paused:
                self._state.put(
                    self._state_key, {"backoff": self._backoff, "learned": self._learned}
                )
            else:
                self._state.forget(self._state_key)
        except Exception:  # a full disk: the pause still works, only not across a restart
            log.exception("could not save the discovery pause")

    def outcome(self, outcome: PollOutcome) -> None:
        """Every poll's outcome (the poller's on_polled)."""
        if outcome.source.kind is not self.kind:
            return
        refused = isinstance(outcome.error, RateLimited)
        if refused and not self.paused:
            self.paused = True
            self._backoff = FIRST_PROBE
            self._learned = False
            self._scheduler.pause(self.kind)
            log.warning(
                "Meta refuses %s (%s): polling of %s paused; trying one again in %.0fs",
                self._budget_name,
                outcome.error,
                self._what,
                self._backoff,
            )
            self._schedule_probe()
            self._save()
            self._on_change(True, self._backoff)
        elif self.paused and not self._probing:
            # A poll under way when the pause began, or of a profile watched since: keep
            # every profile paused; only the probe decides when to resume.
            self._scheduler.pause(self.kind)
        elif refused:
            self._probe_settled = True
            if not self._learned:
                self._learned = True
                self._on_refused_again()
            self._backoff_and_retry(f"{self._budget_name} still refused")
        elif outcome.error is None and self.paused:
            self._probe_settled = True
            self._end(f"{self._budget_name} answers again: polling of {self._what} resumed")

    def _backoff_and_retry(self, why: str) -> None:
        self._backoff = min(self._backoff * 2, LAST_PROBE)
        log.info("%s; next try in %.0fs", why, self._backoff)
        self._schedule_probe()
        self._save()

    def _end(self, why: str) -> None:
        self.paused = False
        self._save()
        self._scheduler.resume(self.kind)
        log.info("%s", why)
        self._on_change(False, 0.0)

    def _schedule_probe(self) -> None:
        self._scheduler.run_once(self._probe, name=self._probe_job, after=self._backoff)

    async def _probe(self) -> None:
        profiles = self._profiles()
        if not profiles:  # nobody to poll any more: nothing to pause
            self._end(f"none of the {self._what} is watched any more: the pause ends")
            return
        self._probing, self._probe_settled = True, False
        try:
            await self._poller.poll(profiles[0].id)  # its outcome comes back to outcome()
        finally:
            self._probing = False
        if self.paused and not self._probe_settled:
            # Neither refused nor answered (a timeout, a 5xx, the source went away): try
            # again later rather than stay paused for good.
            self._backoff_and_retry("the discovery probe got no answer")
