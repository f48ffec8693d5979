"""`threads-bridge simulator`: its flags and the help that says how to sign in to it.

Kept free of aiohttp (and of the rest of the simulator) so that building the command line
parser costs nothing for the other commands.
"""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP_ID = "sim-app"
APP_SECRET = "sim-secret"  # noqa: S105 - the fake app's fake secret, printed on purpose
EXAMPLE_REDIRECT = "https://example.com/threads-callback"

DESCRIPTION = """\
Serve a local stand-in for Meta's Threads Graph API (graph.threads.net v1.0) on
http://HOST:PORT/v1.0, with its OAuth endpoints and a sign-in page, so the bridge and
`threads-bridge auth` can be tried without a Meta app. Everything lives in memory and is
gone when the simulator stops (Ctrl-C)."""


def sign_in_help(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    """How to try `auth url|exchange|refresh` against a simulator on host:port."""
    root = f"http://{host}:{port}"
    return f"""\
signing in to the simulator (try `auth url|exchange|refresh` without Meta):
  The simulator plays a Threads app with app id {APP_ID!r} and app secret {APP_SECRET!r}.
  With --seed, account @demo can sign in (its ready-made token is `demo-token`).
  1. Put this in a config file, say sim.toml (redirect_uri may be any address: nothing is
     served there, the code is read from the address your browser lands on):
       [threads]
       api_base = "{root}/v1.0"
       app_id = "{APP_ID}"
       app_secret = "{APP_SECRET}"
       redirect_uri = "{EXAMPLE_REDIRECT}"
       [storage]
       path = "sim-bridge.db"
  2. threads-bridge auth url --config sim.toml
     prints {root}/oauth/authorize?...
     Open it and choose "Allow as @demo". Without a browser, append &allow=demo to the
     address and read where it redirects:
       curl -s -o /dev/null -w '%{{redirect_url}}\\n' '<printed address>&allow=demo'
  3. threads-bridge auth exchange --config sim.toml '<the address you landed on>'
     stores a 60-day token in sim-bridge.db.
  4. threads-bridge auth refresh --config sim.toml
     works once the token is a day old: move the simulator clock forward first with
       curl -X POST {root}/__sim__/clock/advance -d '{{"seconds": 90000}}'
  Or get a bare code for `auth exchange` from the control API:
       curl -X POST {root}/__sim__/auth_codes \\
         -d '{{"username": "demo", "redirect_uri": "{EXAMPLE_REDIRECT}"}}'
  The control API under /__sim__/ (loopback only) also adds accounts, profiles, posts and
  failures: see simulator/control.py."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator command's flags, description and sign-in help."""
    parser.description = DESCRIPTION
    parser.epilog = sign_in_help()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}; the control API under /__sim__/ "
        "answers loopback peers only)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT}; 0 picks a free one)",
    )
    parser.add_argument(
        "--seed",
        action="store_true",
        help="start with demo data: account @demo (token demo-token) and the public profiles "
        "@nova_photos and @river_notes with text, image and carousel posts",
    )
