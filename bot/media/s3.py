"""The S3 backend: files wait for Meta in an S3-compatible bucket, behind presigned GET URLs.

`stage` uploads the file under `prefix` + a random name and hands out a presigned GET URL that
expires after `url_lifetime`; `release` deletes the object once the container no longer needs it.
The bucket itself stays private: the signature in the URL is the only way in, and it holds no
secret (SigV4 signs with the secret key, it does not carry it). A URL presigned with temporary
credentials also carries their session token and dies with it, whatever its own lifetime.

boto3 is synchronous: every call runs in a worker thread (asyncio.to_thread), so a slow bucket
never stalls the event loop. This module is imported only when `[media] backend = "s3"`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import mimetypes
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    PartialCredentialsError,
    ReadTimeoutError,
)

from bot.clock import SYSTEM_CLOCK, Clock
from bot.config import ConfigError, MediaConfig
from bot.media.staging import MediaStoreError, Staged
from bot.secret import Secret

log = logging.getLogger(__name__)

T = TypeVar("T")

# 24 random bytes: 192 bits, far past guessing, in 32 URL-safe characters.
_NAME_BYTES = 24

# The extensions Meta's media types usually wear; anything else asks mimetypes.
_EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
}

_UNREACHABLE = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)


@dataclass(frozen=True, slots=True)
class S3Credentials:
    """An access key pair (and a session token, for temporary credentials)."""

    access_key_id: str
    secret_access_key: Secret
    session_token: Secret | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> S3Credentials | None:
        """AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), or None when neither
        is set (boto3's own chain then looks further: ~/.aws, an instance role)."""
        key_id = env.get("AWS_ACCESS_KEY_ID", "")
        secret = env.get("AWS_SECRET_ACCESS_KEY", "")
        token = env.get("AWS_SESSION_TOKEN", "")
        if not key_id and not secret:
            return None
        if not key_id or not secret:
            present, absent = (
                ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
                if key_id
                else ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID")
            )
            raise ConfigError(f"media: {present} is set but {absent} is not; set both or neither")
        return cls(key_id, Secret(secret), Secret(token) if token else None)


class S3Store:
    """A MediaStore on an S3-compatible bucket (AWS, MinIO, R2, B2, ...)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint: str | None = None,
        region: str | None = None,
        prefix: str = "threads-bridge/",
        url_lifetime: float = 3600.0,
        credentials: S3Credentials | None = None,
        clock: Clock = SYSTEM_CLOCK,
        attempts: int = 3,
        timeout: float = 10.0,
    ) -> None:
        """`endpoint` None means AWS itself; `credentials` None means boto3's own chain.
        No I/O here: the client is built on first use, in a worker thread."""
        self.bucket = bucket
        self.endpoint = endpoint
        self.region = region
        self.prefix = prefix
        # Presigned URLs count whole seconds.
        self.lifetime = int(url_lifetime)
        self._credentials = credentials
        self._clock = clock
        self._attempts = attempts
        self._timeout = timeout
        self._client: Any = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_config(cls, media: MediaConfig, env: Mapping[str, str]) -> S3Store:
        """The store `[media]` describes, with credentials and region from `env` when set."""
        if not media.bucket:
            raise ConfigError(
                'media.bucket: missing; backend = "s3" needs the name of the bucket to put '
                "files in"
            )
        region = media.region or env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None
        return cls(
            media.bucket,
            endpoint=media.endpoint,
            region=region,
            prefix=media.prefix,
            url_lifetime=media.url_lifetime,
            credentials=S3Credentials.from_env(env),
        )

    async def stage(self, data: bytes, content_type: str) -> Staged:
        """Upload `data` under a new random key; a presigned GET URL for it."""
        key = self.prefix + secrets.token_urlsafe(_NAME_BYTES) + _extension(content_type)

        def upload() -> tuple[str, float]:
            self._s3().put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)
            return self._presign(key)

        url, expires_at = await self._call("upload the file to", upload)
        log.info("media: staged %s in bucket %s (%d bytes)", key, self.bucket, len(data))
        return Staged(
            key=key, url=url, expires_at=expires_at, size=len(data), content_type=content_type
        )

    async def reissue(self, staged: Staged) -> Staged:
        """A fresh URL for the same object, which must still be there (a URL to nothing would
        only turn into Meta's "could not download" later)."""

        def still_there() -> tuple[str, float]:
            try:
                self._s3().head_object(Bucket=self.bucket, Key=staged.key)
            except ClientError as exc:
                if _code(exc) in ("404", "NoSuchKey"):
                    raise MediaStoreError(
                        f"the file {staged.key} is no longer in bucket {self.bucket!r} "
                        "(released, or removed by a lifecycle rule); send it again"
                    ) from None
                raise
            return self._presign(staged.key)

        url, expires_at = await self._call("find the file in", still_there)
        log.info("media: new URL for %s", staged.key)
        return Staged(
            key=staged.key,
            url=url,
            expires_at=expires_at,
            size=staged.size,
            content_type=staged.content_type,
        )

    async def release(self, key: str) -> None:
        """Delete the object; S3 answers a delete of a missing key with success too."""

        def delete() -> None:
            self._s3().delete_object(Bucket=self.bucket, Key=key)

        await self._call("delete the file from", delete)
        log.info("media: released %s", key)

    async def probe(self) -> str | None:
        """None when the bucket answers to these credentials (HEAD bucket), else why not.

        Read-only, as `check` is: a key allowed to read the bucket but not to write into it
        shows at the first upload.
        """

        def head() -> None:
            try:
                self._s3().head_bucket(Bucket=self.bucket)
            except ClientError as exc:
                if _code(exc) != "403":
                    raise
                # A HEAD answer has no body, so no error code: a bare 403 is wrong credentials
                # as well as missing rights. A listing (same right as HEAD) tells which.
                self._s3().list_objects_v2(Bucket=self.bucket, Prefix=self.prefix, MaxKeys=1)
                raise

        try:
            await self._call("reach", head)
        except MediaStoreError as exc:
            return exc.reason
        return None

    def _presign(self, key: str) -> tuple[str, float]:
        # The clock is read before signing and floored as the signature's X-Amz-Date is, so
        # expires_at is never later than the moment S3 starts refusing the URL.
        expires_at = math.floor(self._clock.time()) + self.lifetime
        url: str = self._s3().generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": key},
            ExpiresIn=self.lifetime,
        )
        return url, float(expires_at)

    def _s3(self) -> Any:
        """The boto3 client, built once (loading its service model reads files: not on the
        event loop). boto3 clients are thread-safe; the session that builds them is not."""
        with self._client_lock:
            if self._client is None:
                creds = self._credentials
                session = boto3.session.Session(
                    aws_access_key_id=creds.access_key_id if creds else None,
                    aws_secret_access_key=creds.secret_access_key.reveal() if creds else None,
                    aws_session_token=(
                        creds.session_token.reveal() if creds and creds.session_token else None
                    ),
                    region_name=self.region,
                )
                self._client = session.client(
                    "s3",
                    endpoint_url=self.endpoint,
                    config=BotoConfig(
                        # SigV4 everywhere: the only signature every region and most
                        # S3-compatible servers accept, and the one with an expiry inside.
                        signature_version="s3v4",
                        connect_timeout=self._timeout,
                        read_timeout=self._timeout,
                        retries={"mode": "standard", "total_max_attempts": self._attempts},
                    ),
                )
            return self._client

    async def _call(self, action: str, work: Callable[[], T]) -> T:
        """Run `work` in a thread; whatever S3 or the network says becomes a MediaStoreError."""
        try:
            return await asyncio.to_thread(work)
        except MediaStoreError:
            raise
        except (BotoCoreError, ClientError) as exc:
            reason = self._reason(action, exc)
            log.warning("media: %s", reason)
            raise MediaStoreError(reason) from None

    def _where(self) -> str:
        return self.endpoint or f"AWS ({self.region or 'default region'})"

    def _reason(self, action: str, exc: BotoCoreError | ClientError) -> str:
        """One sentence for the operator. Never the server's message verbatim, nor anything
        from the credentials: the code alone says enough."""
        bucket = repr(self.bucket)
        if isinstance(exc, _UNREACHABLE):
            return (
                f"cannot reach the S3 endpoint {self._where()} ({type(exc).__name__}); check "
                "[media] endpoint and that the server is up"
            )
        if isinstance(exc, NoCredentialsError | PartialCredentialsError):
            return (
                "no S3 credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in "
                "the bridge's environment"
            )
        if not isinstance(exc, ClientError):
            return f"could not {action} bucket {bucket} at {self._where()} ({type(exc).__name__})"
        code = _code(exc)
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
        if code in ("NoSuchBucket", "404"):
            return (
                f"the bucket {bucket} does not exist at {self._where()}; create it or fix "
                "[media] bucket"
            )
        if code == "InvalidAccessKeyId":
            return (
                f"the S3 server at {self._where()} does not know the access key in "
                "AWS_ACCESS_KEY_ID; check the bridge's credentials"
            )
        if code == "SignatureDoesNotMatch":
            return (
                f"the S3 server at {self._where()} refused the credentials "
                "(AWS_SECRET_ACCESS_KEY does not match AWS_ACCESS_KEY_ID)"
            )
        if code in ("ExpiredToken", "InvalidToken", "TokenRefreshRequired"):
            return "the S3 session token (AWS_SESSION_TOKEN) has expired or is invalid; renew it"
        if code in ("PermanentRedirect", "AuthorizationHeaderMalformed", "301"):
            return f"the bucket {bucket} is in another region; set [media] region to its region"
        if code in ("AccessDenied", "AllAccessDisabled"):
            return (
                f"the S3 credentials may not {action} bucket {bucket} ({code}); allow "
                f"s3:PutObject, s3:GetObject and s3:DeleteObject on {self.prefix}* and "
                "s3:ListBucket on the bucket"
            )
        if code == "403":
            return (
                f"S3 at {self._where()} refused to let these credentials {action} bucket "
                f"{bucket} (HTTP 403); check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and "
                "the rights they hold"
            )
        return f"S3 refused to {action} bucket {bucket} ({code}, HTTP {status})"


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _extension(content_type: str) -> str:
    """'.jpg' for image/jpeg: the name says what the file is to anyone looking in the bucket."""
    base = content_type.split(";", 1)[0].strip().lower()
    return _EXTENSIONS.get(base) or mimetypes.guess_extension(base) or ""
