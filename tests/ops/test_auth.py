"""`threads-bridge auth`: the sign-in address, the code exchange, and a refresh, against the
simulator's OAuth endpoints."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from bot.config import ConfigError, parse_config
from bot.runtime import credentials
from bot.runtime.cli import main
from bot.threads.client import ThreadsClient
from bot.threads.errors import AuthError
from simulator import SimUser, ThreadsSimulator
from storage.store import Store

REDIRECT = "https://example.com/threads-callback"


def config(tmp_path: Path, sim: ThreadsSimulator, **threads: Any) -> Any:
    raw = {
        "threads": {
            "api_base": sim.base_url,
            "app_id": "sim-app",
            "app_secret": "sim-secret",
            "redirect_uri": REDIRECT,
            **threads,
        },
        "storage": {"path": str(tmp_path / "bridge.db")},
        "telegram": {"publishers": [42]},
    }
    return parse_config(raw, env={})


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def test_sign_in_address_is_metas_and_asks_for_the_scopes_the_features_need(
    tmp_path: Path, sim: ThreadsSimulator
) -> None:
    url = credentials.authorize_url(
        config(tmp_path, sim, api_base="https://graph.threads.net/v1.0")
    )
    query = query_of(url)
    assert url.startswith("https://threads.com/oauth/authorize?")
    assert query["client_id"] == "sim-app"
    assert query["redirect_uri"] == REDIRECT
    # Publishers are configured: publishing replies and the reply quota need manage_replies.
    assert query["scope"] == (
        "threads_basic,threads_profile_discovery,threads_manage_insights,"
        "threads_content_publish,threads_manage_replies"
    )
    assert query["response_type"] == "code" and query["state"]


def test_without_publishers_only_reading_scopes_are_asked_for(
    tmp_path: Path, sim: ThreadsSimulator
) -> None:
    raw = {
        "threads": {"app_id": "sim-app", "redirect_uri": REDIRECT},
        "storage": {"path": str(tmp_path / "bridge.db")},
    }
    url = credentials.authorize_url(parse_config(raw, env={}))
    assert query_of(url)["scope"] == (
        "threads_basic,threads_profile_discovery,threads_manage_insights"
    )


async def test_on_the_simulator_the_printed_address_signs_in(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    cfg = config(tmp_path, sim)
    url = credentials.authorize_url(cfg)
    assert url.startswith(f"{sim.root_url}/oauth/authorize?")

    async with httpx.AsyncClient(trust_env=False) as browser:
        page = await browser.get(url)
        allow = await browser.get(url + "&allow=alice")
    assert page.status_code == 200 and "Allow as @alice" in page.text
    assert allow.status_code == 302
    landed = allow.headers["Location"]  # what the browser's address bar shows
    assert landed.startswith(f"{REDIRECT}?code=") and landed.endswith("#_")
    assert query_of(landed)["state"] == query_of(url)["state"]

    store = Store.open(cfg.storage.path)
    stored = await credentials.exchange_code(cfg, store, landed)
    assert stored.user_id == alice.id


async def test_the_simulator_refuses_a_wrong_app_id(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    url = credentials.authorize_url(config(tmp_path, sim, app_id="facebook-app-id"))
    async with httpx.AsyncClient(trust_env=False) as browser:
        page = await browser.get(url)
    assert page.status_code == 400 and "is not the app id of this simulator (sim-app)" in page.text


def test_missing_app_id_names_the_key(tmp_path: Path, sim: ThreadsSimulator) -> None:
    with pytest.raises(ConfigError, match=r"^threads\.app_id: missing"):
        credentials.authorize_url(config(tmp_path, sim, app_id=""))


async def test_exchange_stores_a_long_lived_token(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    cfg = config(tmp_path, sim)
    code = sim.issue_auth_code("alice", redirect_uri=REDIRECT)
    store = Store.open(cfg.storage.path)

    stored = await credentials.exchange_code(cfg, store, f"{REDIRECT}?code={code}#_")

    assert stored.source == "auth" and stored.user_id == alice.id
    assert stored.expires_at is not None and stored.expires_at - stored.obtained_at > 59 * 86400
    async with ThreadsClient(stored.token, api_base=sim.base_url) as client:
        assert (await client.me()).username == "alice"
    assert "sim-secret" not in repr(stored) and stored.token not in repr(stored)


async def test_refresh_after_a_day_and_not_once_expired(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    cfg = config(tmp_path, sim, access_token=alice.token)
    store = Store.open(cfg.storage.path)
    token = credentials.require_token(cfg, store)
    sim.advance(25 * 3600)

    async with credentials.threads_client(cfg, token.token) as client:
        refreshed = await credentials.refresh_stored(client, store)
        assert (await client.me()).username == "alice"  # the client switched to it
    assert refreshed.source == "refresh" and refreshed.expires_at is not None
    assert credentials.require_token(cfg, store).token == refreshed.token  # kept over config

    sim.expire_token(refreshed.token)
    async with credentials.threads_client(cfg, refreshed.token) as client:
        with pytest.raises(AuthError):
            await credentials.refresh_stored(client, store)


async def test_the_auth_commands(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[threads]\napi_base = "{sim.base_url}"\napp_id = "sim-app"\n'
        f'app_secret = "sim-secret"\nredirect_uri = "{REDIRECT}"\n'
    )

    async def auth(*args: str) -> tuple[int, str]:
        """`threads-bridge auth ARGS`: the CLI's main, in a thread (it runs its own event
        loop while the simulator answers on this one)."""
        code = await asyncio.to_thread(main, ["auth", *args, "--config", str(path)])
        return code, capsys.readouterr().out

    code, url_output = await auth("url")
    assert code == 0 and f"{sim.root_url}/oauth/authorize?client_id=sim-app" in url_output

    code, exchanged = await auth("exchange", sim.issue_auth_code("alice", redirect_uri=REDIRECT))
    assert code == 0, exchanged
    assert exchanged.startswith("Signed in. A long-lived token is stored in ")

    sim.advance(25 * 3600)
    code, refreshed = await auth("refresh")
    assert code == 0, refreshed
    assert refreshed.startswith("Refreshed, valid until ")
