"""/settings USERNAME [KEY: VALUE]: a watched profile's filters and template in this chat;
/why LINK: whether (and why) a filter kept that post out of this chat.

`/settings bob` shows them and the posts they kept out lately (with the reason);
`/settings bob exclude: spam, ads`, `/settings bob replies: off`, `/settings bob reset`
change them. A feed from the configuration file is shown, and changed only in that file.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.commands.base import CommandSpec, Context, Permission, UsageError
from bot.events import Button, Command, FeedSettings, Reply, SourceKind, Subscription
from bot.links import parse_post_link, parse_username
from bot.search import SearchRefused, parse_search
from bot.settings_words import KEYS, SWITCH_KEYS, SettingError, change, describe

_INBOX = {"replies": SourceKind.REPLIES, "mentions": SourceKind.MENTIONS}
USAGE = "USERNAME [KEY: VALUE | reset]"  # or a search watch: "WORDS" / #TAG


def _split_target(args: str) -> tuple[str, str]:
    """`bob exclude: x` -> ("bob", "exclude: x"); a search in quotes stays whole:
    `"some words" replies: off` -> ('"some words"', "replies: off")."""
    args = args.strip()
    if args[:1] in ('"', "“"):
        end = min((i for i in (args.find('"', 1), args.find("”", 1)) if i > 0), default=-1)
        if end > 0:
            return args[: end + 1], args[end + 1 :].strip()
    name, _, rest = args.partition(" ")
    return name, rest.strip()


def _subscription(ctx: Context, command: Command, name: str) -> Subscription | None:
    inbox = _INBOX.get(name.lower())
    username = parse_username(name)
    try:
        search = parse_search(name)
    except SearchRefused:
        search = None
    me = ctx.me.username.lower() if ctx.me is not None else None
    for sub in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id):
        if sub.destination != command.chat:
            continue
        kind, key = sub.source.kind, sub.source.key
        if search is not None:
            if kind is SourceKind.SEARCH and key == search.key:
                return sub
            continue
        if inbox is not None and kind is inbox:
            return sub
        if inbox is None and kind is SourceKind.PROFILE and key == username:
            return sub
        if inbox is None and kind is SourceKind.ME and username in ("me", me):
            return sub
    return None


def _show(ctx: Context, sub: Subscription, name: str) -> str:
    lines = [f"Settings for {sub.source.label} here:"]
    lines += [f"• {line}" for line in describe(sub.settings)]
    if sub.origin == "config":
        lines.append("(set in the bridge's configuration file: the operator changes them there)")
    kept_out = ctx.store.settings.filtered(sub.id)
    if kept_out:
        lines.append("Kept out lately:")
        for record in kept_out:
            when = datetime.fromtimestamp(record.at, UTC).strftime("%Y-%m-%d %H:%M UTC")
            item = ctx.store.feed.item(sub.source.id, record.post_id)
            what = (item.post.permalink if item else None) or f"post {record.post_id}"
            lines.append(f"• {when} {what}: {record.reason}")
    if sub.origin != "config":
        lines.append(
            f"Change one with /settings {name} KEY: VALUE ({', '.join(KEYS)}), "
            f"e.g. /settings {name} exclude: spam, ads; /settings {name} reset for none."
        )
    return "\n".join(lines)


async def settings(ctx: Context, command: Command) -> Reply:
    name, rest = _split_target(command.args)
    if not name:
        raise UsageError
    sub = _subscription(ctx, command, name)
    if sub is None:
        return Reply(f"This chat does not watch {name}; /list shows what it watches.", ok=False)
    if not rest:
        return Reply(_show(ctx, sub, name), buttons=_switches(sub.id, sub.settings, sub.origin))
    if sub.origin == "config":
        return Reply(
            f"{sub.source.label} is watched here because the bridge's configuration file says "
            "so; its settings are changed there ([[feeds]]).",
            ok=False,
        )
    if rest.lower() == "reset":
        new = FeedSettings()
    else:
        key, colon, value = rest.partition(":")
        if not colon:
            key, _, value = rest.partition(" ")
        try:
            new = change(sub.settings, key, value)
        except SettingError as exc:
            return Reply(f"Not changed: {exc}.", ok=False)
    ctx.store.settings.set(sub.id, new)
    lines = [f"Settings for {sub.source.label} here:", *(f"• {x}" for x in describe(new))]
    return Reply("\n".join(lines), buttons=_switches(sub.id, new, sub.origin))


TOGGLE = "settoggle"
_LABELS = {
    "replies": "Replies",
    "reposts": "Reposts",
    "quotes": "Quotes",
    "media_only": "Media only",
}


def _switches(sub_id: int, settings: FeedSettings, origin: str) -> tuple[Button, ...]:
    """One button per on/off setting under the answer: a click flips it (chat admins)."""
    if origin == "config":
        return ()
    return tuple(
        Button(
            f"{_LABELS[key]}: {'on' if getattr(settings, key) else 'off'}",
            TOGGLE,
            f"{sub_id}-{key}",
        )
        for key in SWITCH_KEYS
    )


async def toggle(ctx: Context, command: Command) -> Reply:
    """A click on one of /settings' switches: `ID-KEY` flips that setting of subscription ID,
    one of this chat's (a button from another chat changes nothing)."""
    sub_id, _, key = command.args.partition("-")
    sub = next(
        (
            s
            for s in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id)
            if str(s.id) == sub_id and s.destination == command.chat
        ),
        None,
    )
    if sub is None or key not in SWITCH_KEYS:
        return Reply("That setting is not this chat's any more; send /settings again.", ok=False)
    if sub.origin == "config":
        return Reply("This feed's settings are changed in the configuration file.", ok=False)
    on = not getattr(sub.settings, key)
    new = change(sub.settings, key, "on" if on else "off")
    ctx.store.settings.set(sub.id, new)
    return Reply(f"{_LABELS[key]} now {'on' if on else 'off'} for {sub.source.label} here.")


async def why(ctx: Context, command: Command) -> Reply:
    link = parse_post_link(command.args)
    if link is None:
        raise UsageError
    item = ctx.store.feed.post_by_shortcode(link.shortcode) if link.shortcode else None
    post_id = item.post.id if item is not None else link.media_id
    if post_id is None:
        return Reply("The bridge has not seen that post.", ok=False)
    subs = {
        sub.id: sub
        for sub in ctx.store.subscriptions.for_chat(command.chat.platform, command.chat.chat_id)
        if sub.destination == command.chat
    }
    kept_out = ctx.store.settings.why(post_id, list(subs))
    if not kept_out:
        return Reply("No filter of this chat kept that post out.")
    lines = [
        f"Kept out of {subs[record.subscription_id].source.label} here: {record.reason} "
        f"(/settings changes the filters)."
        for record in kept_out
    ]
    return Reply("\n".join(lines))


COMMANDS = (
    CommandSpec(
        "settings",
        USAGE,
        "a watched profile's filters (words, regex, replies/reposts/quotes, media only) and "
        "message template here, and what they kept out",
        Permission.CHAT_ADMIN,
        settings,
    ),
    CommandSpec(
        "why",
        "LINK",
        "why a post did not arrive here: the filter that kept it out",
        Permission.ANYONE,
        why,
    ),
)

# What a click on a switch becomes: run with its permission checked, offered as no command.
BUTTON_COMMANDS = (
    CommandSpec(TOGGLE, "ID-KEY", "flip a /settings switch", Permission.CHAT_ADMIN, toggle),
)
