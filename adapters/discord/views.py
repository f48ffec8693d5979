"""The buttons under a delivered post: "Open on Threads", "Reply on Threads" and "Quote on
Threads" (links) and "Reply" (a modal whose text is published as a Threads reply, for
publishers); the confirmation button under an answer (/delete's "Delete"); and the buttons
under a notice (a review's Approve / Reject)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, runtime_checkable

import discord

from bot.confirm import ACTION_ID
from bot.events import Button, Confirm
from bot.links import intent_links

ReplySubmit = Callable[[discord.Interaction, str, str], Awaitable[None]]


@runtime_checkable
class ReplyHandler(Protocol):
    """The client that dispatched the click knows what Reply does (the adapter's client)."""

    async def on_reply_click(self, interaction: discord.Interaction, post_id: str) -> None: ...


class ReplyButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"threads:reply:(?P<post_id>\d+)"
):
    """A persistent button: its custom_id carries the post id, so it works after restarts."""

    def __init__(self, post_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Reply",
                style=discord.ButtonStyle.secondary,
                custom_id=f"threads:reply:{post_id}",
            )
        )
        self.post_id = post_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReplyButton:
        return cls(match["post_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        if isinstance(client, ReplyHandler):
            await client.on_reply_click(interaction, self.post_id)


class ReplyModal(discord.ui.Modal, title="Reply on Threads"):
    text: discord.ui.TextInput[ReplyModal] = discord.ui.TextInput(
        label="Your reply", style=discord.TextStyle.paragraph, max_length=4000, custom_id="text"
    )

    def __init__(self, post_id: str, on_submit: ReplySubmit) -> None:
        super().__init__(custom_id=f"threads:reply-modal:{post_id}", timeout=None)
        self._post_id = post_id
        self._on_submit = on_submit

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._on_submit(interaction, self._post_id, self.text.value)


def post_buttons(
    post_id: str,
    permalink: str | None,
    *,
    with_reply: bool,
    actions: Sequence[Button] = (),
) -> discord.ui.View:
    """Open on Threads; Reply / Quote on Threads (Web Intents: anyone, as themselves); and,
    for the bridge's publishers, the bridge's own Reply, then its `actions` (a reply's Hide or
    Unhide) in the next row."""
    view = discord.ui.View(timeout=None)
    if permalink:
        view.add_item(discord.ui.Button(label="Open on Threads", url=permalink))
    for label, url in intent_links(permalink):
        view.add_item(discord.ui.Button(label=label, url=url))
    if with_reply:
        view.add_item(ReplyButton(post_id))
    for button in actions:
        item = NoticeButton(button.command, button.args, button.label, danger=button.danger)
        item.row = 1
        view.add_item(item)
    return view


@runtime_checkable
class ConfirmHandler(Protocol):
    """The client that dispatched the click knows what a confirmation does (the adapter's)."""

    async def on_confirm_click(self, interaction: discord.Interaction, action_id: str) -> None: ...


class ConfirmButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"threads:confirm:(?P<action_id>{ACTION_ID.pattern})",
):
    """A persistent button whose custom_id carries the bridge's action id: the pending action
    is in the database, so a click after a restart still reaches it."""

    def __init__(self, action_id: str, label: str = "Confirm") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.danger,
                custom_id=f"threads:confirm:{action_id}",
            )
        )
        self.action_id = action_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmButton:
        return cls(match["action_id"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        if isinstance(client, ConfirmHandler):
            await client.on_confirm_click(interaction, self.action_id)


def confirm_view(confirm: Confirm | None) -> discord.ui.View | None:
    """The answer's confirmation button, if it carries one."""
    if confirm is None or not confirm.action_id:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(ConfirmButton(confirm.action_id, confirm.label))
    return view


@runtime_checkable
class ButtonHandler(Protocol):
    """The client that dispatched the click runs the button's command (the adapter's)."""

    async def on_button_click(
        self, interaction: discord.Interaction, command: str, args: str
    ) -> None: ...


class NoticeButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"threads:button:(?P<command>[a-z]{1,20}):(?P<args>[A-Za-z0-9_-]{1,40})",
):
    """A persistent button under a notice: its custom_id carries the bridge command and args a
    click runs (for the clicker, through the permission check), so it works after restarts."""

    def __init__(self, command: str, args: str, label: str = "", *, danger: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or command,
                style=discord.ButtonStyle.danger if danger else discord.ButtonStyle.primary,
                custom_id=f"threads:button:{command}:{args}",
            )
        )
        self.command, self.args = command, args

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> NoticeButton:
        return cls(match["command"], match["args"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client = interaction.client
        if isinstance(client, ButtonHandler):
            await client.on_button_click(interaction, self.command, self.args)


def notice_view(buttons: Sequence[Button]) -> discord.ui.View | None:
    """A notice's buttons, if it has any."""
    if not buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in buttons:
        view.add_item(
            NoticeButton(button.command, button.args, button.label, danger=button.danger)
        )
    return view
