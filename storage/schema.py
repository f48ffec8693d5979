"""Versioned migrations: each function runs once, in a transaction, in order.

Never edit a migration that has shipped; add the next one.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("threads-bridge")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            cursor INTEGER,
            last_polled REAL,
            failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at REAL NOT NULL,
            UNIQUE (kind, key)
        )"""
    )
    db.execute(
        """
        CREATE TABLE profiles (
            username TEXT PRIMARY KEY,
            id TEXT,
            name TEXT,
            picture_url TEXT,
            biography TEXT,
            is_verified INTEGER NOT NULL DEFAULT 0,
            follower_count INTEGER,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE posts (
            source_id INTEGER NOT NULL REFERENCES sources(id),
            id TEXT NOT NULL,
            shortcode TEXT,
            json TEXT NOT NULL,
            timestamp INTEGER,
            baseline INTEGER NOT NULL,
            seen_at REAL NOT NULL,
            PRIMARY KEY (source_id, id)
        )"""
    )
    db.execute("CREATE INDEX posts_shortcode ON posts (shortcode)")
    # topic_id is '' rather than NULL so that UNIQUE treats "no topic" as one value.
    db.execute(
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id),
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            origin TEXT NOT NULL,
            created_by TEXT,
            created_at REAL NOT NULL,
            paused_reason TEXT,
            UNIQUE (source_id, platform, chat_id, topic_id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL,
            post_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL,
            error TEXT,
            created_at REAL NOT NULL,
            done_at REAL
        )"""
    )
    db.execute("CREATE INDEX outbox_due ON outbox (state, next_attempt)")
    db.execute("CREATE INDEX outbox_destination ON outbox (platform, chat_id, topic_id, state)")
    # One row per chat message sent for a delivery (a carousel can take several); the map from
    # chat messages back to Threads posts, and the record of which parts already went out.
    db.execute(
        """
        CREATE TABLE messages (
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            post_id TEXT NOT NULL,
            outbox_id INTEGER,
            part INTEGER NOT NULL DEFAULT 0,
            sent_at REAL NOT NULL,
            PRIMARY KEY (platform, chat_id, message_id)
        )"""
    )
    db.execute("CREATE INDEX messages_outbox ON messages (outbox_id, part)")
    db.execute(
        """
        CREATE TABLE publications (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            state TEXT NOT NULL,
            container_ids TEXT NOT NULL DEFAULT '[]',
            request TEXT,
            media_ids TEXT NOT NULL DEFAULT '[]',
            permalink TEXT,
            error TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            user_name TEXT,
            action TEXT NOT NULL,
            detail TEXT,
            result TEXT NOT NULL,
            error TEXT
        )"""
    )


@migrations()
def m002_tokens(db: Database) -> None:
    # The Threads access token the bridge uses, once `auth` stored one or a refresh renewed
    # it: a running bridge reads it from here. config_hash remembers which configured token
    # it came from, so that editing the configuration replaces it.
    db.execute(
        """
        CREATE TABLE tokens (
            name TEXT PRIMARY KEY,
            token TEXT NOT NULL,
            user_id TEXT,
            obtained_at REAL NOT NULL,
            expires_at REAL,
            source TEXT NOT NULL,
            config_hash TEXT,
            refresh_error TEXT,
            updated_at REAL NOT NULL
        )"""
    )


@migrations()
def m003_subscription_lifetimes(db: Database) -> None:
    # An ended subscription (unwatched, or its feed removed from the configuration) is kept,
    # marked ended_at: its outbox rows and the chat-message map /reply uses still point to it.
    # Watching again re-activates the same row. started_at is when the current watch began:
    # the subscription receives posts made from then on, however late the first poll succeeds.
    db.execute("ALTER TABLE subscriptions ADD COLUMN started_at REAL NOT NULL DEFAULT 0")
    db.execute("UPDATE subscriptions SET started_at = created_at")
    db.execute("ALTER TABLE subscriptions ADD COLUMN ended_at REAL")
    # Rows dropped by a pause had no done_at, so pruning (done_at < ...) never retired them.
    db.execute(
        "UPDATE outbox SET done_at = created_at WHERE state = 'dropped' AND done_at IS NULL"
    )


@migrations()
def m004_outbox_ids_never_reused(db: Database) -> None:
    # messages.outbox_id records which parts of a delivery went out. Without AUTOINCREMENT
    # SQLite hands a pruned row's id (the newest ones) to the next row, whose parts then
    # look already sent: the post is marked delivered and never reaches the chat. Rebuilt
    # the way SQLite documents for a change ALTER TABLE cannot make (create, copy, drop,
    # rename). Nothing has a foreign key to outbox, so the drop cannot break a reference;
    # foreign_keys cannot be switched off inside the migration's transaction, so the
    # checks are deferred to the commit instead and verified before it.
    db.execute("PRAGMA defer_foreign_keys = ON")
    db.execute(
        """
        CREATE TABLE outbox_rebuilt (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source_id INTEGER NOT NULL,
            post_id TEXT NOT NULL,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            state TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL,
            error TEXT,
            created_at REAL NOT NULL,
            done_at REAL
        )"""
    )
    columns = (
        "id, source_id, post_id, subscription_id, platform, chat_id, topic_id, state, "
        "attempts, next_attempt, error, created_at, done_at"
    )
    db.execute(f"INSERT INTO outbox_rebuilt ({columns}) SELECT {columns} FROM outbox")  # noqa: S608
    db.execute("DROP TABLE outbox")
    db.execute("ALTER TABLE outbox_rebuilt RENAME TO outbox")
    db.execute("CREATE INDEX outbox_due ON outbox (state, next_attempt)")
    db.execute("CREATE INDEX outbox_destination ON outbox (platform, chat_id, topic_id, state)")
    # Message rows whose outbox row was pruned, or whose id a later row (of another post)
    # took over, point at nothing they belong to: they keep their post (for /reply) and
    # lose the pointer.
    db.execute(
        """UPDATE messages SET outbox_id = NULL WHERE outbox_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM outbox o WHERE o.id = messages.outbox_id
               AND o.post_id = messages.post_id AND o.platform = messages.platform)"""
    )
    problems = db.execute("PRAGMA foreign_key_check(outbox)").fetchall()
    if problems:
        raise RuntimeError(f"outbox rebuild: {len(problems)} rows reference no subscription")


@migrations()
def m005_chat_moves(db: Database) -> None:
    # A chat that changed id (group -> supergroup) is remembered, so a config entry still
    # naming the old id is mapped to the new one instead of re-subscribing a dead chat.
    db.execute(
        """CREATE TABLE chat_moves (
            platform TEXT NOT NULL,
            old_chat_id TEXT NOT NULL,
            new_chat_id TEXT NOT NULL,
            moved_at REAL NOT NULL,
            PRIMARY KEY (platform, old_chat_id)
        )"""
    )


@migrations()
def m006_discovery_ledger(db: Database) -> None:
    # Every profile-discovery request the bridge sent, kept a day: Meta counts them over a
    # rolling 24 h and reports no remainder, so the bridge keeps its own count, across restarts.
    db.execute(
        """CREATE TABLE discovery_calls (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            endpoint TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX discovery_calls_at ON discovery_calls (at)")


@migrations()
def m007_settings(db: Database) -> None:
    # Small pieces of the bridge's own state that must survive a restart (the discovery pause,
    # what a refusal taught the plan), as JSON by name.
    db.execute("CREATE TABLE bridge_state (name TEXT PRIMARY KEY, json TEXT NOT NULL)")


@migrations()
def m008_confirmations(db: Database) -> None:
    # A command waiting for its confirmation button (/delete): who asked, where, and what runs
    # when they click. The id is the unguessable token in the button; used_at makes a second
    # click (or one on another device) find it spent. Kept a day, then pruned.
    db.execute(
        """CREATE TABLE confirmations (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            user_id TEXT NOT NULL,
            command TEXT NOT NULL,
            args TEXT NOT NULL,
            created_at REAL NOT NULL,
            used_at REAL
        )"""
    )
    db.execute("CREATE INDEX confirmations_created ON confirmations (created_at)")
    # The deletion count of the last 24 h reads the audit by action and time.
    db.execute("CREATE INDEX audit_action_at ON audit (action, at)")


@migrations()
def m009_publish_queue(db: Database) -> None:
    # Every publish waits here until the one publishing worker takes it (in due order, within
    # Meta's quotas). `origin` names a chat message that was cross-posted (platform:chat:id),
    # unique so one message is never queued twice whatever restarts or edits happen.
    db.execute(
        """CREATE TABLE publish_queue (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            user_id TEXT NOT NULL,
            user_name TEXT NOT NULL DEFAULT '',
            request TEXT NOT NULL,
            origin TEXT UNIQUE,
            state TEXT NOT NULL,
            due_at REAL NOT NULL,
            publication_id INTEGER,
            permalink TEXT,
            error TEXT,
            created_at REAL NOT NULL,
            updated_at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX publish_queue_due ON publish_queue (state, due_at, id)")


@migrations()
def m010_update_inbox(db: Database) -> None:
    # Telegram updates, written down as getUpdates hands them over and before the library can
    # confirm them to Telegram: one a kill -9 caught before it was handled is replayed at the
    # next start (state pending -> working -> done; working again means interrupted).
    db.execute(
        """CREATE TABLE update_inbox (
            platform TEXT NOT NULL,
            update_id INTEGER NOT NULL,
            raw TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            received_at REAL NOT NULL,
            PRIMARY KEY (platform, update_id)
        )"""
    )
    db.execute("CREATE INDEX update_inbox_state ON update_inbox (platform, state, update_id)")


@migrations()
def m011_subscription_settings(db: Database) -> None:
    # Per-subscription filters and message template (/settings, [[feeds]]) as versioned JSON;
    # NULL: everything through, rendered as always. And the posts a filter kept out of a
    # subscription, with the reason, so "why did this not arrive?" has an answer.
    db.execute("ALTER TABLE subscriptions ADD COLUMN settings TEXT")
    db.execute(
        """CREATE TABLE filtered (
            id INTEGER PRIMARY KEY,
            subscription_id INTEGER NOT NULL REFERENCES subscriptions(id),
            source_id INTEGER NOT NULL,
            post_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            at REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX filtered_subscription ON filtered (subscription_id, id)")
    db.execute("CREATE INDEX filtered_post ON filtered (post_id)")


@migrations()
def m012_subscription_pause(db: Database) -> None:
    # /pause: a chat's own hold on one subscription, apart from paused_reason (the chat forbade
    # us). The source is still polled and its posts recorded, so /resume N can deliver the
    # last of them; the fan-out leaves a held subscription out.
    if "paused_at" not in db["subscriptions"].columns_dict:
        db.execute("ALTER TABLE subscriptions ADD COLUMN paused_at REAL")


@migrations()
def m013_subscription_changes(db: Database) -> None:
    # What a subscription does with posts that change after delivery (bot/changes.py):
    # edits "update" | "hold", deleted "remove" | "mark".
    db.execute("ALTER TABLE subscriptions ADD COLUMN edits TEXT NOT NULL DEFAULT 'update'")
    db.execute("ALTER TABLE subscriptions ADD COLUMN deleted TEXT NOT NULL DEFAULT 'remove'")
    # One re-read per recorded post whose edit window was still open when it was read:
    # due once the window has closed; state due -> done (or gone: deleted on Threads).
    db.execute(
        """CREATE TABLE rereads (
            source_id INTEGER NOT NULL,
            post_id TEXT NOT NULL,
            due_at REAL NOT NULL,
            state TEXT NOT NULL DEFAULT 'due',
            attempts INTEGER NOT NULL DEFAULT 0,
            done_at REAL,
            PRIMARY KEY (source_id, post_id)
        )"""
    )
    db.execute("CREATE INDEX rereads_due ON rereads (state, due_at)")
    # A chat message marked "deleted on Threads" is never edited again.
    db.execute("ALTER TABLE messages ADD COLUMN gone_at REAL")
    db.execute("CREATE INDEX messages_post ON messages (post_id)")


@migrations()
def m014_ghost_expiry(db: Database) -> None:
    # Chat messages of delivered ghost posts, removed from the chat when the post expires on
    # Threads; a row goes once its message is deleted (or found gone).
    db.execute(
        """CREATE TABLE ghost_expiry (
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            topic_id TEXT NOT NULL DEFAULT '',
            message_id TEXT NOT NULL,
            post_id TEXT NOT NULL,
            expires_at REAL NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (platform, chat_id, message_id)
        )"""
    )
    db.execute("CREATE INDEX ghost_expiry_due ON ghost_expiry (expires_at)")
