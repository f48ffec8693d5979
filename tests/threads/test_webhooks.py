"""Threads webhook payloads as Meta documents them, read by the pure protocol functions."""

from __future__ import annotations

import json

import pytest

from bot.threads.webhooks import (
    MalformedEvent,
    WebhookEvent,
    parse_event,
    sign,
    signature_matches,
    verification_answer,
)

# The `replies` example of developers.facebook.com/docs/threads/webhooks, as sent.
REPLIES_SAMPLE = """{ "app_id": "123456", "topic": "moderate", "target_id": "78901",
  "time": 1723226877, "subscription_id": "234567", "has_uid_field": false,
  "values": { "value": { "id": "8901234", "username": "test_username", "text": "Reply",
    "media_type": "TEXT_POST",
    "permalink": "https:\\/\\/www.threads.net\\/@test_username\\/post\\/Pp",
    "replied_to": { "id": "567890" },
    "root_post": { "id": "123456", "owner_id": "123456", "username": "test_username_2" },
    "shortcode": "Pp", "timestamp": "2024-08-07T10:33:16+0000" }, "field": "replies" } }"""


def test_metas_replies_example_reads_as_its_event() -> None:
    assert parse_event(json.loads(REPLIES_SAMPLE)) == WebhookEvent(
        field="replies",
        media_id="8901234",
        target_id="78901",
        sent_at=1723226877,
        username="test_username",
    )


def test_a_numeric_id_is_kept_as_its_digits() -> None:
    event = parse_event({"values": {"field": "delete", "value": {"id": 17889615691921648}}})

    assert event.media_id == "17889615691921648"


@pytest.mark.parametrize(
    ("payload", "missing"),
    [
        ([], "not a JSON object"),
        ({}, "no values"),
        ({"values": {"value": {"id": "1"}}}, "no values.field"),
        ({"values": {"field": "publish"}}, "no values.value"),
        ({"values": {"field": "publish", "value": {"id": True}}}, "no values.value.id"),
    ],
)
def test_what_is_missing_is_said(payload: object, missing: str) -> None:
    with pytest.raises(MalformedEvent, match=f"^{missing}$"):
        parse_event(payload)


def test_a_signature_matches_only_its_own_bytes_and_secret() -> None:
    body = REPLIES_SAMPLE.encode()
    header = sign(body, "s3cret")

    assert signature_matches(body, header, "s3cret")
    assert signature_matches(body, "sha256=" + header.removeprefix("sha256=").upper(), "s3cret")
    assert not signature_matches(body + b" ", header, "s3cret")
    assert not signature_matches(body, header, "other")
    assert not signature_matches(body, header.removeprefix("sha256="), "s3cret")
    assert not signature_matches(body, None, "s3cret")


def test_the_challenge_goes_back_only_to_a_subscribe_with_the_token() -> None:
    asked = {"hub.mode": "subscribe", "hub.challenge": "42", "hub.verify_token": "tok"}

    assert verification_answer(asked, "tok") == "42"
    assert verification_answer({**asked, "hub.verify_token": "to"}, "tok") is None
    assert verification_answer({**asked, "hub.mode": "sub"}, "tok") is None
    assert verification_answer({"hub.mode": "subscribe", "hub.verify_token": "tok"}, "tok") is None
