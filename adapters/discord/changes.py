"""A delivered post that changed on Threads: its message edited (PATCH, through the channel or
the webhook that sent it) or deleted. A forum post's message is its thread's starter, in the
thread whose id is the message's."""

from __future__ import annotations

import contextlib

import discord

from adapters.discord.render import DiscordMessage
from adapters.discord.views import post_buttons

NO_MENTIONS = discord.AllowedMentions.none()


def _message(client: discord.Client, channel_id: int, message_id: int) -> discord.PartialMessage:
    channel = client.get_channel(channel_id)
    where = message_id if isinstance(channel, discord.ForumChannel) else channel_id
    return client.get_partial_messageable(where).get_partial_message(message_id)


async def edit_in_channel(
    client: discord.Client, channel_id: int, message_id: int, part: DiscordMessage
) -> None:
    view = post_buttons(part.post_id, part.permalink, with_reply=True, actions=part.actions)
    await _message(client, channel_id, message_id).edit(
        content=part.status, embeds=list(part.embeds), view=view, allowed_mentions=NO_MENTIONS
    )


async def edit_by_webhook(webhook: discord.Webhook, message_id: int, part: DiscordMessage) -> None:
    await webhook.edit_message(message_id, embeds=list(part.embeds), allowed_mentions=NO_MENTIONS)


async def delete_in_channel(client: discord.Client, channel_id: int, message_id: int) -> None:
    with contextlib.suppress(discord.NotFound):  # deleted in the channel already
        await _message(client, channel_id, message_id).delete()


async def delete_by_webhook(webhook: discord.Webhook, message_id: int) -> None:
    with contextlib.suppress(discord.NotFound):
        await webhook.delete_message(message_id)
