"""Who a message would notify: mentions found in its content, filtered through
allowed_mentions the way Discord applies it (absent means "parse everything")."""

from __future__ import annotations

import re
from typing import Any

from .records import Pings

USER_MENTION = re.compile(r"<@!?(\d{15,21})>")
ROLE_MENTION = re.compile(r"<@&(\d{15,21})>")
EVERYONE = re.compile(r"@(everyone|here)\b")


def pings(content: str | None, allowed: dict[str, Any] | None, *, is_reply: bool) -> Pings:
    """Permissions (MENTION_EVERYONE, mentionable roles) are not applied: this is what the
    message asks Discord to notify, which is what a bridge must keep in check."""
    text = content or ""
    if allowed is None:
        parse = {"everyone", "users", "roles"}
        user_ids: set[int] = set()
        role_ids: set[int] = set()
        replied = True
    else:
        parse = set(allowed.get("parse") or [])
        user_ids = {int(u) for u in allowed.get("users") or []}
        role_ids = {int(r) for r in allowed.get("roles") or []}
        replied = bool(allowed.get("replied_user", False))
    users = {int(u) for u in USER_MENTION.findall(text)}
    roles = {int(r) for r in ROLE_MENTION.findall(text)}
    return Pings(
        everyone="everyone" in parse and bool(EVERYONE.search(text)),
        users=frozenset(users if "users" in parse else users & user_ids),
        roles=frozenset(roles if "roles" in parse else roles & role_ids),
        replied_user=is_reply and replied,
    )
