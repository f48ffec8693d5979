"""Who the bot is: the current user, the application, and application command sync (global
and per guild)."""

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


def _own_application(b: Backend, r: Request) -> None:
    if r.snowflake("application_id") != b.state.application_id:
        raise missing_access()


@route("PUT", "/applications/{application_id}/commands")
async def put_global_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    return Reply(sync_commands(b.state, None, r.json))


@route("PUT", "/applications/{application_id}/guilds/{guild_id}/commands")
async def put_guild_commands(b: Backend, r: Request) -> Reply:
    _own_application(b, r)
    guild_id = r.snowflake("guild_id")
    b.state.guild(guild_id)
    return Reply(sync_commands(b.state, guild_id, r.json))
