"""The sign-in page, `GET /oauth/authorize`, as threads.com serves it for a real app.

`threads-bridge auth url` points here when `api_base` is the simulator. The page lists the
accounts that may sign in; choosing one (a link adding `allow=<username>`, so `curl` can do it
too) redirects to `redirect_uri?code=...&state=...#_`, like Meta. The code is valid for an hour
and once; `auth exchange` takes that whole address. Nothing here needs a token.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from urllib.parse import urlencode

from aiohttp import web

from .state import SimState

log = logging.getLogger(__name__)

PATH = "/oauth/authorize"


def authorize_routes(state: SimState) -> list[web.RouteDef]:
    async def authorize(request: web.Request) -> web.Response:
        return sign_in(state, request)

    return [web.get(PATH, authorize)]


def sign_in(state: SimState, request: web.Request) -> web.Response:
    """The consent page, or (with `allow=<username>`) the redirect carrying a fresh code."""
    query = request.query
    problem = _problem(state, query)
    if problem is not None:
        return _page(f"<p>Cannot sign in: {html.escape(problem)}</p>", status=400)
    redirect_uri = query["redirect_uri"]
    chosen = query.get("allow", "").strip().removeprefix("@")
    if chosen:
        user = state.user_named(chosen)
        if user is None or user.token is None:
            return _page(f"<p>No account @{html.escape(chosen)} can sign in here.</p>", 400)
        code = state.tokens.issue_code(user.id, redirect_uri)
        back = {"code": code, **({"state": query["state"]} if query.get("state") else {})}
        separator = "&" if "?" in redirect_uri else "?"
        # Meta appends `#_` to the redirect; the bridge strips it (see credentials.code_from).
        location = f"{redirect_uri}{separator}{urlencode(back)}#_"
        log.info("simulator sign-in as @%s: redirecting with a code", user.username)
        raise web.HTTPFound(location)
    accounts = [user for user in state.users.values() if user.token is not None]
    if not accounts:
        return _page("<p>No account can sign in: add one with <code>--seed</code>.</p>", 400)
    scopes = html.escape(query.get("scope", ""))
    links = "".join(
        f'<li><a href="{html.escape(_with_allow(request, user.username))}">'
        f"Allow as @{html.escape(user.username)}</a></li>"
        for user in accounts
    )
    return _page(
        f"<p>The app asks for: <code>{scopes}</code></p><ul>{links}</ul>"
        "<p>Your browser then opens the redirect address; copy it from the address bar (the page"
        " itself need not load) into <code>threads-bridge auth exchange</code>.</p>"
    )


def _problem(state: SimState, params: Mapping[str, str]) -> str | None:
    client_id = params.get("client_id", "")
    if client_id != state.app_id:
        # Meta fails the same way (4476002) when the Facebook app id is used by mistake.
        return f"client_id {client_id} is not the app id of this simulator ({state.app_id})"
    if params.get("response_type") != "code":
        return "response_type must be code"
    if not params.get("redirect_uri"):
        return "redirect_uri is missing"
    if "threads_basic" not in params.get("scope", "").replace(" ", ",").split(","):
        return "scope must include threads_basic"
    return None


def _with_allow(request: web.Request, username: str) -> str:
    return str(request.rel_url.update_query(allow=username))


def _page(body: str, status: int = 200) -> web.Response:
    text = f"<!doctype html><title>Threads simulator sign-in</title><h1>Sign in</h1>{body}"
    return web.Response(text=text, status=status, content_type="text/html")
