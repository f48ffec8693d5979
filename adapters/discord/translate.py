"""Discord interactions -> bridge Commands (pure: reads the interaction, sends nothing)."""

from __future__ import annotations

import discord

from bot.events import ChatUser, Command, Destination, Platform, Role


def command_of(interaction: discord.Interaction, name: str, args: str) -> Command:
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
    )
