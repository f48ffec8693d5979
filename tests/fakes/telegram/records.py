"""What tests observe: every call, every delivered outgoing message, and event-driven waiting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tests.fakes.waiting import Owner, Waitable


@dataclass(frozen=True)
class RecordedCall:
    """One Bot API request as the fake answered it (`status` 200 or the error's HTTP status)."""

    method: str
    params: Mapping[str, str]
    uploads: tuple[str, ...]
    status: int
    description: str | None
    time: float  # when the call arrived, on the clock of the fake's flood limits

    @property
    def ok(self) -> bool:
        return self.status == 200


@dataclass(frozen=True)
class SentMessage:
    """An accepted outgoing message (sendMessage/sendPhoto/sendVideo/sendMediaGroup) or edit
    (editMessageText). `text` is the text or caption as sent (markup included); `visible_text`
    is what users see after entity parsing. `media` holds (type, ref) pairs where ref is the URL
    or file_id sent, or `upload:<file_id>` for uploaded bytes."""

    method: str
    chat_id: int
    message_thread_id: int | None
    text: str | None
    visible_text: str | None
    parse_mode: str | None
    media: tuple[tuple[str, str], ...]
    reply_to_message_id: int | None
    reply_markup: Any
    message_ids: tuple[int, ...]
    params: Mapping[str, str] = field(repr=False)
    time: float = field(repr=False)

    @property
    def message_id(self) -> int:
        """The first (for an album) or only message id."""
        return self.message_ids[0]


class Recorder(Waitable[Owner]):
    """Keeps the records and wakes `wait_for` callers whenever something is recorded."""

    label = "fake Telegram"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[RecordedCall] = []
        self.sent: list[SentMessage] = []
        self.flood_errors = 0

    async def record(self, call: RecordedCall, sent: list[SentMessage]) -> None:
        self.calls.append(call)
        self.sent.extend(sent)
        if call.status == 429:
            self.flood_errors += 1
        await self.notify()

    def summary(self, last: int = 25) -> str:
        calls = [
            f"  {c.method} {dict(c.params)} -> {c.status}"
            + (f" {c.description}" if c.description else "")
            for c in self.calls
            if c.method.lower() != "getupdates"
        ][-last:]
        sent = [
            f"  {s.method} chat={s.chat_id} ids={list(s.message_ids)} text={s.text!r}"
            for s in self.sent
        ][-last:]
        polls = sum(1 for c in self.calls if c.method.lower() == "getupdates")
        lines = [f"calls (last {last}, {polls} getUpdates omitted):", *(calls or ["  none"])]
        lines += [f"sent (last {last}):", *(sent or ["  none"])]
        return "\n".join(lines)
