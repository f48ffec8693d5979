"""The chat commands: one module per family, each a tuple of CommandSpec."""

from __future__ import annotations

from bot.commands import (
    autopost,
    delete,
    info,
    insights,
    pause,
    publish,
    schedule,
    settings,
    watch,
)
from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.commands.help import make_help

_FAMILIES = (
    *watch.COMMANDS,
    *pause.COMMANDS,
    *settings.COMMANDS,
    *publish.COMMANDS,
    *schedule.COMMANDS,
    *delete.COMMANDS,
    *info.COMMANDS,
    *insights.COMMANDS,
    *autopost.COMMANDS,
)
ALL_COMMANDS: tuple[CommandSpec, ...] = (*make_help(_FAMILIES), *_FAMILIES)

__all__ = ["ALL_COMMANDS", "CommandSpec", "Context", "Permission", "UsageError"]
