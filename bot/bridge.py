"""The bridge's command side: permission checks, dispatch, and failures turned into replies.

Adapters translate a platform event into a `Command`, await `Bridge.handle`, and send the
`Reply` back natively. Nothing here knows which platform it serves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bot.commands import ALL_COMMANDS, CommandSpec, Context, Permission, UsageError
from bot.commands.explain import explain
from bot.commands.moderation import BUTTON_COMMANDS as MODERATION_BUTTONS
from bot.commands.post_options import OPTIONS_HELP, OptionError
from bot.commands.review import BUTTON_COMMANDS
from bot.commands.settings import BUTTON_COMMANDS as SETTINGS_BUTTONS
from bot.confirm import (
    CONFIRM,
    LIFETIME,
    ONLY_THE_ASKER,
    confirmed_command,
    expired,
    is_live,
    new_action_id,
)
from bot.events import Command, Confirm, Destination, Reply, Role, SourceKind
from bot.media.staging import MediaError, MediaStoreError
from bot.threads.errors import ThreadsError

log = logging.getLogger(__name__)

REVIEWERS_ONLY = "Only configured publishers can approve or reject posts waiting for review."
UNEXPECTED = "Something went wrong on the bridge's side; it has been logged."


@dataclass(frozen=True, slots=True)
class RefusalWording:
    """How a platform words the permission refusals (its adapter supplies its own with
    `Bridge.word_refusals`): who may change what a chat watches, and what else than a user id
    an operator may list as a publisher."""

    admins_only: str = "Only chat admins can change what this chat watches."
    publisher_also: str = ""  # appended after "<platform>.publishers"


class Bridge:
    def __init__(
        self,
        ctx: Context,
        commands: Iterable[CommandSpec] = ALL_COMMANDS,
        buttons: Iterable[CommandSpec] = (
            *BUTTON_COMMANDS,
            *MODERATION_BUTTONS,
            *SETTINGS_BUTTONS,
        ),
    ) -> None:
        """`commands` are what people type (adapters offer these); `buttons` are what a click
        on a notice's `Button` becomes (a review's Approve / Reject): run like a command, with
        its permission checked for the clicker, but offered to nobody as one."""
        self.ctx = ctx
        self._wording: dict[str, RefusalWording] = {}
        self.commands = {spec.name: spec for spec in commands}
        self.buttons = {spec.name: spec for spec in buttons}

    def spec(self, name: str) -> CommandSpec | None:
        name = name.lower()
        return self.commands.get(name) or self.buttons.get(name)

    def watched_usernames(self, platform: str, chat_ids: Iterable[str]) -> list[str]:
        """Usernames watched in any of these chats (for autocomplete), sorted."""
        wanted = set(chat_ids)
        names = {
            self.ctx.me.username if s.source.key == "me" and self.ctx.me else s.source.key
            for s in self.ctx.store.subscriptions.on_platform(platform)
            if s.destination.chat_id in wanted
            and s.source.kind is not SourceKind.SEARCH  # a search is no username
        }
        return sorted(names)

    def needs_role(self, name: str) -> bool:
        """Whether the adapter must find out the sender's role before dispatching `name`."""
        spec = self.spec(name)
        return spec is not None and spec.permission is Permission.CHAT_ADMIN

    async def handle(self, command: Command) -> Reply:
        if command.name == CONFIRM:
            return await self._confirmed(command)
        spec = self.spec(command.name)
        if spec is None:
            return Reply(f"Unknown command /{command.name}. Send /help for the list.", ok=False)
        refusal = self.refused(command)
        if refusal is not None:
            return refusal
        reply = await self._run(spec, command)
        if reply.confirm is not None and not command.confirmed:
            reply = self._ask(command, reply, reply.confirm)
        return reply

    async def _run(self, spec: CommandSpec, command: Command) -> Reply:
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
        except OptionError as exc:
            return Reply(f"{exc}\n{OPTIONS_HELP}", ok=False)
        except Exception:
            log.exception("/%s crashed", spec.name)
            return Reply(UNEXPECTED, ok=False)

    def _ask(self, command: Command, reply: Reply, confirm: Confirm) -> Reply:
        """Store what the answer's button confirms; the button carries the new action id."""
        action_id = new_action_id()
        self.ctx.store.confirmations.ask(
            action_id,
            command.chat,
            command.user,
            command.name,
            confirm.args,
            now=self.ctx.clock.time(),
        )
        return replace(reply, confirm=replace(confirm, action_id=action_id))

    async def _confirmed(self, click: Command) -> Reply:
        """A click on a confirmation button: the pending command, run for the clicker once."""
        refusal = self.refused(click)
        if refusal is not None:
            return refusal
        confirmations = self.ctx.store.confirmations
        pending = confirmations.get(click.args)
        spec = self.spec(pending.command) if pending is not None else None
        if pending is None or spec is None:
            return expired(None)  # not refused above: only if it vanished meanwhile
        now = self.ctx.clock.time()
        if not confirmations.claim(pending.id, now=now, asked_after=now - LIFETIME):
            return expired(spec.name)  # another click was first
        return await self._run(spec, confirmed_command(pending, click))

    def word_refusals(self, platform: str, wording: RefusalWording) -> None:
        """The platform's own wording of the refusals; others get the plain default."""
        self._wording[platform] = wording

    def refused(self, command: Command) -> Reply | None:
        """`refusal`, and a refused attempt to publish written to the audit table (an adapter
        that answers a publisher-only button itself calls this, not `refusal`). A refused
        confirmation click is audited as the command it would have confirmed."""
        refusal = self.refusal(command)
        if refusal is None:
            return None
        name, args = command.name, command.args
        if name == CONFIRM:
            pending = self.ctx.store.confirmations.get(command.args)
            name, args = (pending.command, pending.args) if pending else ("", "")
        spec = self.spec(name) if name else None
        if spec is not None and spec.permission in _PUBLISHING:
            self.ctx.store.audit.record(
                command.chat, command.user, spec.name, args, "refused", refusal.text
            )
        return refusal

    def refusal(self, command: Command) -> Reply | None:
        """The refusal `handle` would answer, if the sender may not run the command. Quick
        and without I/O: adapters with a response deadline use it to answer at once."""
        if command.name == CONFIRM:
            return self._click_refusal(command)
        spec = self.spec(command.name)
        if spec is None:
            return None
        platform = command.chat.platform
        wording = self._wording.get(platform, RefusalWording())
        if spec.permission is Permission.CHAT_ADMIN and command.role is Role.MEMBER:
            return Reply(wording.admins_only, ok=False, private=True)
        if spec.name in self.buttons and spec.permission is Permission.PUBLISHER:
            if not self.ctx.is_publisher(command):
                return Reply(
                    spec.refusal or REVIEWERS_ONLY,
                    ok=False,
                    private=True,
                )
            return None
        if not self._may_publish(spec, command):
            return Reply(
                "Only configured publishers can publish to Threads. Ask the bridge's operator "
                f"to add your user id ({command.user.id}) to {platform}.publishers"
                f"{wording.publisher_also}.",
                ok=False,
                private=True,
            )
        return None

    def _may_publish(self, spec: CommandSpec, command: Command) -> bool:
        """Publishers may run publishing commands; contributors those that let them propose
        (PUBLISHER_OR_CONTRIBUTOR: their post waits for review); other commands: anyone."""
        if spec.permission is Permission.PUBLISHER:
            return self.ctx.is_publisher(command)
        if spec.permission is Permission.PUBLISHER_OR_CONTRIBUTOR:
            return self.ctx.is_publisher(command) or self.ctx.is_contributor(command)
        return True

    def _click_refusal(self, click: Command) -> Reply | None:
        """Why a click on a confirmation button does nothing: spent, expired or unknown, not
        the asker's (only the person who asked can confirm), or the asker may no longer run
        the command."""
        pending = self.ctx.store.confirmations.get(click.args)
        spec = self.spec(pending.command) if pending is not None else None
        if pending is None or spec is None or not _same_chat(pending.chat, click.chat):
            return expired(None)  # unknown, or asked in another chat: nothing to tell
        if not is_live(pending, self.ctx.clock.time()):
            return expired(spec.name)
        if pending.user_id != click.user.id:
            return Reply(ONLY_THE_ASKER, ok=False, private=True)
        return self.refusal(confirmed_command(pending, click))


_PUBLISHING = (Permission.PUBLISHER, Permission.PUBLISHER_OR_CONTRIBUTOR)


def _same_chat(asked: Destination, clicked: Destination) -> bool:
    # A forum topic is not compared: the button sits on the answer, in the topic asked in.
    return (asked.platform, asked.chat_id) == (clicked.platform, clicked.chat_id)
