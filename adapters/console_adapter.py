"""A chat in the terminal, for demo mode: deliveries are printed as a person would read them,
and commands typed at the prompt go through the same bridge as chat commands.

The terminal is one private chat whose user ("you") owns it and may publish. Each delivery gets
a number; `/reply #N TEXT` answers delivery N on Threads, like replying to a bridged message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import stat
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from bot.bridge import Bridge
from bot.confirm import CONFIRM
from bot.events import Button, ChatUser, Command, Destination, FeedItem, Image, Platform, Role
from bot.outbound import RateLimits
from bot.render import ghost_line, media_label, poll_lines, topic_line, view_of, with_marks
from bot.tasks import spawn

log = logging.getLogger(__name__)

TERMINAL = Destination(Platform.CONSOLE, "terminal")
YOU = ChatUser("you", "you")
RULE = "─" * 64
ECHO_MARK = "> "  # in front of a command echoed from a file or pipe
# /help is the same everywhere; how to point at a delivered post is this chat's own.
REPLY_HINT = (
    "In this terminal every delivery has a number: /reply #N TEXT answers delivery N on "
    "Threads (e.g. /reply #1 Nice!)."
)


class ConsoleAdapter:
    platform = Platform.CONSOLE.value
    limits = RateLimits(per_second=50.0, chat_interval=0.0, group_interval=0.0)

    def __init__(
        self, bridge: Bridge, *, out: TextIO | None = None, read_commands: bool = True
    ) -> None:
        self._bridge = bridge
        self._out = out or sys.stdout
        self._read_commands = read_commands
        self._reader: asyncio.Task[None] | None = None
        self._printed = 0
        # Delivery numbers restart with each launch while a kept `--db` remembers the last
        # launch's: the stored message ids carry the launch, so `#1` is never an older post.
        self._launch = f"{time.time_ns():x}:"
        self._running = False

    @property
    def connected(self) -> bool:
        return self._running

    async def start(self) -> None:
        self._running = True
        if self._read_commands:
            self._reader = spawn(self._read_stdin(), name="console commands")

    async def stop(self) -> None:
        self._running = False
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader

    # -- delivery ----------------------------------------------------------------------------

    def render(self, item: FeedItem, destination: Destination) -> Sequence[str]:
        return [render_text(item)]

    def is_group(self, destination: Destination) -> bool:
        return False

    async def send(self, destination: Destination, part: str) -> list[str]:
        self._printed += 1
        self._write(f"{RULE}\n#{self._printed}  {part}\n")
        return [f"{self._launch}{self._printed}"]

    async def notify(
        self,
        destination: Destination,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        image: Image | None = None,
    ) -> None:
        # A terminal has no buttons: what typing does instead (the bridge runs a button's
        # command typed like any other); nor pictures: what one shows.
        typed = "".join(f"\n[{b.label}: /{b.command} {b.args}]" for b in buttons)
        pictured = f"\n[{image.filename}] {image.description}" if image else ""
        self._write(f"{RULE}\n{text}{typed}{pictured}\n")

    # -- commands ------------------------------------------------------------------------------

    async def handle_line(self, line: str, *, echo: bool = False) -> None:
        """Run one typed line (a command) and print the answer; `echo` prints the line first,
        for input the terminal did not show (a file or a pipe)."""
        if echo and line.strip():
            self._write(f"{ECHO_MARK}{line.strip()}\n")
        command = parse_line(line, launch=self._launch)
        if command is None:
            if line.strip():
                self._write("Commands start with /. Type /help for the list.\n")
            return
        reply = await self._bridge.handle(command)
        text = reply.text
        if command.name in ("help", "start") and reply.ok:
            text = f"{text}\n\n{REPLY_HINT}"
        if reply.confirm is not None and reply.confirm.action_id:
            # A terminal has no buttons: the click is typed (it is the confirm command).
            text += f"\n[{reply.confirm.label}] type /{CONFIRM} {reply.confirm.action_id}"
        if reply.image is not None:  # a terminal shows no picture: what it shows, in words
            text += f"\n[{reply.image.filename}] {reply.image.description}"
        if reply.preview is not None:
            # Rendered as a delivery, but unnumbered: no /reply #N points at a preview.
            text += f"\n{RULE}\n{render_text(reply.preview)}"
        self._write(f"{text}\n")

    async def _read_stdin(self) -> None:
        kind = _input_kind(sys.stdin)
        # A terminal shows what was typed; from a file or a pipe the command is echoed, so
        # each answer follows the command it answers.
        echo = not sys.stdin.isatty()
        if kind == "file":  # `demo < commands.txt`: reading a file never blocks
            lines = await asyncio.to_thread(sys.stdin.readlines)
            for line in lines:
                await self._run_typed(line, echo=echo)
            return
        if kind is None:
            log.info("no terminal input: commands cannot be typed, deliveries still print")
            return
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while raw := await reader.readline():
            await self._run_typed(raw.decode(errors="replace"), echo=echo)

    async def _run_typed(self, line: str, *, echo: bool) -> None:
        try:
            await self.handle_line(line, echo=echo)
        except Exception:
            log.exception("the command failed")

    def _write(self, text: str) -> None:
        self._out.write(text)
        self._out.flush()


def _input_kind(stream: TextIO | None) -> str | None:
    """ "watch" for a terminal, pipe or socket (the event loop can wait on it), "file" for a
    regular file, None for anything else: /dev/null under nohup or a service manager cannot
    be watched by the event loop, and other devices could block a reading thread forever."""
    try:
        fd = stream.fileno() if stream is not None else -1
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError):  # no stdin at all, or a closed one
        return None
    if os.isatty(fd) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "watch"
    return "file" if stat.S_ISREG(mode) else None


def parse_line(line: str, *, launch: str = "") -> Command | None:
    """A typed line as a command; `/reply #N` points at delivery N of this `launch`."""
    line = line.strip()
    if not line.startswith("/") or len(line) == 1:
        return None
    name, _, args = line[1:].partition(" ")
    reply_to = None
    if name.lower() == "reply" and args.startswith("#"):
        number, _, args = args[1:].partition(" ")
        reply_to = f"{launch}{number}" if number.isdigit() else None
    return Command(
        name=name.lower(),
        args=args.strip(),
        user=YOU,
        chat=TERMINAL,
        role=Role.OWNER,
        reply_to_message_id=reply_to,
    )


def render_text(item: FeedItem) -> str:
    """Author, what it relates to, the text, the media, the link: plain lines."""
    view = view_of(item)
    who = view.author_name
    if view.username and view.author_name != f"@{view.username}":
        who += f" (@{view.username})"
    lines = [who]
    if view.context:
        said = f" “{view.replied_text}”" if view.replied_text else ""
        link = f": {view.context_url}" if view.context_url else ""
        lines.append(f"  {view.context}{said}{link}")
    if view.quoted_text:
        lines.append(f"  > {view.quoted_text}")
    if view.topic_tag:
        lines.append(f"  {topic_line(view.topic_tag)}")
    if view.ghost_expires_at:
        lines.append(f"  {ghost_line(view.ghost_expires_at)}")
    if view.text:
        # A terminal cannot hide a spoiler: it is marked instead.
        lines.append(with_marks(view.text, view.spoilers, "[spoiler: ", "]"))
    if view.body:
        lines.append(view.body)
    if view.poll:
        lines.extend(poll_lines(view.poll))
    spoiler = "spoiler " if view.spoiler_media else ""
    lines.extend(f"[{spoiler}{media_label(m)}] {m.url}" for m in view.media if m.url)
    lines.extend(
        f"[{label}] {url}"
        for label, url in (("gif", view.gif_url), ("link", view.link_url))
        if url
    )
    if view.permalink:
        lines.append(view.permalink)
    return "\n".join(lines)
