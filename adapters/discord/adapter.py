"""The Discord adapter: a discord.py Client with the `/threads` commands, embeds out.

Every interaction is answered within Discord's 3 s: refusals at once (ephemeral), everything else
deferred first and answered with a followup. Every message goes out with mentions disabled.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.utils import escape_markdown

from adapters.discord.changes import (
    delete_by_webhook,
    delete_in_channel,
    edit_by_webhook,
    edit_in_channel,
)
from adapters.discord.commands import build_crosspost_menu, build_threads_group
from adapters.discord.crossposting import ChannelSource
from adapters.discord.destinations import user_id_of, webhook_id_of
from adapters.discord.errors import classify
from adapters.discord.render import DiscordMessage, render_items
from adapters.discord.translate import command_of
from adapters.discord.views import (
    ConfirmButton,
    NoticeButton,
    ReplyButton,
    ReplyModal,
    confirm_view,
    notice_view,
    post_buttons,
)
from adapters.link import Link
from adapters.reconnect import Reconnector
from bot.bridge import Bridge, RefusalWording
from bot.commands.moderation import UPDATES_ITS_MESSAGE
from bot.confirm import CONFIRM
from bot.events import Button, Command, Destination, FeedItem, Image, MessageUpdate, Platform
from bot.outbound import DeliveryError, DestinationGone, RateLimits, RetryAfter

log = logging.getLogger(__name__)

# Global limit 50 requests/s per bot; about 5 messages per 5 s per channel and per webhook.
DISCORD_LIMITS = RateLimits(per_second=45.0, chat_interval=1.0, group_interval=1.0)
FORUM_THREADS_KEPT = 64
NO_MENTIONS = discord.AllowedMentions.none()
CONTENT_LIMIT = 2000
NOT_CONNECTED_RETRY = 5.0  # seconds between delivery attempts while Discord is away


# The bridge never joins voice: spare the operator discord.py's warnings about voice libraries.
discord.VoiceClient.warn_nacl = False
discord.VoiceClient.warn_dave = False


class _Client(discord.Client):
    def __init__(self, adapter: DiscordAdapter, guild_ready_timeout: float) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and roles for autocomplete and forum detection
        if adapter.sources is not None:
            adapter.sources.intents(intents)  # [[crosspost]] channels: their messages
        super().__init__(
            intents=intents, allowed_mentions=NO_MENTIONS, guild_ready_timeout=guild_ready_timeout
        )
        self.adapter = adapter
        self.tree = app_commands.CommandTree(self)

    async def setup_hook(self) -> None:
        self.tree.add_command(build_threads_group(self.adapter.run_command, self.adapter.suggest))
        self.tree.add_command(build_crosspost_menu(self.adapter.crosspost_message))
        self.add_dynamic_items(ReplyButton, ConfirmButton, NoticeButton)
        await self.adapter.sync_commands(self.tree)

    async def on_message(self, message: discord.Message) -> None:
        if self.adapter.sources is not None:
            self.adapter.sources.message(message, self.user)

    async def on_raw_message_edit(self, event: discord.RawMessageUpdateEvent) -> None:
        if self.adapter.sources is not None:
            await self.adapter.sources.edited(event, self.user)

    async def on_raw_message_delete(self, event: discord.RawMessageDeleteEvent) -> None:
        if self.adapter.sources is not None:
            await self.adapter.sources.deleted(event)

    async def on_reply_click(self, interaction: discord.Interaction, post_id: str) -> None:
        await self.adapter.reply_clicked(interaction, post_id)

    async def on_confirm_click(self, interaction: discord.Interaction, action_id: str) -> None:
        await self.adapter.clicked(interaction, CONFIRM, action_id)

    async def on_button_click(
        self, interaction: discord.Interaction, command: str, args: str
    ) -> None:
        await self.adapter.clicked(interaction, command, args)


# Discord's admins are members with Manage Server (what translate.py maps to a chat admin),
# and publishers may also be listed by role.
DISCORD_REFUSALS = RefusalWording(
    admins_only="Only members with the Manage Server permission can change what is watched here.",
    publisher_also=" (or one of your roles to discord.publisher_roles)",
)


class DiscordAdapter:
    platform = Platform.DISCORD.value
    limits = DISCORD_LIMITS

    def __init__(
        self,
        token: str,
        bridge: Bridge,
        *,
        api_base: str = "https://discord.com/api/v10",
        gateway_url: str | None = None,
        guild_ids: Sequence[int] = (),
        webhooks: Mapping[str, str] | None = None,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        self._token = token
        self._bridge = bridge
        bridge.word_refusals(self.platform, DISCORD_REFUSALS)
        self._api_base = api_base.rstrip("/")
        self._gateway_url = gateway_url
        self._guild_ids = tuple(guild_ids)
        self._webhooks = dict(webhooks or {})  # webhook id -> its token
        # post id -> the forum thread its first message opened, for the messages that
        # continue a long text (the latest few only: they follow within seconds)
        self._forum_threads: dict[str, int] = {}
        self._guild_ready_timeout = guild_ready_timeout
        autopost = bridge.ctx.autopost
        sources = ChannelSource(autopost, self._webhooks) if autopost is not None else None
        # [[crosspost]] channels' messages, edits and deletions go to the core's Autopost.
        self.sources = sources if sources is not None and sources.active else None
        self._client = _Client(self, guild_ready_timeout)
        self._commands_synced = False
        self._link = Link(lambda: self.connected)
        self._connection = Reconnector(
            self.platform,
            self._session,
            cleanup=self._close_client,
            fatal=(discord.LoginFailure, discord.PrivilegedIntentsRequired),
        )

    def __repr__(self) -> str:
        return "DiscordAdapter()"

    @property
    def connected(self) -> bool:
        return self._connection.up and self._client.is_ready() and not self._client.is_closed()

    async def start(self) -> None:
        """Connect now if Discord answers; otherwise keep trying in the background (with
        backoff) while the bridge runs. A rejected token raises."""
        await self._connection.start()

    async def stop(self) -> None:
        await self._connection.stop()
        await self._close_client()

    async def _session(self, up: Callable[[], None]) -> None:
        # discord.py's own reconnect loop logs a traceback per attempt and backs off to
        # minutes; the Reconnector does it instead, with a fresh client each time (a client
        # that failed has closed itself). Resumes Discord asks for still happen inside
        # connect().
        if self._client.is_closed():
            self._client = _Client(self, self._guild_ready_timeout)
        client = self._client
        self._point_at_endpoints()
        await client.login(self._token)
        # Plain tasks, not bot.tasks.spawn: both are awaited or cancelled right here and the
        # runner's error is re-raised to the Reconnector, which logs it (spawn would log twice).
        runner = asyncio.create_task(client.connect(reconnect=False), name="discord gateway")
        ready = asyncio.create_task(client.wait_until_ready(), name="discord ready")
        try:
            await asyncio.wait({runner, ready}, return_when=asyncio.FIRST_COMPLETED)
            if ready.done():
                up()
                self._link.changed()
                log.info("Discord bot %s is up in %d guilds", client.user, len(client.guilds))
            await runner  # until the connection is lost (it raises) or the client closes
        except discord.ConnectionClosed as exc:
            if exc.code == 4004:  # Discord's "authentication failed"
                raise discord.LoginFailure("Discord rejected the bot token") from exc
            raise
        finally:
            for task in (ready, runner):
                task.cancel()
            await asyncio.gather(ready, runner, return_exceptions=True)
            self._link.changed()

    async def _close_client(self) -> None:
        await self._client.close()

    async def sync_commands(self, tree: app_commands.CommandTree[_Client]) -> None:
        """Guild commands appear at once; global ones can take a while to reach everyone.
        Once is enough: a reconnect's fresh client has the same commands."""
        if self._commands_synced:
            return
        if not self._guild_ids:
            synced = await tree.sync()
            log.info("synced %d global commands", len(synced))
            self._commands_synced = True
            return
        for guild_id in self._guild_ids:
            guild = discord.Object(id=guild_id)
            tree.copy_global_to(guild=guild)
            await tree.sync(guild=guild)
        log.info("synced commands to %d guilds", len(self._guild_ids))
        self._commands_synced = True

    def _point_at_endpoints(self) -> None:
        # discord.py has no per-client option for these: they are class attributes. One
        # Discord client runs per process, so setting them here is safe.
        discord.http.Route.BASE = self._api_base
        if self._gateway_url:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self._gateway_url)

    # -- delivery --------------------------------------------------------------------------

    def render(self, item: FeedItem, destination: Destination) -> Sequence[DiscordMessage]:
        return render_items(item)

    def is_group(self, destination: Destination) -> bool:
        return True

    async def send(self, destination: Destination, part: DiscordMessage) -> list[str]:
        if not await self._link.wait_usable(NOT_CONNECTED_RETRY):
            # Not counted as a failed attempt: an outage of any length loses nothing.
            raise RetryAfter("Discord is not connected", NOT_CONNECTED_RETRY)
        try:
            webhook_id = webhook_id_of(destination)
            if webhook_id is not None:
                return [await self._send_webhook(webhook_id, part)]
            return [await self._send_channel(int(destination.chat_id), part)]
        except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise classify(exc) from exc

    async def _send_channel(self, channel_id: int, part: DiscordMessage) -> str:
        channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
            channel_id
        )
        if part.continues:
            return await self._send_continuation(channel, part)
        view = post_buttons(part.post_id, part.permalink, with_reply=True, actions=part.actions)
        if isinstance(channel, discord.ForumChannel):
            created = await channel.create_thread(
                name=part.thread_name,
                content=part.status,
                embeds=list(part.embeds),
                view=view,
                allowed_mentions=NO_MENTIONS,
            )
            self._forum_threads[part.post_id] = created.thread.id
            while len(self._forum_threads) > FORUM_THREADS_KEPT:
                del self._forum_threads[next(iter(self._forum_threads))]
            return str(created.message.id)
        if not isinstance(channel, discord.abc.Messageable):
            raise discord.InvalidData(f"channel {channel_id} cannot receive messages")
        message = await channel.send(
            part.status, embeds=list(part.embeds), view=view, allowed_mentions=NO_MENTIONS
        )
        return str(message.id)

    async def _send_continuation(self, channel: Any, part: DiscordMessage) -> str:
        """A long text's next message: under the first one, or in the forum post it opened."""
        if isinstance(channel, discord.ForumChannel):
            thread_id = self._forum_threads.get(part.post_id)
            if thread_id is None:
                raise discord.InvalidData("the forum post this message continues is unknown")
            channel = self._client.get_channel(thread_id) or await self._client.fetch_channel(
                thread_id
            )
        if not isinstance(channel, discord.abc.Messageable):
            raise discord.InvalidData("the channel cannot receive messages")
        message = await channel.send(embeds=list(part.embeds), allowed_mentions=NO_MENTIONS)
        return str(message.id)

    async def _send_webhook(self, webhook_id: str, part: DiscordMessage) -> str:
        token = self._webhooks.get(webhook_id)
        if token is None:
            raise DestinationGone("the webhook is no longer in the configuration")
        webhook = discord.Webhook.partial(int(webhook_id), token, client=self._client)
        message = await webhook.send(
            embeds=list(part.embeds),
            username=part.username,
            avatar_url=part.avatar_url,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )
        return str(message.id)

    async def edit(
        self, destination: Destination, message_ids: Sequence[Sequence[str]], item: FeedItem
    ) -> None:
        """The delivered message shows `item` now (an edit on Threads, a deletion marked)."""
        if not message_ids or not message_ids[0]:
            return
        part, message_id = render_items(item)[0], int(message_ids[0][0])
        try:
            webhook = self._webhook_of(destination)
            if webhook is not None:
                await edit_by_webhook(webhook, message_id, part)
            else:
                await edit_in_channel(self._client, int(destination.chat_id), message_id, part)
        except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise classify(exc) from exc

    async def delete(self, destination: Destination, message_ids: Sequence[str]) -> None:
        try:
            webhook = self._webhook_of(destination)
            for message_id in map(int, message_ids):
                if webhook is not None:
                    await delete_by_webhook(webhook, message_id)
                else:
                    await delete_in_channel(self._client, int(destination.chat_id), message_id)
        except (discord.DiscordException, aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise classify(exc) from exc

    def _webhook_of(self, destination: Destination) -> discord.Webhook | None:
        webhook_id = webhook_id_of(destination)
        if webhook_id is None:
            return None
        token = self._webhooks.get(webhook_id)
        if token is None:
            raise DestinationGone("the webhook is no longer in the configuration")
        return discord.Webhook.partial(int(webhook_id), token, client=self._client)

    async def delete_message(self, destination: Destination, message_id: str) -> bool:
        """Remove one of the bridge's messages (an expired ghost post): from its channel or
        webhook; in a forum, the post it opened. False when it is already gone or Discord
        forbids it."""
        try:
            webhook_id = webhook_id_of(destination)
            if webhook_id is not None:
                token = self._webhooks.get(webhook_id)
                if token is None:
                    return False
                webhook = discord.Webhook.partial(int(webhook_id), token, client=self._client)
                await webhook.delete_message(int(message_id))
                return True
            channel_id = int(destination.chat_id)
            channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
                channel_id
            )
            if isinstance(channel, discord.ForumChannel):
                # A forum post's thread has its first message's id.
                thread = await self._client.fetch_channel(int(message_id))
                if not isinstance(thread, discord.Thread):
                    return False
                await thread.delete()
            elif isinstance(channel, discord.abc.Messageable):
                await channel.get_partial_message(int(message_id)).delete()
            else:
                return False
        except (discord.NotFound, discord.Forbidden) as exc:
            log.info("Discord kept message %s in %s: %s", message_id, destination, exc)
            return False
        return True

    async def notify(
        self,
        destination: Destination,
        text: str,
        buttons: Sequence[Button] = (),
        *,
        image: Image | None = None,
    ) -> None:
        """A notice to a channel, or to a user by direct message (`user:<id>`); `buttons`
        and `image` with its last part."""
        if webhook_id_of(destination) is not None:
            return  # a webhook is a feed, not a conversation
        target: discord.abc.Messageable
        user_id = user_id_of(destination)
        if user_id is not None:
            target = await self._client.fetch_user(user_id)
        else:
            channel_id = int(destination.chat_id)
            # Not cached: a channel made after the bridge connected (a new review channel).
            channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
                channel_id
            )
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("channel %s cannot receive notices", channel_id)
                return
            target = channel
        chunks = _chunks(escape_markdown(text))
        for index, chunk in enumerate(chunks):
            # The buttons and a picture (a digest's chart) go with the last part.
            extra: dict[str, Any] = {}
            if index == len(chunks) - 1:
                view = notice_view(buttons)
                if view is not None:
                    extra["view"] = view
                if image is not None:
                    extra["file"] = attachment_of(image)
            await target.send(chunk, allowed_mentions=NO_MENTIONS, **extra)

    # -- commands --------------------------------------------------------------------------

    async def run_command(
        self,
        interaction: discord.Interaction,
        name: str,
        args: str,
        *,
        attachments: Sequence[discord.Attachment] = (),
    ) -> None:
        command = command_of(interaction, name, args, attachments=attachments)
        await self._answer(command, interaction)

    async def crosspost_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """The "Cross-post to Threads" context menu: /crosspost of that message."""
        command = command_of(interaction, "crosspost", "", answered=message)
        await self._answer(command, interaction)

    async def _answer(self, command: Command, interaction: discord.Interaction) -> None:
        """A refusal at once and ephemerally; otherwise deferred, run, answered in followups."""
        refusal = self._bridge.refused(command)  # quick: worded, and audited, at once
        if refusal is not None:
            await interaction.response.send_message(
                escape_markdown(refusal.text), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.defer(thinking=True)  # Threads can take longer than 3 s
        reply = await self._bridge.handle(command)
        chunks = _chunks(escape_markdown(reply.text))
        for index, chunk in enumerate(chunks):
            # A confirmation button and a picture (an /insights chart) go with the last part.
            extra: dict[str, Any] = {}
            if index == len(chunks) - 1:
                view = confirm_view(reply.confirm) or notice_view(reply.buttons)
                if view is not None:
                    extra["view"] = view
                if reply.image is not None:
                    extra["file"] = attachment_of(reply.image)
            await interaction.followup.send(chunk, allowed_mentions=NO_MENTIONS, **extra)
        if reply.preview is not None:
            await self._send_preview(command.chat, reply.preview, interaction)

    async def _send_preview(
        self, chat: Destination, item: FeedItem, interaction: discord.Interaction
    ) -> None:
        """/preview: the post rendered and sent into the channel as a delivery of it would
        be, but recorded nowhere (no outbox row, no message map): a look, not a delivery."""
        try:
            for part in self.render(item, chat):
                await self.send(chat, part)
        except DeliveryError as exc:
            log.info("a preview could not be sent to %s: %s", chat, exc)
            await interaction.followup.send(
                escape_markdown(f"The preview could not be shown here: {exc}"),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    def suggest(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Usernames already watched in this server (or this DM), matching what is typed."""
        if interaction.guild is not None:
            chats = [str(c.id) for c in interaction.guild.channels]
            chats += [str(t.id) for t in interaction.guild.threads]
        else:
            chats = [str(interaction.channel_id)]
        typed = current.lower().lstrip("@")
        names = self._bridge.watched_usernames(self.platform, chats)
        return [app_commands.Choice(name=f"@{n}", value=n) for n in names if typed in n][:25]

    async def reply_clicked(self, interaction: discord.Interaction, post_id: str) -> None:
        refusal = self._bridge.refused(command_of(interaction, "reply", post_id))
        if refusal is not None:
            await interaction.response.send_message(
                escape_markdown(refusal.text), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.send_modal(ReplyModal(post_id, self.reply_submitted))

    async def reply_submitted(
        self, interaction: discord.Interaction, post_id: str, text: str
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        reply = await self._bridge.handle(command_of(interaction, "reply", f"{post_id} {text}"))
        for chunk in _chunks(escape_markdown(reply.text)):
            await interaction.followup.send(chunk, ephemeral=True, allowed_mentions=NO_MENTIONS)

    async def clicked(self, interaction: discord.Interaction, name: str, args: str) -> None:
        """A click on a confirmation button (CONFIRM and its action id) or a notice's button
        (its command and args): a refusal (spent, expired, not the asker's, not a publisher)
        at once and ephemerally. A confirmed command can take longer than Discord's 3 s
        (a deletion on Threads): deferred, then its outcome as the followup. A notice's
        button command only writes the store (a review's decision), so it is answered at
        once, ephemerally when its answer is private ("already decided"). A delivered
        reply's Hide / Unhide / Approve / Ignore asks Threads first: acknowledged, then the
        message edited (or the clicker told, ephemerally, what Threads refused)."""
        command = command_of(interaction, name, args)
        refusal = self._bridge.refused(command)
        if refusal is not None:
            await interaction.response.send_message(
                escape_markdown(refusal.text), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        if name in UPDATES_ITS_MESSAGE and interaction.message is not None:
            # Threads decides (manage_reply): maybe past Discord's 3 s, so the click is
            # acknowledged first and its message edited once Threads has answered.
            await interaction.response.defer()
            reply = await self._bridge.handle(command)
            if reply.update is not None:
                await self._update_message(interaction, interaction.message, args, reply.update)
                return
            await interaction.followup.send(
                _chunks(escape_markdown(reply.text))[0],
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if name != CONFIRM:
            reply = await self._bridge.handle(command)
            await interaction.response.send_message(
                _chunks(escape_markdown(reply.text))[0],
                ephemeral=reply.private,
                allowed_mentions=NO_MENTIONS,
            )
            return
        await interaction.response.defer(thinking=True)  # the deletion can take over 3 s
        reply = await self._bridge.handle(command)
        for chunk in _chunks(escape_markdown(reply.text)):
            await interaction.followup.send(chunk, allowed_mentions=NO_MENTIONS)

    async def _update_message(
        self,
        interaction: discord.Interaction,
        message: discord.Message,
        post_id: str,
        update: MessageUpdate,
    ) -> None:
        """The click changed what the delivered post shows (a reply hidden on Threads): the
        status above its embed, the buttons swapped (the deferred click's @original is the
        message it is on)."""
        permalink = message.embeds[0].url if message.embeds else None
        view = post_buttons(post_id, permalink, with_reply=True, actions=update.buttons)
        await interaction.edit_original_response(
            content=escape_markdown(update.status) if update.status else None,
            view=view,
            allowed_mentions=NO_MENTIONS,
        )


def attachment_of(image: Image) -> discord.File:
    """An answer's picture as an upload, its description as the alt text."""
    return discord.File(
        io.BytesIO(image.data), filename=image.filename, description=image.description or None
    )


def _chunks(text: str, size: int = CONTENT_LIMIT) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]
