"""The bridge's command side: permission checks, dispatch, and failures turned into replies.

Adapters translate a platform event into a `Command`, await `Bridge.handle`, and send the
`Reply` back natively. Nothing here knows which platform it serves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from bot.commands import ALL_COMMANDS, CommandSpec, Context, Permission, UsageError
from bot.commands.explain import explain
from bot.events import Command, Reply, Role
from bot.media.staging import MediaError, MediaStoreError
from bot.threads.errors import ThreadsError

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong on the bridge's side; it has been logged."


@dataclass(frozen=True, slots=True)
class RefusalWording:
    """How a platform words the permission refusals (its adapter supplies its own with
    `Bridge.word_refusals`): who may change what a chat watches, and what else than a user id
    an operator may list as a publisher."""

    admins_only: str = "Only chat admins can change what this chat watches."
    publisher_also: str = ""  # appended after "<platform>.publishers"


class Bridge:
    def __init__(self, ctx: Context, commands: Iterable[CommandSpec] = ALL_COMMANDS) -> None:
        self.ctx = ctx
        self._wording: dict[str, RefusalWording] = {}
        self.commands = {spec.name: spec for spec in commands}

    def spec(self, name: str) -> CommandSpec | None:
        return self.commands.get(name.lower())

    def watched_usernames(self, platform: str, chat_ids: Iterable[str]) -> list[str]:
        """Usernames watched in any of these chats (for autocomplete), sorted."""
        wanted = set(chat_ids)
        names = {
            self.ctx.me.username if s.source.key == "me" and self.ctx.me else s.source.key
            for s in self.ctx.store.subscriptions.on_platform(platform)
            if s.destination.chat_id in wanted
        }
        return sorted(names)

    def needs_role(self, name: str) -> bool:
        """Whether the adapter must find out the sender's role before dispatching `name`."""
        spec = self.spec(name)
        return spec is not None and spec.permission is Permission.CHAT_ADMIN

    async def handle(self, command: Command) -> Reply:
        spec = self.spec(command.name)
        if spec is None:
            return Reply(f"Unknown command /{command.name}. Send /help for the list.", ok=False)
        refusal = self.refused(command)
        if refusal is not None:
            return refusal
        try:
            return await spec.handler(self.ctx, command)
        except UsageError:
            return Reply(
                f"Usage: {spec.usage_line()}\n{spec.summary[0].upper()}{spec.summary[1:]}.",
                ok=False,
            )
        except ThreadsError as exc:
            log.warning("/%s failed: %s", spec.name, exc)
            return Reply(explain(exc), ok=False)
        except MediaStoreError as exc:
            log.warning("/%s: staging media failed: %s", spec.name, exc.reason)
            return Reply(
                f"The bridge could not prepare the media for Threads ({exc.reason}). Its "
                "operator can run `threads-bridge check`.",
                ok=False,
            )
        except MediaError as exc:
            return Reply(exc.reason, ok=False)
        except Exception:
            log.exception("/%s crashed", spec.name)
            return Reply(UNEXPECTED, ok=False)

    def word_refusals(self, platform: str, wording: RefusalWording) -> None:
        """The platform's own wording of the refusals; others get the plain default."""
        self._wording[platform] = wording

    def refused(self, command: Command) -> Reply | None:
        """`refusal`, and a refused attempt to publish written to the audit table (an adapter
        that answers a publisher-only button itself calls this, not `refusal`)."""
        refusal = self.refusal(command)
        spec = self.spec(command.name)
        if refusal is not None and spec is not None and spec.permission is Permission.PUBLISHER:
            self.ctx.store.audit.record(
                command.chat, command.user, spec.name, command.args, "refused", refusal.text
            )
        return refusal

    def refusal(self, command: Command) -> Reply | None:
        """The refusal `handle` would answer, if the sender may not run the command. Quick
        and without I/O: adapters with a response deadline use it to answer at once."""
        spec = self.spec(command.name)
        if spec is None:
            return None
        platform = command.chat.platform
        wording = self._wording.get(platform, RefusalWording())
        if spec.permission is Permission.CHAT_ADMIN and command.role is Role.MEMBER:
            return Reply(wording.admins_only, ok=False, private=True)
        if spec.permission is Permission.PUBLISHER and not self.ctx.is_publisher(command):
            return Reply(
                "Only configured publishers can publish to Threads. Ask the bridge's operator "
                f"to add your user id ({command.user.id}) to {platform}.publishers"
                f"{wording.publisher_also}.",
                ok=False,
                private=True,
            )
        return None
