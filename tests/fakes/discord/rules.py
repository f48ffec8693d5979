"""Discord's limits on what a message may contain, enforced with its 50035 error tree:
content, embeds, allowed_mentions, thread names, autocomplete choices and modals.
(https://discord.com/developers/docs/resources/message#embed-object-embed-limits)"""

from __future__ import annotations

from typing import Any

from .components import check_components, check_modal_components
from .errors import DiscordError, FormErrors

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_LIMITS = {"title": 256, "description": 4096}
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
AUTHOR_NAME_MAX = 256
MENTION_TYPES = frozenset({"everyone", "users", "roles"})
MENTION_IDS_MAX = 100
COMPONENTS_V2 = 1 << 15
Path = tuple[str | int, ...]


def check_message(body: dict[str, Any], *, creating: bool = True, files: int = 0) -> None:
    """A message create or edit body; on create, an empty message is refused (50006)."""
    errors = FormErrors()
    check_message_into(body, errors, ())
    errors.raise_if_any()
    if creating and is_empty(body, files):
        raise DiscordError(400, "Cannot send an empty message", 50006)


def check_message_into(body: dict[str, Any], errors: FormErrors, path: Path) -> None:
    content = body.get("content")
    if content is not None:
        if not isinstance(content, str):
            errors.add((*path, "content"), "BASE_TYPE_STRING", "Must be a string.")
        elif len(content) > CONTENT_MAX:
            errors.too_long((*path, "content"), CONTENT_MAX)
    embeds = body.get("embeds")
    if embeds:
        _check_embeds(embeds, errors, (*path, "embeds"))
    if body.get("components"):
        v2 = bool((body.get("flags") or 0) & COMPONENTS_V2)
        check_components(body["components"], errors, (*path, "components"), v2=v2)
    if body.get("allowed_mentions") is not None:
        _check_allowed_mentions(body["allowed_mentions"], errors, (*path, "allowed_mentions"))


def is_empty(body: dict[str, Any], files: int = 0) -> bool:
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("sticker_ids")
        or body.get("poll")
        or body.get("attachments")
        or files
    )


def embed_text_length(embed: dict[str, Any]) -> int:
    """The characters Discord counts toward the 6000 limit."""
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    total += len((embed.get("footer") or {}).get("text") or "")
    total += len((embed.get("author") or {}).get("name") or "")
    for fld in embed.get("fields") or []:
        total += len(fld.get("name") or "") + len(fld.get("value") or "")
    return total


def _check_embeds(embeds: Any, errors: FormErrors, path: Path) -> None:
    if not isinstance(embeds, list):
        errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.")
        return
    if len(embeds) > EMBEDS_MAX:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {EMBEDS_MAX} or fewer in length.")
    for index, embed in enumerate(embeds):
        _check_embed(embed, errors, (*path, index))
    if sum(embed_text_length(e) for e in embeds if isinstance(e, dict)) > EMBED_TOTAL_MAX:
        errors.add(
            path,
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )


def _check_embed(embed: Any, errors: FormErrors, path: Path) -> None:
    if not isinstance(embed, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    for key, limit in EMBED_LIMITS.items():
        if len(embed.get(key) or "") > limit:
            errors.too_long((*path, key), limit)
    if len((embed.get("footer") or {}).get("text") or "") > FOOTER_MAX:
        errors.too_long((*path, "footer", "text"), FOOTER_MAX)
    if len((embed.get("author") or {}).get("name") or "") > AUTHOR_NAME_MAX:
        errors.too_long((*path, "author", "name"), AUTHOR_NAME_MAX)
    fields = embed.get("fields") or []
    if len(fields) > FIELDS_MAX:
        errors.too_long((*path, "fields"), FIELDS_MAX)
    for index, fld in enumerate(fields):
        for key, limit in (("name", FIELD_NAME_MAX), ("value", FIELD_VALUE_MAX)):
            value = fld.get(key)
            if not value:
                errors.add(
                    (*path, "fields", index, key), "BASE_TYPE_REQUIRED", "This field is required"
                )
            elif len(value) > limit:
                errors.too_long((*path, "fields", index, key), limit)
    _check_url(embed.get("url"), errors, (*path, "url"), attachments=False)
    for part in ("image", "thumbnail"):
        _check_url((embed.get(part) or {}).get("url"), errors, (*path, part, "url"))
    _check_url((embed.get("author") or {}).get("url"), errors, (*path, "author", "url"))


def _check_url(url: Any, errors: FormErrors, path: Path, *, attachments: bool = True) -> None:
    if url is None:
        return
    allowed = ("http", "https", "attachment") if attachments else ("http", "https")
    scheme = str(url).partition(":")[0] if ":" in str(url) else ""
    if scheme not in allowed:
        errors.add(
            path,
            "URL_TYPE_INVALID_SCHEME",
            f'Scheme "{scheme}" is not supported. Scheme must be one of {allowed}.',
        )


def _check_allowed_mentions(value: Any, errors: FormErrors, path: Path) -> None:
    if not isinstance(value, dict):
        errors.add(path, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        return
    parse = value.get("parse") or []
    for index, kind in enumerate(parse):
        if kind not in MENTION_TYPES:
            errors.add(
                (*path, "parse", index),
                "BASE_TYPE_CHOICES",
                f"Value must be one of {sorted(MENTION_TYPES)}.",
            )
    for kind in ("users", "roles"):
        ids = value.get(kind) or []
        if len(ids) > MENTION_IDS_MAX:
            errors.too_long((*path, kind), MENTION_IDS_MAX)
        if ids and kind in parse:
            errors.add(
                path,
                "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                f'parse:["{kind}"] and {kind}: [ids...] are mutually exclusive.',
            )


def check_thread_name(name: Any, errors: FormErrors, path: Path = ("name",)) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")


def check_autocomplete(data: Any) -> None:
    """A type-8 callback's data: up to 25 choices, names 1-100, string values up to 100."""
    errors = FormErrors()
    choices = (data or {}).get("choices")
    if not isinstance(choices, list):
        errors.add(("data", "choices"), "BASE_TYPE_REQUIRED", "This field is required")
    else:
        if len(choices) > 25:
            errors.too_long(("data", "choices"), 25)
        for index, choice in enumerate(choices):
            name = choice.get("name")
            if not isinstance(name, str) or not 1 <= len(name) <= 100:
                errors.add(
                    ("data", "choices", index, "name"),
                    "BASE_TYPE_BAD_LENGTH",
                    "Must be between 1 and 100 in length.",
                )
            value = choice.get("value")
            if isinstance(value, str) and len(value) > 100:
                errors.too_long(("data", "choices", index, "value"), 100)
    errors.raise_if_any()


def check_modal(data: Any) -> None:
    """A type-9 callback's data: custom_id, a title up to 45 and 1-5 components."""
    errors = FormErrors()
    data = data or {}
    custom_id = data.get("custom_id")
    if not isinstance(custom_id, str) or not 1 <= len(custom_id) <= 100:
        errors.add(
            ("data", "custom_id"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."
        )
    title = data.get("title")
    if not isinstance(title, str) or not 1 <= len(title) <= 45:
        errors.add(
            ("data", "title"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length."
        )
    check_modal_components(data.get("components"), errors, ("data", "components"))
    errors.raise_if_any()
