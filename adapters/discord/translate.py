"""Discord interactions -> bridge Commands (pure: reads the interaction, sends nothing)."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence

import discord

from bot.events import Attachment, ChatMessage, ChatUser, Command, Destination, Platform, Role


def command_of(
    interaction: discord.Interaction,
    name: str,
    args: str,
    *,
    attachments: Sequence[discord.Attachment] = (),
    answered: discord.Message | None = None,
) -> Command:
    """The command `interaction` runs; `attachments`: files given with it (a slash command's
    attachment options, in order), `answered`: the message it is about (a context menu's)."""
    user = interaction.user
    roles: tuple[str, ...] = ()
    if interaction.guild is None:
        role = Role.OWNER  # a DM with the bot: the user is the whole chat
    else:
        # Checked again here, whatever the command's default permissions say: a server can
        # change those, and the bridge must not rely on them.
        role = Role.ADMIN if interaction.permissions.manage_guild else Role.MEMBER
        if isinstance(user, discord.Member):
            roles = tuple(str(r.id) for r in user.roles)
    channel_id = interaction.channel_id or (interaction.channel.id if interaction.channel else 0)
    return Command(
        name=name,
        args=args.strip(),
        user=ChatUser(str(user.id), user.display_name),
        chat=Destination(Platform.DISCORD, str(channel_id)),
        role=role,
        user_roles=roles,
        attachments=attachments_of(*attachments),
        answered=message_of(answered) if answered is not None else None,
    )


def attachments_of(*attachments: discord.Attachment) -> tuple[Attachment, ...]:
    """Discord attachments as the core sees them. Their CDN URLs are signed for a while and
    carry no credential of the bot, so Meta is given them as they are (`public_url`):
    nothing is downloaded by the bridge."""
    return tuple(_attachment(a) for a in attachments)


def message_of(message: discord.Message) -> ChatMessage:
    """A Discord message as /crosspost publishes it: its text and files, and who wrote it."""
    return ChatMessage(
        text=message.content,
        attachments=attachments_of(*message.attachments),
        author=ChatUser(str(message.author.id), message.author.display_name),
        message_id=str(message.id),
    )


def _attachment(attachment: discord.Attachment) -> Attachment:
    # Discord reports what the uploading client said, parameters included ("text/plain;
    # charset=utf-8"), and sometimes nothing: then the file name tells the kind.
    declared = (attachment.content_type or "").partition(";")[0].strip().lower() or None
    media_type = declared or mimetypes.guess_type(attachment.filename)[0] or ""
    kind = (
        "IMAGE"
        if media_type.startswith("image/")
        else "VIDEO"
        if media_type.startswith("video/")
        else "OTHER"
    )
    return Attachment(
        Platform.DISCORD,
        kind,
        attachment.url,
        content_type=declared,
        size=attachment.size,
        duration=attachment.duration,
        name=attachment.filename.removeprefix("SPOILER_"),  # as its sender named it
        spoiler=attachment.is_spoiler(),
        public_url=attachment.url,
    )
