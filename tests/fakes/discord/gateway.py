"""The gateway WebSocket (JSON text frames; the client's `compress` query is ignored, which
discord.py accepts): HELLO, heartbeat ACKs, IDENTIFY -> READY + one GUILD_CREATE per guild,
RESUME with replay of missed events, op 7 RECONNECT, and dispatch of events with a sequence
number per session."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from . import payloads
from .records import GatewayFrame, Recorder
from .state import DiscordState

log = logging.getLogger(__name__)

DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
INVALID_SESSION, HELLO, HEARTBEAT_ACK = 9, 10, 11
AUTHENTICATION_FAILED, DISALLOWED_INTENTS = 4004, 4014
GUILD_MEMBERS, GUILD_PRESENCES, MESSAGE_CONTENT = 1 << 1, 1 << 8, 1 << 15
PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


@dataclass
class Session:
    """One gateway session: survives reconnects (RESUME) and keeps what it dispatched."""

    id: str
    intents: int
    seq: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Gateway:
    def __init__(
        self,
        token: str,
        state: DiscordState,
        recorder: Recorder[Any],
        url: Callable[[], str],
        *,
        application_flags: int,
        allowed_intents: int,
        heartbeat_interval_ms: int = 41_250,
    ) -> None:
        self.token = token
        self.state = state
        self.recorder = recorder
        self.url = url
        self.application_flags = application_flags
        self.allowed_intents = allowed_intents
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self._sockets: set[web.WebSocketResponse] = set()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        session: Session | None = None
        try:
            await self._send(
                ws, None, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(message.data)
                op, data = frame.get("op"), frame.get("d")
                self._record("in", session, op, None, None, data)
                if op == HEARTBEAT:
                    await self._send(ws, session, {"op": HEARTBEAT_ACK})
                elif op == IDENTIFY:
                    session = await self._identify(ws, data)
                elif op == RESUME:
                    session = await self._resume(ws, data)
                await self.recorder.notify()
        finally:
            self._sockets.discard(ws)
            if session is not None and session.ws is ws:
                session.ws = None
            await self.recorder.notify()
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> bool:
        """Send an event to the current session (kept for replay while it is away).
        Returns False when no session exists."""
        session = self.current
        if session is None:
            return False
        if event == "MESSAGE_CREATE" and not session.intents & MESSAGE_CONTENT:
            data = _without_content(data, self.state.bot.id)
        await self._dispatch(session, event, data)
        return True

    async def reconnect(self) -> None:
        """Op 7: the client closes and RESUMEs on resume_gateway_url."""
        session = self._live()
        await self._send(session.ws, session, {"op": RECONNECT, "d": None})

    async def close_all(self) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"fake Discord shutting down")

    # --- protocol ------------------------------------------------------------------------

    async def _identify(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        if data.get("token") != self.token:
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & PRIVILEGED & ~self.allowed_intents:
            await ws.close(code=DISALLOWED_INTENTS, message=b"Disallowed intent(s).")
            return None
        session = Session(secrets.token_hex(16), intents, ws=ws)
        self.sessions[session.id] = session
        self.current = session
        guild_ids = sorted(self.state.guilds)
        ready = {
            "v": 10,
            "user": payloads.current_user(self.state.bot) | {"bot": True},
            "guilds": [{"id": str(g), "unavailable": True} for g in guild_ids],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.url(),
            "shard": [0, 1],
            "application": {"id": str(self.state.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "_trace": ["fake-discord"],
        }
        await self._dispatch(session, "READY", ready)
        for guild_id in guild_ids:
            await self._dispatch(session, "GUILD_CREATE", self.state.guild_create(guild_id))
        return session

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token:
            await ws.close(code=AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return None
        if session is None:
            await self._send(ws, None, {"op": INVALID_SESSION, "d": False})
            return None
        async with session.lock:
            session.ws = ws
            self.current = session
            after = int(data.get("seq") or 0)
            for frame in session.sent:
                if frame["s"] > after:
                    await self._send(ws, session, frame)
            session.seq += 1
            await self._send(
                ws, session, {"op": DISPATCH, "t": "RESUMED", "s": session.seq, "d": {}}
            )
        return session

    async def _dispatch(self, session: Session, event: str, data: dict[str, Any]) -> None:
        async with session.lock:
            session.seq += 1
            frame = {"op": DISPATCH, "t": event, "s": session.seq, "d": data}
            session.sent.append(frame)
            if session.ws is not None and not session.ws.closed:
                await self._send(session.ws, session, frame)
            else:
                self._record("out-missed", session, DISPATCH, event, session.seq, data)

    async def _send(
        self, ws: web.WebSocketResponse | None, session: Session | None, frame: dict[str, Any]
    ) -> None:
        if ws is None or ws.closed:
            return
        try:
            await ws.send_str(json.dumps(frame))
        except ConnectionError:
            log.debug("fake Discord gateway: send on a closing socket dropped")
            return
        self._record("out", session, frame["op"], frame.get("t"), frame.get("s"), frame.get("d"))
        await self.recorder.notify()

    def _live(self) -> Session:
        session = self.current
        if session is None or session.ws is None:
            raise RuntimeError("fake Discord: no client is connected to the gateway")
        return session

    def _record(
        self,
        direction: str,
        session: Session | None,
        op: Any,
        t: str | None,
        s: int | None,
        d: Any,
    ) -> None:
        frame = GatewayFrame(direction, session.id if session else None, op, t, s, d, time.time())
        self.recorder.gateway.append(frame)


def _without_content(data: dict[str, Any], bot_id: int) -> dict[str, Any]:
    """Without MESSAGE_CONTENT, other users' messages arrive without their content (unless
    they mention the bot), as on Discord."""
    if int(data["author"]["id"]) == bot_id or f"<@{bot_id}>" in data.get("content", ""):
        return data
    return data | {"content": "", "embeds": [], "attachments": [], "components": []}
