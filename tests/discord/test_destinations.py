"""Discord's destination encodings are built and read in its adapter package only."""

from __future__ import annotations

from adapters.discord.destinations import (
    channel_destination,
    user_id_of,
    webhook_destination,
    webhook_id_of,
)
from bot.config import FeedConfig, Secret
from bot.events import Destination, Platform
from bot.runtime.feeds import feed_destinations

HOOK_ID = "123456789012345678"
WEBHOOK = f"https://discord.com/api/webhooks/{HOOK_ID}/s3cr3t{'x' * 60}"


def test_a_configured_feed_names_its_channel_and_webhook_without_the_token() -> None:
    feed = FeedConfig("bob", discord_channel=42, discord_webhook=Secret(WEBHOOK))
    channel, webhook = feed_destinations(feed)
    assert channel == channel_destination(42) == Destination(Platform.DISCORD, "42")
    assert webhook == webhook_destination(HOOK_ID)
    assert webhook == Destination(Platform.DISCORD, f"webhook:{HOOK_ID}")
    assert "s3cr3t" not in str(webhook)
    assert (webhook_id_of(webhook), webhook_id_of(channel)) == (HOOK_ID, None)


def test_an_admin_is_reached_by_user_id_and_a_channel_is_not_a_user() -> None:
    from adapters.discord.destinations import user_destination

    admin = user_destination(7)
    assert admin == Destination(Platform.DISCORD, "user:7")
    assert (user_id_of(admin), user_id_of(channel_destination(7))) == (7, None)
    assert webhook_id_of(admin) is None
