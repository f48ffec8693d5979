"""The table of Bot API methods the fake implements: handler, accepted and required
parameters, and whether the method sends (flood-limited, delayed by the optional latency)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .limits import FloodGate
from .params import Params
from .records import SentMessage
from .spec import ApiSpec
from .state import TelegramState
from .updates import UpdateQueue


@dataclass
class Call:
    """What a handler works with: the world, this call's parameters, and its outbox."""

    state: TelegramState
    updates: UpdateQueue
    gate: FloodGate
    spec: ApiSpec | None
    params: Params
    method: str
    sent: list[SentMessage] = field(default_factory=list)
    started: float = field(default_factory=time.time)


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class MethodDef:
    name: str
    handler: Handler
    accepts: frozenset[str]
    required: frozenset[str]
    sending: bool


METHODS: dict[str, MethodDef] = {}

# Options every sending method takes; the fake records them without acting on them.
SEND_OPTIONS = frozenset(
    {
        "chat_id",
        "message_thread_id",
        "disable_notification",
        "protect_content",
        "allow_paid_broadcast",
        "message_effect_id",
        "reply_parameters",
    }
)


def api_method(
    name: str,
    accepts: Iterable[str] = (),
    required: Iterable[str] = (),
    *,
    sending: bool = False,
) -> Callable[[Handler], Handler]:
    """Register a handler for `name` (the spec's camelCase spelling)."""

    def register(handler: Handler) -> Handler:
        accepted = frozenset(accepts)
        needed = frozenset(required)
        if not needed <= accepted:
            raise ValueError(f"{name}: required parameters must also be accepted")
        METHODS[name.lower()] = MethodDef(name, handler, accepted, needed, sending)
        return handler

    return register


def lookup(name: str) -> MethodDef | None:
    return METHODS.get(name.lower())
