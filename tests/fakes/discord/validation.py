"""Spec checks on every REST call: the route must exist in Discord's OpenAPI description,
and every query parameter and top-level body key must be one it lists. Real Discord
silently ignores unknown keys; the fake refuses them (50035) so the project can never
depend on something Discord does not know."""

from __future__ import annotations

from typing import Any

from .errors import FakeBug, FormErrors
from .spec import DiscordSpec

# Things discord.py 2.7 sends that Discord accepts and documents in its prose docs, but the
# OpenAPI description omits. Keyed by (METHOD, template).
SPEC_GAPS_BODY: dict[tuple[str, str], frozenset[str]] = {
    # ApplicationCommandUpdateRequest has no `nsfw` (ApplicationCommandResponse does).
    ("PUT", "/applications/{application_id}/commands"): frozenset({"nsfw"}),
    ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands"): frozenset({"nsfw"}),
    # discord.py's handle_message_parameters always adds `tts`, edits included; the edit
    # schemas (MessageEditRequestPartial, IncomingWebhookUpdateRequestPartial) lack it.
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"): frozenset({"tts"}),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"): frozenset({"tts"}),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"): frozenset({"tts"}),
}
SPEC_GAPS_QUERY: dict[tuple[str, str], frozenset[str]] = {
    # ForumChannel.create_thread adds ?use_nested_fields=1 (a legacy switch).
    ("POST", "/channels/{channel_id}/threads"): frozenset({"use_nested_fields"}),
}


def check_request(
    spec: DiscordSpec, method: str, template: str, query: dict[str, str], body: Any
) -> None:
    """Raise 50035 for unknown query parameters or body keys."""
    if not spec.has_route(method, template):
        raise FakeBug(f"the fake serves {method} {template}, which the spec does not list")
    errors = FormErrors()
    known_query = spec.query_params(method, template) | SPEC_GAPS_QUERY.get(
        (method, template), frozenset()
    )
    for name in sorted(set(query) - known_query):
        errors.add((name,), "UNKNOWN_QUERY_PARAMETER", f"Unknown query parameter: {name}")
    keys = spec.body_keys(method, template)
    if keys is not None and body is not None:
        keys = keys | SPEC_GAPS_BODY.get((method, template), frozenset())
        if isinstance(body, dict):
            _unknown_keys(body, keys, errors, ())
        elif isinstance(body, list):
            for index, item in enumerate(body):
                if isinstance(item, dict):
                    _unknown_keys(item, keys, errors, (index,))
    errors.raise_if_any()


def _unknown_keys(
    body: dict[str, Any], keys: frozenset[str], errors: FormErrors, path: tuple[int, ...]
) -> None:
    for key in sorted(set(body) - keys):
        errors.add(
            (*path, key),
            "UNKNOWN_FIELD",
            f"Unknown field {key!r}: not in Discord's OpenAPI request schema",
        )
