"""Application command sync (bulk overwrite): Discord's naming and shape rules, and the
stored commands with the ids, application_id and version Discord adds."""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import FormErrors
from .state import DiscordState

NAME = re.compile(r"^[-_'\w]{1,32}$")
MENU_NAME = re.compile(r"^[-_'\w](?:[-_' \w]{0,30}[-_'\w])?$")
CHAT_INPUT = 1
SUBCOMMANDS = (1, 2)
COMMANDS_MAX = 100
OPTIONS_MAX = 25
Path = tuple[str | int, ...]


def sync_commands(state: DiscordState, scope: int | None, items: Any) -> list[dict[str, Any]]:
    """Replace the commands of `scope` (None: global) with `items`; 50035 when invalid."""
    errors = FormErrors()
    items = items or []
    if not isinstance(items, list):
        errors.add((), "BASE_TYPE_ARRAY", "Must be an array.")
        errors.raise_if_any()
    if sum(1 for c in items if c.get("type", CHAT_INPUT) == CHAT_INPUT) > COMMANDS_MAX:
        errors.too_long((), COMMANDS_MAX)
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(items):
        kind = command.get("type") or CHAT_INPUT
        _check_command(command, kind, errors, (index,))
        key = (str(command.get("name")), kind)
        if key in seen:
            errors.add(
                (index, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add(key)
    errors.raise_if_any()
    previous = {(c["name"], c["type"]): c["id"] for c in state.commands.get(scope, [])}
    synced = [_stored(state, scope, command, previous) for command in items]
    state.commands[scope] = synced
    return copy.deepcopy(synced)


def _stored(
    state: DiscordState, scope: int | None, command: dict[str, Any], previous: dict[Any, str]
) -> dict[str, Any]:
    kind = command.get("type") or CHAT_INPUT
    permissions = command.get("default_member_permissions")
    stored = copy.deepcopy(command) | {
        "type": kind,
        "id": previous.get((command["name"], kind)) or str(state.ids.next()),
        "application_id": str(state.application_id),
        "version": str(state.ids.next()),
        "default_member_permissions": None if permissions is None else str(permissions),
        "description": command.get("description") or "",
        "nsfw": bool(command.get("nsfw", False)),
        "contexts": command.get("contexts"),
        "integration_types": command.get("integration_types") or [0],
    }
    if scope is None:
        stored["dm_permission"] = command.get("dm_permission", True)
    else:
        stored["guild_id"] = str(scope)
        stored.pop("dm_permission", None)
    return stored


def _check_command(command: dict[str, Any], kind: int, errors: FormErrors, path: Path) -> None:
    name = command.get("name")
    # Slash command names are one lowercase word; a user or message command's name is what
    # the Apps menu shows, so it may have capitals and spaces ("Cross-post to Threads").
    pattern = NAME if kind == CHAT_INPUT else MENU_NAME
    if (
        not isinstance(name, str)
        or not pattern.match(name)
        or (kind == CHAT_INPUT and name != name.lower())
    ):
        errors.add((*path, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    if kind == CHAT_INPUT:
        _check_description(command.get("description"), errors, (*path, "description"))
        _check_options(command.get("options") or [], errors, (*path, "options"), depth=0)


def _check_options(options: list[Any], errors: FormErrors, path: Path, depth: int) -> None:
    if len(options) > OPTIONS_MAX:
        errors.too_long(path, OPTIONS_MAX)
    names: set[str] = set()
    optional_seen = False
    for index, option in enumerate(options):
        here = (*path, index)
        name = option.get("name")
        if not isinstance(name, str) or not NAME.match(name) or name != name.lower():
            errors.add(
                (*here, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"
            )
        if name in names:
            errors.add(
                (*here, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(str(name))
        _check_description(option.get("description"), errors, (*here, "description"))
        kind = option.get("type")
        if kind in SUBCOMMANDS:
            if depth >= (1 if kind == 2 else 2):
                errors.add(
                    (*here, "type"),
                    "APPLICATION_COMMAND_SUBCOMMAND_DEPTH",
                    "Subcommands nest too deep",
                )
            _check_options(option.get("options") or [], errors, (*here, "options"), depth + 1)
            continue
        if option.get("required"):
            if optional_seen:
                errors.add(
                    (*here, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            optional_seen = True
        if len(option.get("choices") or []) > OPTIONS_MAX:
            errors.too_long((*here, "choices"), OPTIONS_MAX)
        if option.get("choices") and option.get("autocomplete"):
            errors.add(
                (*here, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES",
                "Autocomplete cannot be set with choices",
            )


def _check_description(value: Any, errors: FormErrors, path: Path) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= 100:
        errors.add(path, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
