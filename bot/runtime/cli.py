"""The `threads-bridge` command line."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from importlib import metadata
from typing import NoReturn

from bot.config import Config, ConfigError, load_config
from bot.runtime.logs import LEVELS, guard_uncaught_output, redact, scrub, setup_logging
from bot.runtime.preflight import (
    PreflightFailed,
    delivery_notice,
    health_problem,
    require,
    storage_problem_of,
)
from bot.runtime.runlock import AlreadyRunning, hold_run_lock
from bot.runtime.wiring import configured_secrets
from bot.threads.errors import ThreadsError
from simulator import usage as simulator_usage
from storage.database import StorageError

log = logging.getLogger("bot.runtime.cli")


class _Parser(argparse.ArgumentParser):
    """Usage mistakes in one line (`--log-level verbose` among them), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _version() -> str:
    try:
        return metadata.version("threads-bridge")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _add_log_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """On the top level with their defaults; on each subcommand without any, so that
    `run --config c.toml --log-json` works and does not undo `--log-json run ...`."""
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=LEVELS,
        default=None if top else argparse.SUPPRESS,
        help="DEBUG, INFO, WARNING or ERROR (default INFO; WARNING for demo)",
    )
    parser.add_argument(
        "--log-json",
        action="store_true",
        default=False if top else argparse.SUPPRESS,
        help="log JSON lines",
    )


