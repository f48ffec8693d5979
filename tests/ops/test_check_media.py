"""`threads-bridge check`'s media lines, from the real check against real servers on 127.0.0.1:
the bridge's own relay (its key from the database), an unrelated web server in its place, a
closed port (check then serves the probe itself for a moment), and an S3 bucket (moto)."""

from __future__ import annotations

import ipaddress
import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from aiohttp import web
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from bot.config import Config, parse_config
from bot.runtime.check import run_checks
from bot.runtime.media import build_relay
from bot.runtime.media_check import address_problem
from bot.runtime.runlock import hold_run_lock
from bot.runtime.web_server import WebServer
from simulator import SimUser, ThreadsSimulator
from storage.store import Store
from tests.virtual_time import SkipAheadClock

REGION = "eu-central-1"
AWS_ENV = {"AWS_ACCESS_KEY_ID": "AKIACHECKTEST0000000", "AWS_SECRET_ACCESS_KEY": "check-secret"}
LOOPBACK_WARNING = (
    "WARN  media.public_url: 127.0.0.1 is a loopback address: Meta cannot reach it; give the "
    "public address of a reverse proxy or tunnel in front of the relay"
)
HTTP_WARNING = (
    "WARN  media.public_url: http: Meta fetches media over HTTPS; put a TLS reverse proxy or "
    "tunnel in front of the relay and give its https:// address"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nothing_listens(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except ConnectionRefusedError:
        return True
    return False


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def config(tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, **media: Any) -> Config:
    raw: dict[str, Any] = {
        "threads": {"access_token": alice.token, "api_base": sim.base_url},
        "storage": {"path": str(tmp_path / "bridge.db")},
        "media": media,
    }
    return parse_config(raw, env={})


async def media_lines(cfg: Config, env: dict[str, str] | None = None) -> list[str]:
    """The media lines of `check`, as printed."""
    return [
        check.line()
        async for check in run_checks(cfg, "config.toml", env=env or {})
        if check.name.startswith("media")
    ]


class SomeOtherServer(WebServer):
    """Whatever else may answer at public_url: a default page on every path."""

    name = "some other server"

    def build_app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{path:.*}", self.page)
        return app

    async def page(self, request: web.Request) -> web.Response:
        return web.Response(text="Welcome to nginx!")


async def test_without_public_url_media_is_off_and_that_is_no_failure(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    checks = [c async for c in run_checks(config(tmp_path, sim, alice), "config.toml", env={})]
    (media,) = [c for c in checks if c.name == "media"]
    assert media.ok
    assert media.line() == (
        "OK    media: off (set [media] public_url to publish photos and videos from chat)"
    )


async def test_public_url_reaching_the_running_bridges_relay(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    port = free_port()
    cfg = config(tmp_path, sim, alice, public_url=f"http://127.0.0.1:{port}", listen_port=port)
    # The relay as the running bridge builds it: its key made once and kept in the database.
    store = Store.open(cfg.storage.path)
    relay = build_relay(cfg, store, SkipAheadClock())
    await relay.start("127.0.0.1", port)
    try:
        output = await media_lines(cfg)
    finally:
        await relay.stop()
        store.close()

    assert output == [
        LOOPBACK_WARNING,
        HTTP_WARNING,
        "OK    media relay: public_url reaches this bridge's relay",
    ]


async def test_another_server_answering_at_public_url_is_a_failure(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    async with SomeOtherServer() as other:
        port = other.port
        cfg = config(tmp_path, sim, alice, public_url=other.url, listen_port=port)
        output = await media_lines(cfg)

    assert output[:2] == [LOOPBACK_WARNING, HTTP_WARNING]
    assert output[2] == (
        "FAIL  media relay: public_url answers (HTTP 200), but not with this bridge's relay "
        f"(is the proxy pointing at 127.0.0.1:{port}?); 127.0.0.1:{port} is in use "
        "by another program"
    )


async def test_a_relay_with_another_key_is_not_this_bridges(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    """Another bridge's relay (another database, so another key) behind public_url."""
    port = free_port()
    cfg = config(tmp_path, sim, alice, public_url=f"http://127.0.0.1:{port}", listen_port=port)
    other_db = tmp_path / "other" / "bridge.db"
    other_db.parent.mkdir()
    other_cfg = config(other_db.parent, sim, alice, public_url=f"http://127.0.0.1:{port}")
    store = Store.open(other_cfg.storage.path)
    relay = build_relay(other_cfg, store, SkipAheadClock())
    await relay.start("127.0.0.1", port)
    try:
        output = await media_lines(cfg)
    finally:
        await relay.stop()
        store.close()

    assert output[2].startswith(
        "FAIL  media relay: public_url answers (HTTP 200), but not with this bridge's relay"
    )


async def test_with_the_bridge_stopped_check_serves_the_probe_itself(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    port = free_port()  # nothing listens there: the bridge is not running
    cfg = config(tmp_path, sim, alice, public_url=f"http://127.0.0.1:{port}", listen_port=port)

    output = await media_lines(cfg)

    assert output == [
        LOOPBACK_WARNING,
        HTTP_WARNING,
        "OK    media relay: public_url reaches this bridge's relay (tried with a temporary "
        f"relay on 127.0.0.1:{port}: the bridge is not running)",
    ]
    assert nothing_listens(port)  # the temporary relay is gone
    assert files_in(tmp_path) == []  # and nothing was written: no database, no media folder


async def test_a_running_bridge_that_public_url_does_not_reach(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    port = free_port()
    async with SomeOtherServer() as other:
        cfg = config(tmp_path, sim, alice, public_url=other.url, listen_port=port)
        store = Store.open(cfg.storage.path)
        relay = build_relay(cfg, store, SkipAheadClock())
        try:
            with hold_run_lock(cfg.storage.path):  # the bridge runs, its relay on listen_port
                await relay.start("127.0.0.1", port)
                output = await media_lines(cfg)
        finally:
            await relay.stop()
            store.close()

    assert output[2] == (
        "FAIL  media relay: public_url answers (HTTP 200), but not with this bridge's relay "
        f"(is the proxy pointing at 127.0.0.1:{port}?); the running bridge (pid {os.getpid()}) "
        f"should be listening on 127.0.0.1:{port}"
    )


async def test_a_running_bridge_without_its_relay_is_told_to_restart(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    """It was started before public_url was set: check's own relay answers in its place."""
    port = free_port()
    cfg = config(tmp_path, sim, alice, public_url=f"http://127.0.0.1:{port}", listen_port=port)
    with hold_run_lock(cfg.storage.path):
        output = await media_lines(cfg)

    assert output[2] == (
        "OK    media relay: public_url reaches this bridge's relay (tried with a temporary "
        f"relay on 127.0.0.1:{port}: the running bridge (pid {os.getpid()}) does not serve it: "
        "restart it)"
    )


async def test_public_url_leading_nowhere_says_why(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    nowhere, listen = free_port(), free_port()
    cfg = config(
        tmp_path, sim, alice, public_url=f"http://127.0.0.1:{nowhere}", listen_port=listen
    )

    output = await media_lines(cfg)

    assert output[2].startswith("FAIL  media relay: cannot reach public_url (")
    assert output[2].endswith(
        f"); is the reverse proxy or tunnel up and pointing at 127.0.0.1:{listen}?"
    )
    assert nothing_listens(listen)


async def test_a_host_name_is_resolved_and_one_that_does_not_resolve_fails(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    port = free_port()
    local = config(tmp_path, sim, alice, public_url=f"https://localhost:{port}", listen_port=port)
    missing = config(tmp_path, sim, alice, public_url="https://media.bridge.invalid")

    local_lines = await media_lines(local)
    missing_lines = await media_lines(missing)

    assert local_lines[0].startswith("WARN  media.public_url: localhost resolves to ")
    assert ", a loopback address: Meta cannot reach it" in local_lines[0]
    assert not any("http:" in line for line in local_lines)  # https: no scheme warning
    (line,) = missing_lines
    assert line.startswith("FAIL  media.public_url: media.bridge.invalid does not resolve (")


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("10.1.2.3", "a private address"),
        ("192.168.0.10", "a private address"),
        ("169.254.1.1", "a link-local address"),
        ("::1", "a loopback address"),
        ("fe80::1", "a link-local address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
    ],
)
def test_which_addresses_meta_cannot_reach(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nowhere boto3 could find real credentials or settings of this machine."""
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    name = f"media-{uuid.uuid4().hex[:12]}"
    admin = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=AWS_ENV["AWS_SECRET_ACCESS_KEY"],
    )
    admin.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return name


def s3_config(tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, **media: Any) -> Config:
    return config(tmp_path, sim, alice, backend="s3", region=REGION, **media)


@pytest.mark.usefixtures("aws_files")
async def test_an_s3_bucket_that_answers(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, s3_endpoint: str, bucket: str
) -> None:
    cfg = s3_config(tmp_path, sim, alice, bucket=bucket, endpoint=s3_endpoint)
    assert await media_lines(cfg, AWS_ENV) == [
        f"OK    media: S3 bucket '{bucket}' answers at {s3_endpoint}"
    ]


@pytest.mark.usefixtures("aws_files")
async def test_a_missing_s3_bucket_fails(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser, s3_endpoint: str
) -> None:
    cfg = s3_config(tmp_path, sim, alice, bucket="no-such-bucket", endpoint=s3_endpoint)
    assert await media_lines(cfg, AWS_ENV) == [
        f"FAIL  media: the bucket 'no-such-bucket' does not exist at {s3_endpoint}; create it "
        "or fix [media] bucket"
    ]


async def test_s3_without_a_bucket_names_the_key(
    tmp_path: Path, sim: ThreadsSimulator, alice: SimUser
) -> None:
    checks = [
        c async for c in run_checks(s3_config(tmp_path, sim, alice), "config.toml", env=AWS_ENV)
    ]
    (line,) = [c for c in checks if c.name.startswith("media")]
    assert line.line().startswith('FAIL  media.bucket: missing; backend = "s3" needs')
    assert line.local  # `run` stops on it: exit status 2
