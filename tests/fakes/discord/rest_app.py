"""Who the bot is and where to connect: the current user, the application, the gateway
URLs, and application command sync (global and per guild)."""

from __future__ import annotations

from . import payloads
from .backend import Backend, Reply, Request
from .commands import sync_commands
from .errors import missing_access
from .routes import route

APPLICATION_FLAGS = (1 << 23) | (
    1 << 19
)  # APPLICATION_COMMAND_BADGE, GATEWAY_MESSAGE_CONTENT_LIMITED


@route("GET", "/users/@me")
async def get_current_user(b: Backend, r: Request) -> Reply:
    return Reply(payloads.current_user(b.state.bot))


@route("GET", "/oauth2/applications/@me")
async def get_application(b: Backend, r: Request) -> Reply:
    state = b.state
    return Reply(
        {
            "id": str(state.application_id),
            "name": state.bot.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "verify_key": "f" * 64,
            "owner": payloads.user(state.owner),
            "team": None,
            "flags": APPLICATION_FLAGS,
            "flags_new": str(APPLICATION_FLAGS),
            "bot": payloads.user(state.bot),
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "role_connections_verification_url": None,
            "approximate_guild_count": len(state.guilds),
            "approximate_user_install_count": 0,
            "approximate_user_authorization_count": 0,
            "explicit_content_filter": 0,
            "eligible_oauth2_scopes": ["bot", "applications.commands"],
            "integration_types_config": {"0": {}},
            "tags": [],
            "rpc_origins": [],
            "terms_of_service_url": None,
            "privacy_policy_url": None,
            "custom_install_url": None,
            "install_params": None,
            "cover_image": None,
            "guild_id": None,
            "primary_sku_id": None,
            "slug": None,
        }
    )


@route("GET", "/gateway", bot_auth=False)
async def get_gateway(b: Backend, r: Request) -> Reply:
    return Reply({"url": b.gateway_url()})


@route("GET", "/gateway/bot")
async def get_gateway_bot(b: Backend, r: Request) -> Reply:
    return Reply(
        {
            "url": b.gateway_url(),
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }
    )


def _own_application(b: Backend, r: Request) -> None:
    if r.snowflake("application_id") != b.state.application_id:
        raise missing_access()


@route("GET", "/applications/{application_id}/commands")
async def get_global_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    return Reply(b.state.commands.get(None, []))


@route("PUT", "/applications/{application_id}/commands")
async def put_global_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    return Reply(sync_commands(b.state, None, r.json))


@route("GET", "/applications/{application_id}/guilds/{guild_id}/commands")
async def get_guild_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    guild_id = r.snowflake("guild_id")
    b.state.guild(guild_id)
    return Reply(b.state.commands.get(guild_id, []))


@route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def put_guild_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    guild_id = r.snowflake("guild_id")
    b.state.guild(guild_id)
    return Reply(sync_commands(b.state, guild_id, r.json))
