"""Token lifecycle: issue, authenticate, exchange and refresh user tokens; one-time codes.

Lifetimes are Meta's: authorization codes 1 h and single use, short-lived tokens 1 h,
long-lived tokens 60 days, refresh allowed once a long-lived token is 24 h old and only
while it has not expired.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from .clock import SimClock
from .errors import (
    FlatOAuthError,
    GraphError,
    expired_token,
    invalid_param,
    invalid_token,
    resource_gone,
    revoked_token,
)
from .ids import IdFactory
from .models import AuthCode, TokenRecord

log = logging.getLogger(__name__)

CODE_LIFETIME = 3600.0
SHORT_LIVED_SECONDS = 3600.0
LONG_LIVED_SECONDS = 5_184_000.0  # 60 days, the expires_in Meta's Postman collection shows
REFRESH_MIN_AGE = 24 * 3600.0


def _aware(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


class TokenBook:
    """Every token and authorization code the simulator has issued."""

    def __init__(self, clock: SimClock, ids: IdFactory) -> None:
        self._clock = clock
        self._ids = ids
        self._tokens: dict[str, TokenRecord] = {}
        self._codes: dict[str, AuthCode] = {}

    # --- tokens ----------------------------------------------------------------------------

    def issue(self, user_id: str, *, long_lived: bool, token: str | None = None) -> TokenRecord:
        """Issue a token for `user_id` valid from now (a chosen string, or a generated one)."""
        if token is not None and token in self._tokens:
            raise ValueError("that token string is already in use")
        now = self._clock.now()
        lifetime = LONG_LIVED_SECONDS if long_lived else SHORT_LIVED_SECONDS
        record = TokenRecord(
            token=token or self._ids.access_token(),
            user_id=user_id,
            long_lived=long_lived,
            issued_at=now,
            expires_at=now + lifetime,
        )
        self._tokens[record.token] = record
        return record

    def get(self, token: str) -> TokenRecord | None:
        """The record for `token`, expired or not; None when the simulator never issued it."""
        return self._tokens.get(token)

    def _require(self, token: str) -> TokenRecord:
        record = self._tokens.get(token)
        if record is None:
            raise KeyError("the simulator never issued that token")
        return record

    def authenticate(self, token: str | None, *, own_profile: bool = False) -> TokenRecord:
        """The record behind a presented token, or the Graph error Meta would return.

        `own_profile`: the request reads `/me`, which a revoked token answers differently."""
        if not token:
            # Graph's reply when no token is sent at all (code 104), distinct from a bad one.
            raise GraphError("An access token is required to request this resource.", code=104)
        record = self._tokens.get(token)
        if record is None:
            raise invalid_token()
        now = self._clock.now()
        if now >= record.expires_at:
            raise expired_token(_aware(record.expires_at), _aware(now))
        if record.revoked:
            # Seen on Meta: a dead token's `/me` says code 100 "does not exist", not 190.
            raise resource_gone() if own_profile else revoked_token()
        return record

    def revoke(self, token: str) -> None:
        """The user removed the app (or the account is gone): `/me` answers code 100
        "The requested resource does not exist", every other call 190 / 458."""
        self._require(token).revoked = True

    def expire(self, token: str) -> None:
        """Make `token` expired as of now (the next use gets 190 / 463)."""
        self._require(token).expires_at = self._clock.now()

    def info(self, token: str) -> tuple[datetime, datetime]:
        record = self._require(token)
        return _aware(record.issued_at), _aware(record.expires_at)

    def exchange_for_long_lived(self, record: TokenRecord) -> TokenRecord:
        """th_exchange_token: a short-lived token becomes a new 60-day token."""
        if record.long_lived:
            # Meta documents the exchange for short-lived tokens only (long-lived ones are
            # extended with th_refresh_token); refusing keeps clients on the documented path.
            raise invalid_param("Only short-lived access tokens can be exchanged")
        return self.issue(record.user_id, long_lived=True)

    def refresh(self, record: TokenRecord) -> TokenRecord:
        """th_refresh_token: a long-lived token at least 24 h old gets a fresh 60 days.

        A new token string is returned, as Meta's response carries an `access_token` that
        clients must store; the old string stays valid until its own expiry.
        """
        if not record.long_lived:
            raise invalid_param("Only long-lived access tokens can be refreshed")
        age = self._clock.now() - record.issued_at
        if age < REFRESH_MIN_AGE:
            # Undocumented body; code 100 (not 190) because the token itself is still fine.
            raise invalid_param(
                "The access token must be at least 24 hours old before it can be refreshed"
            )
        return self.issue(record.user_id, long_lived=True)

    # --- authorization codes --------------------------------------------------------------

    def issue_code(self, user_id: str, redirect_uri: str) -> str:
        code = AuthCode(self._ids.auth_code(), user_id, redirect_uri, self._clock.now())
        self._codes[code.code] = code
        return code.code

    def redeem_code(self, code: str, redirect_uri: str) -> str:
        """Consume a code and return its user id; failures use the flat OAuth shape."""
        # Codes are compared as issued: the `#_` Meta appends to the redirect is the client's
        # to strip, and a code sent with it is not found, as on Meta.
        record = self._codes.get(code)
        expired = record is not None and self._clock.now() >= record.issued_at + CODE_LIFETIME
        if record is None or record.used or expired:
            raise FlatOAuthError("Matching code was not found or was already used")
        if redirect_uri != record.redirect_uri:
            raise FlatOAuthError(
                "Error validating verification code. Please make sure your"
                " redirect_uri is identical to the one you used in the OAuth"
                " dialog request"
            )
        record.used = True
        return record.user_id
