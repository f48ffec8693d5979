"""Graph JSON that cannot be stored or shown as it is becomes a Post and Profile that can."""

from __future__ import annotations

import json

from bot.threads.models import parse_lookup, parse_post


def test_every_string_field_of_a_post_is_repaired_or_coerced() -> None:
    body = json.loads(
        '{"id": 17, "media_type": "IMAGE", "text": "half \\ud83d and whole \\ud83d\\ude00",'
        ' "username": 12345, "permalink": {"oops": 1}, "media_url": "https://x/\\udc00.jpg",'
        ' "alt_text": true, "poll_attachment": {"option_a": "\\ud83d", "option_b": 2}}'
    )

    post = parse_post(body)

    assert post.id == "17"
    assert post.text == "half \N{REPLACEMENT CHARACTER} and whole \N{GRINNING FACE}"
    assert post.username == "12345"
    assert post.permalink is None
    assert post.media[0].url == "https://x/\N{REPLACEMENT CHARACTER}.jpg"
    assert post.media[0].alt_text is None
    assert post.poll is not None and post.poll.options == ("\N{REPLACEMENT CHARACTER}", "2")
    post.text.encode()  # storable and sendable as UTF-8


def test_profile_names_are_repaired() -> None:
    profile = parse_lookup(json.loads('{"username": "bob", "name": "Bob \\ud83d", "id": 5}'))

    assert (profile.id, profile.name) == ("5", "Bob \N{REPLACEMENT CHARACTER}")
