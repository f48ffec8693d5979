"""What `run` would trip over on this machine, found before anything starts: the storage
path, the health server's address. `check` prints these lines and `run` refuses with them, so
an operator meets each problem once, as one line naming the key and what to do.

Nothing here writes: the database folder's permissions are read, a port is bound and released.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from bot.config import Config
from storage.database import storage_problem


@dataclass(frozen=True, slots=True)
class Problem:
    key: str  # the configuration key (or option) to change
    detail: str  # what is wrong and what to do

    def line(self) -> str:
        return f"{self.key}: {self.detail}"


class PreflightFailed(Exception):
    """`run` refuses to start: each problem is one line."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.line() for problem in problems))
        self.problems = problems


def require(*problems: Problem | None) -> None:
    """Raise PreflightFailed if any of these is a problem."""
    found = [problem for problem in problems if problem is not None]
    if found:
        raise PreflightFailed(found)


def preflight(config: Config, *, health_port: int | None = None) -> list[Problem]:
    """Every problem found; `health_port` is the `--health-port` override, when given."""
    found = [storage_problem_of(config), health_problem(config, health_port)]
    return [problem for problem in found if problem is not None]


def storage_problem_of(config: Config) -> Problem | None:
    problem = storage_problem(config.storage.path)
    if problem is None:
        return None
    key, _, detail = problem.partition(": ")
    return Problem(key, detail)


def health_problem(config: Config, health_port: int | None = None) -> Problem | None:
    """Can the health server listen where it is asked to? (no port: it does not run)"""
    port = health_port if health_port is not None else config.server.health_port
    if port is None:
        return None
    port_key = "--health-port" if health_port is not None else "server.health_port"
    host = config.server.health_host
    try:
        addresses = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError) as exc:
        return Problem(
            "server.health_host",
            f"{host!r} does not resolve ({exc}); use an address such as 127.0.0.1, or "
            "0.0.0.0 to be reachable from other hosts",
        )
    if port == 0:
        return None  # any free port
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            # As asyncio's server does, so that a port in TIME_WAIT is not called taken.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                return Problem(
                    port_key,
                    f"cannot listen on {host} port {port} ({exc.strerror}); stop what holds "
                    "it or choose another port",
                )
    return None


def delivery_notice(config: Config) -> str | None:
    """Said plainly when no chat side is configured: the bridge would poll and store posts,
    and send them nowhere."""
    if config.telegram.enabled or config.discord.enabled:
        return None
    return (
        "nothing will be delivered: no chat side is configured; set telegram.token (or "
        "TELEGRAM_BOT_TOKEN) or discord.token (or DISCORD_BOT_TOKEN) and add [[feeds]] or "
        "/watch from a chat"
    )
