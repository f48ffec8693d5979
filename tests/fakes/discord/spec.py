"""Discord's published OpenAPI description (REST v10), vendored in tests/specs: which routes
exist, which body keys and query parameters each operation knows, which routes need a bot
token, and what a response must contain."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import Template, best_match

# tests/fakes/discord/spec.py -> tests/ is parents[2]; tests/specs/README.md says where the
# vendored copy comes from.
DEFAULT_SPEC_PATH = Path(__file__).resolve().parents[2] / "specs" / "discord-openapi.json"
SPEC_ENV = "DISCORD_OPENAPI_SPEC"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
BODY_MEDIA_TYPES = ("application/json", "multipart/form-data", "application/x-www-form-urlencoded")


def spec_path() -> Path:
    """Where the spec is read from: `$DISCORD_OPENAPI_SPEC`, else the copy in tests/specs."""
    override = os.environ.get(SPEC_ENV)
    return Path(override) if override else DEFAULT_SPEC_PATH


class DiscordSpec:
    """Lookups over the OpenAPI document."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.version: str = str(raw.get("info", {}).get("version", "?"))
        self._paths: dict[str, dict[str, Any]] = raw["paths"]
        components = raw.get("components", {})
        self._schemas: dict[str, Any] = components.get("schemas", {})
        self._responses: dict[str, Any] = components.get("responses", {})
        self._templates = [Template.parse(p) for p in self._paths]

    # --- routes --------------------------------------------------------------------------

    def operations(self) -> list[tuple[str, str]]:
        """Every (METHOD, path template) the spec lists."""
        return [
            (method.upper(), path)
            for path, item in self._paths.items()
            for method in item
            if method in HTTP_METHODS
        ]

    def has_route(self, method: str, template: str) -> bool:
        return method.lower() in self._paths.get(template, {})

    def match(self, path: str) -> str | None:
        """The spec's template for a concrete path (any method), or None."""
        found = best_match(self._templates, path)
        return found[0].text if found else None

    def _operation(self, method: str, template: str) -> dict[str, Any]:
        return dict(self._paths[template][method.lower()])

    def query_params(self, method: str, template: str) -> frozenset[str]:
        params = self._paths[template].get("parameters", []) + self._operation(
            method, template
        ).get("parameters", [])
        return frozenset(p["name"] for p in params if p.get("in") == "query")

    def bot_token_required(self, method: str, template: str) -> bool:
        """False when the operation's security allows anonymous calls (webhooks by token,
        interaction callbacks)."""
        security = self._operation(method, template).get("security")
        return security is not None and {} not in security

    # --- bodies --------------------------------------------------------------------------

    def body_keys(self, method: str, template: str) -> frozenset[str] | None:
        """The top-level keys a JSON body (or each item of a JSON array body) may have, or
        None when the operation takes no object body."""
        body = self._operation(method, template).get("requestBody")
        if not body:
            return None
        content = body.get("content", {})
        for media in BODY_MEDIA_TYPES:
            if media in content:
                schema = self._deref(content[media].get("schema", {}))
                if "array" in _types(schema):
                    schema = self._deref(schema.get("items", {}))
                keys = self._object_keys(schema)
                return frozenset(keys) if keys is not None else None
        return None

    def _object_keys(self, schema: dict[str, Any], depth: int = 0) -> set[str] | None:
        """Properties of an object schema; unions and allOf contribute every branch's keys."""
        schema = self._deref(schema)
        keys: set[str] | None = None
        if "properties" in schema:
            keys = set(schema["properties"])
        if depth < 8:
            for combinator in ("allOf", "oneOf", "anyOf"):
                for branch in schema.get(combinator, []):
                    more = self._object_keys(branch, depth + 1)
                    if more is not None:
                        keys = (keys or set()) | more
        return keys

    # --- responses -----------------------------------------------------------------------

    def missing_response_fields(
        self, method: str, template: str, status: int, body: Any
    ) -> list[str]:
        """Required fields of the documented response that `body` lacks ([] when it fits one
        of the alternatives, or when the spec documents no JSON body for `status`)."""
        responses = self._operation(method, template).get("responses", {})
        response = self._deref(responses.get(str(status), {}))
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        return self._missing(self._deref(schema), body)

    def missing_schema_fields(self, schema_name: str, body: Any) -> list[str]:
        """Required fields of components/schemas/<schema_name> that `body` lacks (for
        gateway payloads, which reuse the REST object shapes)."""
        return self._missing(self._schemas[schema_name], body)

    def _missing(self, schema: dict[str, Any], body: Any, depth: int = 0) -> list[str]:
        """Required fields absent from `body`, recursing into nested objects and arrays
        (for a union, the best-fitting branch)."""
        schema = self._deref(schema)
        if depth > 10:
            return []
        branches = schema.get("oneOf") or schema.get("anyOf")
        if branches:
            fitting = [b for b in branches if self._fits(b, body)]
            if not fitting:
                return []
            return min((self._missing(b, body, depth) for b in fitting), key=len)
        if isinstance(body, list):
            items: dict[str, Any] = schema.get("items") or {}
            for index, item in enumerate(body):
                missing = self._missing(items, item, depth + 1)
                if missing:
                    return [f"[{index}].{name}" for name in missing]
            return []
        if not isinstance(body, dict):
            return []
        required = set(schema.get("required", []))
        properties = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            part = self._deref(part)
            required |= set(part.get("required", []))
            properties |= part.get("properties", {})
        missing = sorted(required - set(body))
        for key, value in body.items():
            if key in properties and isinstance(value, dict | list):
                nested = self._missing(properties[key], value, depth + 1)
                missing += [f"{key}.{name}" for name in nested]
        return missing

    def _fits(self, schema: dict[str, Any], body: Any) -> bool:
        """Whether a union branch can describe `body` at all (object vs array vs scalar)."""
        resolved = self._deref(schema)
        kinds = _types(resolved)
        if isinstance(body, dict):
            structural = {"properties", "allOf", "oneOf", "anyOf", "additionalProperties"}
            return "object" in kinds or (not kinds and bool(structural & set(resolved)))
        if isinstance(body, list):
            return "array" in kinds
        return True

    def _deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in schema and seen < 16:
            ref: str = schema["$ref"]
            if ref.startswith("#/components/schemas/"):
                schema = self._schemas[ref.rsplit("/", 1)[1]]
            elif ref.startswith("#/components/responses/"):
                schema = self._responses[ref.rsplit("/", 1)[1]]
            else:
                raise ValueError(f"unsupported $ref {ref}")
            seen += 1
        return schema


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, list):
        return set(kind)
    return {kind} if isinstance(kind, str) else set()


@lru_cache(maxsize=4)
def _load(path: Path) -> DiscordSpec:
    with path.open(encoding="utf-8") as fh:
        return DiscordSpec(json.load(fh))


class SpecMissing(FileNotFoundError):
    """The spec file is not where it is looked for: a broken checkout or a wrong
    `$DISCORD_OPENAPI_SPEC`, never a reason to skip the checks."""


def load_spec(path: Path | None = None) -> DiscordSpec:
    """The parsed spec; raises SpecMissing when the file is not there."""
    path = path or spec_path()
    if not path.is_file():
        raise SpecMissing(
            f"spec not found at {path}: it is vendored in tests/specs "
            f"(or set $DISCORD_OPENAPI_SPEC)"
        )
    return _load(path.resolve())
