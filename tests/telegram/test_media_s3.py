"""A Telegram photo published through the S3 backend, end to end: the bridge uploads it to a
real S3 server on 127.0.0.1 (moto's server mode), Meta (the simulator) fetches the presigned
link, and the object is gone from the bucket once the post is live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.moto_server.threaded_moto_server import ThreadedMotoServer

from simulator import SimUser, ThreadsSimulator
from tests.fakes.telegram import FakeTelegram
from tests.media_samples import JPEG, sha256
from tests.telegram.conftest import PRIVATE, PUBLISHER, reads

BUCKET = "bridge-media"
REGION = "eu-central-1"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # The bridge reads its S3 credentials from the environment, as an operator sets them.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIATESTBRIDGE000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-bridge-secret-key-0123456789")
    try:
        bucket_client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield endpoint
    finally:
        server.stop()


def bucket_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="AKIATESTBRIDGE000000",
        aws_secret_access_key="test-bridge-secret-key-0123456789",
    )


async def test_a_photo_goes_to_meta_through_the_bucket_and_leaves_it_empty(
    start_bridge: Any, tg: FakeTelegram, sim: ThreadsSimulator, alice: SimUser, s3_endpoint: str
) -> None:
    media = {"backend": "s3", "bucket": BUCKET, "endpoint": s3_endpoint, "region": REGION}
    bridge = await start_bridge(media=media)

    tg.send_media(PRIVATE, PUBLISHER, [("photo", JPEG)], "/post From the bucket")
    await tg.wait_for(lambda fake: len(fake.sent_to(PRIVATE)) >= 1, timeout=15)

    (post,) = sim.posts_by("alice")
    assert reads(tg.sent_to(PRIVATE)[0]) == f"Published on Threads: {post.permalink}"
    assert post.spec.fetched is not None
    assert post.spec.fetched.url.startswith(f"{s3_endpoint}/{BUCKET}/")
    assert "X-Amz-Signature=" in post.spec.fetched.url  # a presigned link, not a public object
    assert tg.token not in post.spec.fetched.url
    assert post.spec.fetched.sha256 == sha256(JPEG)
    assert bucket_client(s3_endpoint).list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
    assert bridge.app.media_relay is None  # no relay runs with the S3 backend