def _port(text: str) -> int:
    """`--health-port`: 1-65535, or 0 for any free port."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(
            f"expected a port (1-65535, 0: any free one), got {text!r}"
        )
    return int(text)


def _count(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def _subcommands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += [sub, *_subcommands(sub)]
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="threads-bridge",
        description="Bridge Threads and chat: watch profiles, publish from chat commands.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    _add_log_options(parser, top=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="run the bridge until SIGINT/SIGTERM")
    run.add_argument("--config", required=True, help="path to the TOML configuration")
    run.add_argument("--health-port", type=_port, help="serve /healthz and /metrics here")

    demo = commands.add_parser("demo", help="run the bridge on the built-in Threads simulator")
    demo.add_argument("--db", help="keep the demo's database in this file (default: temporary)")
    demo.add_argument("--health-port", type=_port, help="serve /healthz and /metrics here")
    demo.add_argument(
        "--discovery-budget",
        type=_count,
        default=None,
        metavar="N",
        help="profile lookups the demo's Threads allows per 24 h (default: plenty; Meta's "
        "real budget is 1000)",
    )

    check = commands.add_parser("check", help="validate a configuration and probe each service")
    check.add_argument("--config", required=True, help="path to the TOML configuration")
    check.add_argument(
        "--health-port", type=_port, help="check the port `run --health-port` would use"
    )

    auth = commands.add_parser("auth", help="sign in to Threads (OAuth) and manage the token")
    steps = auth.add_subparsers(dest="step", required=True, metavar="STEP")
    for name, text in (
        ("url", "print the sign-in address"),
        ("exchange", "trade the code from the sign-in redirect for a token"),
        ("refresh", "refresh the stored long-lived token now"),
    ):
        step = steps.add_parser(name, help=text)
        step.add_argument("--config", required=True, help="path to the TOML configuration")
        if name == "exchange":
            step.add_argument("code", help="the code, or the whole address Meta redirected to")

    sim = commands.add_parser("simulator", help="run the local Threads API simulator")
    simulator_usage.add_arguments(sim)  # flags and sign-in help live with the simulator
    for sub in _subcommands(parser):
        _add_log_options(sub, top=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    guard_uncaught_output()  # before anything can fail: no path prints a secret
    args = build_parser().parse_args(argv)
    # The demo's terminal is a chat: log lines between the posts would only be in the way.
    level = args.log_level or ("WARNING" if args.command == "demo" else "INFO")
    setup_logging(level, json_lines=args.log_json)
    try:
        return _dispatch(args)
    except ConfigError as exc:
        return _fail(f"config error: {exc}")
    except (AlreadyRunning, StorageError) as exc:
        return _fail(f"error: {exc}")
    except PreflightFailed as exc:
        for problem in exc.problems[:-1]:
            _fail(f"error: {problem.line()}")
        return _fail(f"error: {exc.problems[-1].line()}")
    except ThreadsError as exc:
        return _fail(f"Threads error: {exc}", status=1)
    except KeyboardInterrupt:
        return 0
    except Exception as exc:
        refused = _refused_chat_token(exc)
        if refused is None:
            raise  # a bug: its traceback goes through the scrubbing excepthook
        return _fail(f"error: {refused}")


def _fail(line: str, *, status: int = 2) -> int:
    print(scrub(line), file=sys.stderr)
    return status


def _refused_chat_token(exc: Exception) -> str | None:
    """A chat platform refusing the bot token at start-up: one line saying which key to fix
    (the libraries' own messages quote the token)."""
    from discord import LoginFailure, PrivilegedIntentsRequired
    from telegram.error import BadRequest, Forbidden, InvalidToken

    if isinstance(exc, InvalidToken):
        return (
            "telegram.token: Telegram refused the bot token (or telegram.api_base is not a "
            "Bot API server); copy it again from @BotFather into telegram.token or "
            "TELEGRAM_BOT_TOKEN"
        )
    if isinstance(exc, BadRequest | Forbidden):
        return (
            f"telegram.api_base: Telegram refused the bridge at start-up ({exc.message}); "
            "check that telegram.api_base is a Bot API server (or remove it) and that "
            "telegram.token is this bot's"
        )
    if isinstance(exc, PrivilegedIntentsRequired):
        return (
            "discord.token: Discord refused a privileged intent for this bot; enable it in "
            "the developer portal (Bot -> Privileged Gateway Intents)"
        )
    if isinstance(exc, LoginFailure):
        return (
            "discord.token: Discord refused the bot token; reset it in the developer portal "
            "(Bot -> Reset Token) and update discord.token or DISCORD_BOT_TOKEN"
        )
    return None


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        config = _config(args.config, require_token=False)  # `auth` may have stored one
        # What `check` reports, refused here before anything starts; the lock comes after the
        # storage path is known to be usable, and before the port (a running bridge holds it).
        require(storage_problem_of(config))
        with hold_run_lock(config.storage.path):  # before the app opens the database
            require(health_problem(config, args.health_port))
            if (notice := delivery_notice(config)) is not None:
                log.warning("%s", notice)
            # Imported only now: a `run` refused above answers without loading the chat
            # libraries (about 0.3 s).
            from bot.runtime.app import BridgeApp

            asyncio.run(BridgeApp(config, health_port=args.health_port).run())
        return 0
    if args.command == "demo":
        from bot.runtime.demo import run_demo

        budget = {"discovery_budget": args.discovery_budget} if args.discovery_budget else {}
        asyncio.run(
            run_demo(db_path=args.db, health_port=args.health_port, env=os.environ, **budget)
        )
        return 0
    if args.command == "check":
        return asyncio.run(_check(args.config, args.health_port))
    if args.command == "auth":
        return asyncio.run(_auth(args))
    if args.command == "simulator":
        from simulator import serve

        asyncio.run(serve(args.host, args.port, seed=args.seed))
        return 0
    return 1


def _config(path: str, *, require_token: bool) -> Config:
    config = load_config(path, require_threads_token=require_token)
    redact(*configured_secrets(config))
    return config


async def _check(path: str, health_port: int | None) -> int:
    from bot.runtime.check import run_checks

    config = _config(path, require_token=False)
    failures = local = 0
    async for check in run_checks(config, path, health_port=health_port):
        print(scrub(check.line()), flush=True)
        failures += not check.ok
        local += not check.ok and check.local
    # 2 as for a configuration error: `run` would refuse to start; 1: a service refuses.
    return 2 if local else 1 if failures else 0


async def _auth(args: argparse.Namespace) -> int:
    from bot.runtime import credentials
    from storage.store import Store

    config = _config(args.config, require_token=False)
    if args.step == "url":
        print("Open this address, sign in as the Threads account the bridge should use, and")
        print("allow access. Then run `threads-bridge auth exchange` with the address (or the")
        print("code) your browser lands on:\n")
        print(credentials.authorize_url(config))
        return 0
    store = Store.open(config.storage.path)
    try:
        if args.step == "exchange":
            stored = await credentials.exchange_code(config, store, args.code)
            print(
                f"Signed in. A long-lived token is stored in {config.storage.path}"
                f"{_valid_until(stored.expires_at)}; a running bridge picks it up within "
                "a minute."
            )
            return 0
        token = credentials.require_token(config, store)
        async with credentials.threads_client(config, token.token) as client:
            stored = await credentials.refresh_stored(client, store)
        print(f"Refreshed{_valid_until(stored.expires_at)}.")
        return 0
    finally:
        store.close()


def _valid_until(expires_at: float | None) -> str:
    if expires_at is None:
        return ""
    return f", valid until {datetime.fromtimestamp(expires_at, UTC):%Y-%m-%d %H:%M} UTC"
