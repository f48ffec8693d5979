"""A chat that changed its id: a Telegram group upgraded to a supergroup gets a new chat id,
and the old one only answers "upgraded" (400 with migrate_to_chat_id). Its subscriptions, its
deliveries (pending ones included), its message map, its publish queue rows and its time zone
follow it to the new id, so deliveries continue there and `/reply` to a bridged post still finds
the post."""

from __future__ import annotations

import time

from sqlite_utils import Database

from bot.events import Destination
from storage.chat_zones import zone_key
from storage.rows import many, one


class ChatMoves:
    def __init__(self, db: Database) -> None:
        self._db = db

    def move(self, chat: Destination, new_chat_id: str) -> int:
        """Move everything of `chat` (every topic) to `new_chat_id` on the same platform, in
        one transaction. Returns how many subscriptions moved. A subscription the new chat
        already has (the same source and topic) absorbs the old one's deliveries; a post both
        owed the new chat is delivered once."""
        platform, old = chat.platform, chat.chat_id
        with self._db.atomic():
            self._db.execute(
                "INSERT OR REPLACE INTO chat_moves (platform, old_chat_id, new_chat_id, moved_at) "
                "VALUES (?, ?, ?, ?)",
                [platform, old, new_chat_id, time.time()],
            )
            subscriptions = many(
                self._db,
                "SELECT id, source_id, topic_id, paused_reason FROM subscriptions "
                "WHERE platform = ? AND chat_id = ?",
                [platform, old],
            )
            for sub in subscriptions:
                twin = one(
                    self._db,
                    "SELECT id FROM subscriptions WHERE source_id = ? AND platform = ? "
                    "AND chat_id = ? AND topic_id = ?",
                    [sub["source_id"], platform, new_chat_id, sub["topic_id"]],
                )
                if twin is None:
                    sql = "UPDATE subscriptions SET chat_id = ? WHERE id = ?"
                    self._db.execute(sql, [new_chat_id, sub["id"]])
                else:
                    self._merge(sub["id"], twin["id"], active=sub["paused_reason"] is None)
            self._db.execute(
                "UPDATE outbox SET chat_id = ? WHERE platform = ? AND chat_id = ?",
                [new_chat_id, platform, old],
            )
            # Its waiting publishes (scheduled ones) are told and listed in the new chat, and
            # its /timezone goes along (unless the new chat set its own).
            self._db.execute(
                "UPDATE publish_queue SET chat_id = ? WHERE platform = ? AND chat_id = ?",
                [new_chat_id, platform, old],
            )
            self._db.execute(
                "UPDATE OR IGNORE bridge_state SET name = ? WHERE name = ?",
                [zone_key(Destination(platform, new_chat_id)), zone_key(chat)],
            )
            # OR IGNORE: a message id the new chat already uses keeps its own mapping.
            self._db.execute(
                "UPDATE OR IGNORE messages SET chat_id = ? WHERE platform = ? AND chat_id = ?",
                [new_chat_id, platform, old],
            )
        return len(subscriptions)

    def current(self, chat: Destination) -> Destination:
        """Where `chat` lives now: follows the recorded moves (a chat may move twice)."""
        seen = {chat.chat_id}
        while True:
            row = one(
                self._db,
                "SELECT new_chat_id FROM chat_moves WHERE platform = ? AND old_chat_id = ?",
                [chat.platform, chat.chat_id],
            )
            if row is None or row["new_chat_id"] in seen:
                return chat
            seen.add(row["new_chat_id"])
            chat = Destination(chat.platform, row["new_chat_id"], chat.topic_id)

    def _merge(self, old_id: int, twin_id: int, *, active: bool) -> None:
        self._db.execute(
            "UPDATE outbox SET state = 'dropped', error = 'already owed to the chat it moved to' "
            "WHERE subscription_id = ? AND state = 'pending' AND post_id IN "
            "(SELECT post_id FROM outbox WHERE subscription_id = ?)",
            [old_id, twin_id],
        )
        self._db.execute(
            "UPDATE outbox SET subscription_id = ? WHERE subscription_id = ?", [twin_id, old_id]
        )
        if active:
            self._db.execute(
                "UPDATE subscriptions SET paused_reason = NULL WHERE id = ?", [twin_id]
            )
        self._db.execute("DELETE FROM subscriptions WHERE id = ?", [old_id])
