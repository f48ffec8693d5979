"""The Threads access token: where it comes from, the OAuth steps that produce one, refreshes.

A token from the configuration is adopted into the database at start-up; `threads-bridge auth`
and the refresh job write there too, and a running bridge picks up what is stored. Editing the
configured token replaces the stored one (its hash is remembered to notice the change).
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlencode, urlparse

from bot.config import Config, ConfigError
from bot.secret import Secret
from bot.threads.client import ThreadsClient
from storage.store import Store
from storage.tokens import StoredToken

# Meta's documented sign-in address; Graph is served from either of the two hosts below.
AUTHORIZE_URL = "https://threads.com/oauth/authorize"
META_API_HOSTS = frozenset({"graph.threads.net", "graph.threads.com"})
BASE_SCOPES = ("threads_basic", "threads_profile_discovery")
# Publishing replies (chains, /reply) and reading the reply quota need threads_manage_replies.
PUBLISH_SCOPES = ("threads_content_publish", "threads_manage_replies")
# /insights, which anyone in a bridged chat may ask: the account's and its posts' numbers.
INSIGHTS_SCOPES = ("threads_manage_insights",)


def current_token(config: Config, store: Store) -> StoredToken | None:
    configured = config.threads.access_token
    if configured is not None:
        return store.tokens.adopt_configured(configured.reveal())
    return store.tokens.get()


def require_token(config: Config, store: Store) -> StoredToken:
    token = current_token(config, store)
    if token is None:
        raise ConfigError(
            "threads.access_token: missing; set it in the file or in THREADS_ACCESS_TOKEN, "
            "or run `threads-bridge auth url` to sign in"
        )
    return token


def threads_client(config: Config, token: str | None) -> ThreadsClient:
    secret = config.threads.app_secret
    return ThreadsClient(
        token,
        api_base=config.threads.api_base,
        app_id=config.threads.app_id,
        app_secret=secret.reveal() if secret else None,
    )


def required_scopes(config: Config) -> list[str]:
    """threads_basic always; discovery for watching other profiles; insights for /insights;
    publishing when anyone is configured to publish."""
    scopes = list(BASE_SCOPES)
    scopes.extend(INSIGHTS_SCOPES)
    publishing = (
        config.telegram.publishers or config.discord.publishers or config.discord.publisher_roles
    )
    if publishing:
        scopes.extend(PUBLISH_SCOPES)
    return scopes


def authorize_url(config: Config, state: str | None = None) -> str:
    """Where the account owner signs in and grants the scopes (Meta then redirects with ?code)."""
    app_id = _required(config.threads.app_id, "threads.app_id", "the Threads app id")
    redirect = _required(config.threads.redirect_uri, "threads.redirect_uri", "the redirect URI")
    query = {
        "client_id": app_id,
        "redirect_uri": redirect,
        "scope": ",".join(required_scopes(config)),
        "response_type": "code",
        "state": state or secrets.token_urlsafe(12),
    }
    return f"{authorize_endpoint(config.threads.api_base)}?{urlencode(query)}"


def authorize_endpoint(api_base: str) -> str:
    """Meta's sign-in page, or the one of the server `api_base` names when that is not Meta's
    (the simulator serves `/oauth/authorize` at its root), so the printed address works."""
    parsed = urlparse(api_base)
    if parsed.hostname in META_API_HOSTS:
        return AUTHORIZE_URL
    return f"{parsed.scheme}://{parsed.netloc}/oauth/authorize"


def code_from(pasted: str) -> str:
    """The authorization code, from the code itself or the whole address Meta redirected to;
    Meta appends `#_` to it, which is not part of the code."""
    pasted = pasted.strip()
    if "?" in pasted or pasted.startswith("http"):
        values = parse_qs(urlparse(pasted).query).get("code")
        if not values:
            raise ConfigError("auth: that address has no `code` parameter")
        pasted = values[0]
    return pasted.split("#", 1)[0]


async def exchange_code(config: Config, store: Store, pasted: str) -> StoredToken:
    """Code -> short-lived token (1 h) -> long-lived token (60 days), stored."""
    _required(config.threads.app_id, "threads.app_id", "the Threads app id")
    _required(config.threads.app_secret, "threads.app_secret", "the Threads app secret")
    redirect = _required(config.threads.redirect_uri, "threads.redirect_uri", "the redirect URI")
    async with threads_client(config, None) as client:
        short = await client.exchange_code(code_from(pasted), redirect)
        long = await client.exchange_for_long_lived(short.access_token)
    return store.tokens.save(
        long.access_token, source="auth", expires_in=long.expires_in, user_id=short.user_id
    )


async def refresh_stored(client: ThreadsClient, store: Store) -> StoredToken:
    """Refresh the token the client holds (it must be at least 24 h old), store the result,
    and switch the client to it."""
    grant = await client.refresh_token()
    stored = store.tokens.save(grant.access_token, source="refresh", expires_in=grant.expires_in)
    client.set_access_token(grant.access_token)
    return stored


def _required(value: str | Secret | None, key: str, what: str) -> str:
    if not value:
        raise ConfigError(f"{key}: missing; {what} is needed for signing in")
    return value.reveal() if isinstance(value, Secret) else value
