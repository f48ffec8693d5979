"""Store: every piece of state, in one SQLite file. The only code that knows table names.

The queries are tiny and local, so they run on the event loop's thread: a sqlite3 connection
belongs to the thread that opened it, and moving the calls to worker threads would cost more
than the microseconds they take.
"""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from storage.bridge_state import BridgeState
from storage.changes import ChangeRecords
from storage.chat_moves import ChatMoves
from storage.chat_zones import ChatZones
from storage.confirmations import Confirmations
from storage.database import open_database
from storage.discovery import DiscoveryLedger
from storage.feed import Feed
from storage.feed_settings import SubscriptionSettings
from storage.ghosts import GhostExpiry
from storage.outbox import Outbox
from storage.publications import Audit, Publications
from storage.publish_queue import PublishQueue
from storage.sources import Sources
from storage.subscriptions import Subscriptions
from storage.tokens import Tokens
from storage.update_inbox import UpdateInbox


class Store:
    """The database, seen through one small repository per concern."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.sources = Sources(db)
        self.subscriptions = Subscriptions(db)
        self.feed = Feed(db)
        self.settings = SubscriptionSettings(db)
        self.outbox = Outbox(db)
        self.publications = Publications(db)
        self.audit = Audit(db)
        self.tokens = Tokens(db)
        self.chat_moves = ChatMoves(db)
        self.discovery = DiscoveryLedger(db)
        self.state = BridgeState(db)
        self.confirmations = Confirmations(db)
        self.queue = PublishQueue(db)
        self.inbox = UpdateInbox(db)
        self.zones = ChatZones(self.state)
        self.changes = ChangeRecords(db)
        self.ghosts = GhostExpiry(db)

    @classmethod
    def open(cls, path: str | Path) -> Store:
        return cls(open_database(path))

    def close(self) -> None:
        self.db.close()
