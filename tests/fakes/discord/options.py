"""The `data.options` tree of a slash command or autocomplete interaction, typed from the
synced command definition, with `resolved` users, members, roles, channels and attachments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import payloads
from .cdn import Upload
from .state import DiscordState

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 4, 5, 6, 7, 8, 9, 10
ATTACHMENT = 11
Attach = Callable[[Upload], dict[str, Any]]  # stores an upload, returns its attachment object


def command_options(
    state: DiscordState,
    synced: dict[str, Any],
    path: list[str],
    values: dict[str, Any],
    guild_id: int | None,
    focused: str | None,
    attach: Attach | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(options, resolved) for invoking `synced` through the subcommand `path`. Raises
    ValueError for what Discord's client would never send (unknown or missing options,
    a value outside the declared choices). An attachment option's value is an Upload,
    which `attach` stores: the option carries the attachment's id, `resolved` the object."""
    definitions: list[dict[str, Any]] = synced.get("options") or []
    chain: list[tuple[str, int]] = []
    for name in path:
        found = _by_name(definitions, name)
        if found is None or found.get("type") not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            raise ValueError(f"/{synced['name']} has no subcommand (group) {name!r}")
        chain.append((name, found["type"]))
        definitions = found.get("options") or []
    if any(d.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for d in definitions):
        raise ValueError(f"/{synced['name']} {' '.join(path)} needs a subcommand")
    resolved: dict[str, dict[str, Any]] = {}
    leaf = [
        _option(state, definitions, name, value, guild_id, resolved, focused == name, attach)
        for name, value in values.items()
    ]
    if focused is None:
        missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in values]
        if missing:
            raise ValueError(f"required options missing: {missing}")
    elif focused not in values:
        raise ValueError(f"the focused option {focused!r} needs a value")
    options = leaf
    for name, kind in reversed(chain):
        options = [{"name": name, "type": kind, "options": options}]
    return options, resolved


def _option(
    state: DiscordState,
    definitions: list[dict[str, Any]],
    name: str,
    value: Any,
    guild_id: int | None,
    resolved: dict[str, dict[str, Any]],
    focused: bool,
    attach: Attach | None,
) -> dict[str, Any]:
    definition = _by_name(definitions, name)
    if definition is None:
        raise ValueError(f"no option {name!r}; declared: {[d['name'] for d in definitions]}")
    kind = definition["type"]
    option: dict[str, Any] = {"name": name, "type": kind}
    if focused:
        # While typing, Discord sends the partial input as text.
        option |= {"value": str(value), "focused": True}
        return option
    if kind == ATTACHMENT:
        if not isinstance(value, Upload) or attach is None:
            raise ValueError(f"the attachment option {name!r} takes an Upload")
        attachment = attach(value)
        resolved.setdefault("attachments", {})[attachment["id"]] = attachment
        option["value"] = attachment["id"]
        return option
    option["value"] = _typed(kind, value)
    choices = definition.get("choices")
    if choices and option["value"] not in [c["value"] for c in choices]:
        raise ValueError(f"{value!r} is not one of the choices of {name!r}")
    if kind in (USER, MENTIONABLE) and int(value) in state.users:
        _resolve_user(state, int(value), guild_id, resolved)
    elif kind in (ROLE, MENTIONABLE) and int(value) in state.roles:
        resolved.setdefault("roles", {})[str(value)] = payloads.role(state.roles[int(value)])
    elif kind == CHANNEL:
        channel = state.channel(int(value))
        data = state.channel_payload(channel) | {
            "permissions": str(_channel_permissions(state, guild_id))
        }
        resolved.setdefault("channels", {})[str(value)] = data
    return option


def _typed(kind: int, value: Any) -> Any:
    if kind == INTEGER:
        return int(value)
    if kind == NUMBER:
        return float(value)
    if kind == BOOLEAN:
        return bool(value)
    return str(value)  # strings, and snowflakes as strings


def _resolve_user(
    state: DiscordState, user_id: int, guild_id: int | None, resolved: dict[str, dict[str, Any]]
) -> None:
    resolved.setdefault("users", {})[str(user_id)] = payloads.user(state.users[user_id])
    if guild_id is not None and (guild_id, user_id) in state.members:
        member = state.member_payload(guild_id, user_id, with_permissions=True)
        member.pop("user")
        resolved.setdefault("members", {})[str(user_id)] = member


def _channel_permissions(state: DiscordState, guild_id: int | None) -> int:
    return state.permissions(guild_id, state.bot.id) if guild_id is not None else 0


def _by_name(definitions: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((d for d in definitions if d.get("name") == name), None)
