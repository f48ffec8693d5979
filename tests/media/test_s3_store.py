"""The S3 media backend against a real S3 server (moto's server mode) on 127.0.0.1: what Meta
fetches, what it can guess, what is left in the bucket, and the words an operator gets when the
bucket, the endpoint or the credentials are wrong."""

from __future__ import annotations

import asyncio
import math
import re
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
import httpx
import moto.settings
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from bot.config import ConfigError, MediaConfig
from bot.media.s3 import S3Credentials, S3Store
from bot.media.staging import MediaStoreError
from bot.secret import Secret
from tests.virtual_time import VirtualClock

REGION = "eu-central-1"
PREFIX = "tb/"
# What the test process's environment holds: the server has never heard of this key.
PROCESS_KEY_ID = "AKIAPROCESSENV000000"
PROCESS_SECRET = "process-env-secret-0123456789abcdefghij"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"


@dataclass(frozen=True)
class S3Server:
    endpoint: str
    # An IAM user the server knows, for the tests that switch moto's signature checks on.
    key_id: str
    secret: str

    def admin(self) -> Any:
        """A plain boto3 client, to set up and inspect the bucket beside the store."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=self.key_id,
            aws_secret_access_key=self.secret,
        )


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        # Signature checks are off while the user is made (moto's default), on in the tests
        # that ask for them (`signed_only`).
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="AKIASETUP00000000000",
            aws_secret_access_key="setup-secret",
        )
        # moto's state outlives its server: a second start in this process needs a new name.
        user = f"bridge-{uuid.uuid4().hex[:8]}"
        iam.create_user(UserName=user)
        key = iam.create_access_key(UserName=user)["AccessKey"]
        iam.put_user_policy(
            UserName=user,
            PolicyName="media",
            PolicyDocument='{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", '
            '"Action": "s3:*", "Resource": "*"}]}',
        )
        yield S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake credentials in the environment, and nowhere else boto3 could find real ones."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", PROCESS_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", PROCESS_SECRET)
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    name = f"media-{uuid.uuid4().hex[:12]}"
    s3_server.admin().create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return name


@pytest.fixture
def signed_only(monkeypatch: pytest.MonkeyPatch, bucket: str) -> str:
    """From here on the server checks every request's signature against its IAM users (moto
    then cannot serve presigned GETs, so these tests upload and probe, and do not fetch)."""
    monkeypatch.setattr(moto.settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)
    return bucket


def make_store(s3_server: S3Server, bucket: str, **options: Any) -> S3Store:
    settings: dict[str, Any] = {
        "endpoint": s3_server.endpoint,
        "region": REGION,
        "prefix": PREFIX,
        "url_lifetime": 600,
        "credentials": S3Credentials(s3_server.key_id, Secret(s3_server.secret)),
        **options,
    }
    return S3Store(bucket, **settings)


@pytest.fixture
def store(s3_server: S3Server, bucket: str) -> S3Store:
    return make_store(s3_server, bucket)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client


def query(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def objects_in(s3_server: S3Server, bucket: str) -> list[str]:
    listing = s3_server.admin().list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listing.get("Contents", [])]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_meta_fetches_the_exact_bytes_with_their_type(
    store: S3Store, http: httpx.AsyncClient
) -> None:
    staged = await store.stage(JPEG, "image/jpeg")

    answer = await http.get(staged.url)

    assert answer.status_code == 200
    assert answer.content == JPEG
    assert answer.headers["content-type"] == "image/jpeg"
    assert staged.size == len(JPEG)
    assert staged.content_type == "image/jpeg"
    assert staged.key.startswith(PREFIX)
    assert staged.key.endswith(".jpg")


async def test_the_url_cannot_be_guessed_and_holds_no_secret(
    s3_server: S3Server, store: S3Store
) -> None:
    first = await store.stage(JPEG, "image/jpeg")
    second = await store.stage(JPEG, "image/jpeg")

    assert first.key != second.key
    assert first.url != second.url
    name = first.key.removeprefix(PREFIX).removesuffix(".jpg")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", name)
    assert len(name) * 6 >= 128  # URL-safe base64: six random bits a character
    for url in (first.url, unquote(first.url)):
        assert s3_server.secret not in url
    # The bucket is private: without the signature the object is refused.
    assert urlsplit(first.url).query
    async with httpx.AsyncClient() as http:
        unsigned = await http.get(first.url.split("?", 1)[0])
    assert unsigned.status_code == 403


async def test_a_released_file_is_gone_from_the_url_and_the_bucket(
    s3_server: S3Server, bucket: str, store: S3Store, http: httpx.AsyncClient
) -> None:
    staged = await store.stage(b"\x89PNG\r\n\x1a\n" + b"x" * 100, "image/png")
    assert (await http.get(staged.url)).status_code == 200

    await store.release(staged.key)
    await store.release(staged.key)  # twice is harmless

    assert (await http.get(staged.url)).status_code in (403, 404)
    assert objects_in(s3_server, bucket) == []


async def test_a_reissued_url_serves_the_file(
    s3_server: S3Server, bucket: str, http: httpx.AsyncClient
) -> None:
    clock = VirtualClock()
    store = make_store(s3_server, bucket, clock=clock)
    staged = await store.stage(JPEG, "image/jpeg")
    clock.advance(900)  # the first URL has expired by the bridge's reckoning

    fresh = await store.reissue(staged)

    assert fresh.key == staged.key
    assert fresh.expires_at == staged.expires_at + 900
    answer = await http.get(fresh.url)
    assert answer.status_code == 200
    assert answer.content == JPEG


async def test_a_released_file_is_not_reissued(store: S3Store) -> None:
    staged = await store.stage(JPEG, "image/jpeg")
    await store.release(staged.key)

    with pytest.raises(MediaStoreError) as refused:
        await store.reissue(staged)

    assert f"{staged.key} is no longer in bucket {store.bucket!r}" in refused.value.reason


async def test_the_url_expires_after_the_lifetime(s3_server: S3Server, bucket: str) -> None:
    # moto does not refuse an expired presigned URL (it checks neither its signature nor its
    # date), so what is shown is what S3 enforces: the signed X-Amz-Expires, and that the
    # bridge's expires_at is never later than the date the signature dies.
    clock = VirtualClock()
    store = make_store(s3_server, bucket, url_lifetime=90.5, clock=clock)
    staged = await store.stage(JPEG, "image/jpeg")
    assert query(staged.url)["X-Amz-Expires"] == "90"
    assert staged.expires_at == math.floor(clock.time()) + 90

    real = await make_store(s3_server, bucket).stage(JPEG, "image/jpeg")
    signed = query(real.url)
    signed_at = datetime.strptime(signed["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert signed["X-Amz-Expires"] == "600"
    assert real.expires_at <= signed_at.timestamp() + 600


async def test_a_missing_bucket_is_named(s3_server: S3Server) -> None:
    store = make_store(s3_server, "no-such-bucket")

    with pytest.raises(MediaStoreError) as refused:
        await store.stage(JPEG, "image/jpeg")

    expected = f"the bucket 'no-such-bucket' does not exist at {s3_server.endpoint}"
    assert refused.value.reason.startswith(expected)
    assert "[media] bucket" in refused.value.reason
    probed = await store.probe()
    assert probed is not None
    assert probed.startswith(expected)


async def test_probe_passes_on_a_bucket_that_answers(store: S3Store) -> None:
    assert await store.probe() is None


async def test_an_endpoint_that_is_down_is_named(s3_server: S3Server, bucket: str) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    store = make_store(s3_server, bucket, endpoint=endpoint, attempts=1)

    with pytest.raises(MediaStoreError) as refused:
        await store.stage(JPEG, "image/jpeg")

    assert refused.value.reason.startswith(f"cannot reach the S3 endpoint {endpoint}")
    assert "[media] endpoint" in refused.value.reason
    probed = await store.probe()
    assert probed is not None
    assert probed.startswith(f"cannot reach the S3 endpoint {endpoint}")


async def test_a_slow_bucket_does_not_stall_the_bridge(s3_server: S3Server, bucket: str) -> None:
    """The upload runs off the event loop: a server on this very loop receives it while the
    stage is still waiting for an answer."""
    arrived = asyncio.Event()
    pending_when_it_arrived: list[bool] = []
    stage: asyncio.Task[object] | None = None

    async def answer_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        pending_when_it_arrived.append(stage is not None and not stage.done())
        arrived.set()
        writer.close()

    server = await asyncio.start_server(answer_nothing, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    store = make_store(s3_server, bucket, endpoint=f"http://127.0.0.1:{port}", attempts=1)
    try:
        stage = asyncio.ensure_future(store.stage(JPEG, "image/jpeg"))
        await arrived.wait()
        with pytest.raises(MediaStoreError):
            await stage
    finally:
        server.close()
        await server.wait_closed()
    assert pending_when_it_arrived == [True]


async def test_from_config_signs_with_the_credentials_in_env(
    s3_server: S3Server, signed_only: str
) -> None:
    media = MediaConfig(backend="s3", bucket=signed_only, endpoint=s3_server.endpoint)
    env = {
        "AWS_ACCESS_KEY_ID": s3_server.key_id,
        "AWS_SECRET_ACCESS_KEY": s3_server.secret,
        "AWS_REGION": REGION,
    }
    store = S3Store.from_config(media, env)

    assert await store.probe() is None
    staged = await store.stage(JPEG, "video/mp4")
    assert query(staged.url)["X-Amz-Credential"].startswith(f"{s3_server.key_id}/")
    assert f"/{REGION}/s3/" in query(staged.url)["X-Amz-Credential"]
    assert objects_in(s3_server, signed_only) == [staged.key]
    assert staged.key.endswith(".mp4")

    # Without them in env, boto3's own chain finds the process's (unknown) key.
    fallback = S3Store.from_config(media, {})
    with pytest.raises(MediaStoreError) as refused:
        await fallback.stage(JPEG, "image/jpeg")
    assert "does not know the access key in AWS_ACCESS_KEY_ID" in refused.value.reason
    probed = await fallback.probe()
    assert probed is not None
    assert "does not know the access key" in probed


async def test_a_wrong_secret_is_refused_without_repeating_it(
    s3_server: S3Server, signed_only: str
) -> None:
    media = MediaConfig(backend="s3", bucket=signed_only, endpoint=s3_server.endpoint)
    wrong = "not-the-secret-key-0123456789abcdefghijk"
    store = S3Store.from_config(
        media, {"AWS_ACCESS_KEY_ID": s3_server.key_id, "AWS_SECRET_ACCESS_KEY": wrong}
    )

    with pytest.raises(MediaStoreError) as refused:
        await store.stage(JPEG, "image/jpeg")

    reason = refused.value.reason
    assert "refused the credentials" in reason
    assert "AWS_SECRET_ACCESS_KEY does not match AWS_ACCESS_KEY_ID" in reason
    assert wrong not in reason
    assert s3_server.key_id not in reason
    assert await store.probe() == reason
    assert objects_in(s3_server, signed_only) == []


def test_from_config_wants_a_bucket_and_both_halves_of_a_key() -> None:
    with pytest.raises(ConfigError, match=r"^media\.bucket: missing"):
        S3Store.from_config(MediaConfig(backend="s3"), {})
    with pytest.raises(ConfigError, match="AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY"):
        S3Store.from_config(
            MediaConfig(backend="s3", bucket="media"), {"AWS_ACCESS_KEY_ID": "AKIAONLY"}
        )
