"""The `threads-bridge` command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_config
from bot.logs import setup_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threads-bridge",
        description="Bridge Threads and chat: watch profiles, publish from chat commands.",
    )
    parser.add_argument("--log-level", default="INFO", help="DEBUG, INFO, WARNING or ERROR")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate a configuration file")
    check.add_argument("--config", required=True, help="path to the TOML configuration")

    run = commands.add_parser("run", help="run the bridge until SIGINT/SIGTERM")
    run.add_argument("--config", required=True, help="path to the TOML configuration")

    sim = commands.add_parser("simulator", help="run the local Threads API simulator")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=8765)
    sim.add_argument("--seed", action="store_true", help="add a demo account and profiles")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.log_level)
    try:
        if args.command == "check":
            load_config(args.config)
            print(f"{args.config}: OK")
            return 0
        if args.command == "run":
            config = load_config(args.config)
            from bot.app import BridgeApp

            asyncio.run(BridgeApp(config).run())
            return 0
        if args.command == "simulator":
            from bot.threads.simulator import serve

            asyncio.run(serve(args.host, args.port, seed=args.seed))
            return 0
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    return 1
