"""OAuth endpoints: code exchange, short-to-long-lived exchange, refresh.

Served unversioned (`/oauth/access_token`, `/access_token`, `/refresh_access_token`) and
under `/v1.0/` as well; Meta's sample builds both forms.
"""

from __future__ import annotations

import logging

from .errors import FlatOAuthError, GraphError, invalid_param
from .models import JsonDict, TokenRecord
from .params import required
from .routing import GraphCall, PathRoutes, PublicHandler
from .state import SimState

log = logging.getLogger(__name__)


def exchange_code(state: SimState, params: dict[str, str]) -> JsonDict:
    """POST /oauth/access_token: authorization code -> 1-hour token (flat errors)."""
    for name in ("client_id", "client_secret", "code", "grant_type", "redirect_uri"):
        if not params.get(name):
            raise FlatOAuthError(f"Missing parameter: {name}")
    if params["grant_type"] != "authorization_code":
        raise FlatOAuthError("Unsupported grant_type: expected authorization_code")
    if params["client_id"] != state.app_id:
        raise FlatOAuthError("Invalid platform app")
    if params["client_secret"] != state.app_secret:
        raise FlatOAuthError("Error validating client secret.")
    user_id = state.tokens.redeem_code(params["code"], params["redirect_uri"])
    record = state.tokens.issue(user_id, long_lived=False)
    log.info("simulator issued a short-lived token for user %s", user_id)
    # user_id is a bare JSON number on the wire (17 digits: clients must not read it as float).
    return {"access_token": record.token, "user_id": int(user_id)}


def _token_reply(call: GraphCall, record: TokenRecord) -> JsonDict:
    expires_in = round(record.expires_at - call.state.clock.now())
    return {"access_token": record.token, "token_type": "bearer", "expires_in": expires_in}


def _grant(call: GraphCall, expected: str) -> None:
    if required(call.params, "grant_type") != expected:
        raise invalid_param(f"Param grant_type must be {expected}")


def exchange_long_lived(call: GraphCall) -> JsonDict:
    """GET /access_token?grant_type=th_exchange_token&client_secret=... (short -> 60 days)."""
    _grant(call, "th_exchange_token")
    if required(call.params, "client_secret") != call.state.app_secret:
        # Graph reports a wrong secret with code 1 (not a token error: the token is fine).
        raise GraphError("Error validating client secret.", code=1)
    return _token_reply(call, call.state.tokens.exchange_for_long_lived(call.token))


def refresh(call: GraphCall) -> JsonDict:
    """GET /refresh_access_token?grant_type=th_refresh_token (>= 24 h old, not expired)."""
    _grant(call, "th_refresh_token")
    return _token_reply(call, call.state.tokens.refresh(call.token))


PUBLIC_ROUTES: dict[tuple[str, str], PublicHandler] = {
    ("POST", "oauth/access_token"): exchange_code,
}
ROUTES: PathRoutes = {
    ("GET", "access_token"): exchange_long_lived,
    ("GET", "refresh_access_token"): refresh,
}
