"""One line of `threads-bridge check`: what was checked, and whether it passed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    ok: bool
    detail: str
    # A problem of this machine or configuration that `run` would refuse to start with.
    local: bool = False
    # Not a failure, but worth saying (ok stays True).
    warning: bool = False

    def line(self) -> str:
        state = "WARN" if self.warning else "OK  " if self.ok else "FAIL"
        return f"{state}  {self.name}: {self.detail}"
