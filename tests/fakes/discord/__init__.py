"""A loopback fake of Discord (REST v10 + gateway WebSocket) for end-to-end tests through
the real discord.py."""

from .errors import DiscordError
from .interactions import SentInteraction
from .limits import RateLimits
from .models import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    BOT_PERMISSIONS,
    EVERYONE_PERMISSIONS,
    MANAGE_GUILD,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
)
from .patching import patched_discord
from .records import (
    GatewayFrame,
    InteractionReply,
    MessageEdit,
    Pings,
    RecordedCall,
    SentMessage,
)
from .server import DEFAULT_APPLICATION_ID, DEFAULT_TOKEN, FakeDiscord
from .spec import DiscordSpec, load_spec, spec_path

__all__ = [
    "ADMINISTRATOR",
    "ALL_PERMISSIONS",
    "BOT_PERMISSIONS",
    "DEFAULT_APPLICATION_ID",
    "DEFAULT_TOKEN",
    "EVERYONE_PERMISSIONS",
    "MANAGE_GUILD",
    "DiscordError",
    "DiscordSpec",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "GatewayFrame",
    "InteractionReply",
    "MessageEdit",
    "Pings",
    "RateLimits",
    "RecordedCall",
    "SentInteraction",
    "SentMessage",
    "load_spec",
    "patched_discord",
    "spec_path",
]
