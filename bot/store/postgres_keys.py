"""PostgreSQL rows keyed by a keyed hash of the chat id, never by the id itself.

A deleted row lingers in PostgreSQL's files (dead row versions until VACUUM, pg_wal until it
is recycled), so after /forget whatever names the chat in a key column stays on disk for a
while. Rows are therefore keyed by ``chat_key = HMAC-SHA256(secret, chat id)``: without the
secret, trying every possible id does not find the chat. Where the store must know the real
id (to send a stored reply or a reminder, to list chats for migrate-store), a ``chat`` column
holds it sealed like any other value, bound to its row's key.

The secret is 32 random bytes kept in the database itself, sealed with the data key
(``store_secret``), rather than derived from a data key: a key derived from the newest key
would change at every rotation (every row re-keyed while workers with old and new key
lists run side by side), one derived from the oldest would change when that key is dropped.
A sealed secret is as hard to get as the data key, never changes, and ``gjz rotate-key``
re-seals it like any row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from .crypto import DataKeys

SECRET_NAME = "chat-key"
_SECRET_ROW = "store_secret:chat-key"


class ChatKeys:
    """The chat key of a chat id, its advisory-lock number, and the sealed id beside it."""

    def __init__(self, secret: bytes, keys: DataKeys):
        self._secret = secret
        self.keys = keys

    def of(self, chat_id: int) -> bytes:
        return hmac.new(self._secret, int(chat_id).to_bytes(8, "big", signed=True), hashlib.sha256).digest()

    @staticmethod
    def lock(chat_key: bytes) -> int:
        # The bigint advisory-lock space: two chats sharing the first 8 bytes would only wait
        # for each other, never mix their rows (the row key is all 32 bytes).
        return int.from_bytes(chat_key[:8], "big", signed=True)

    def seal_chat(self, chat_key: bytes, chat_id: int) -> str:
        return self.keys.seal(str(int(chat_id)), f"chat:{chat_key.hex()}")

    def open_chat(self, chat_key: bytes, stored: str) -> int:
        return int(self.keys.open(stored, f"chat:{chat_key.hex()}"))

    def reseal_chat(self, chat_key: bytes, stored: str | None) -> str | None:
        """The sealed id under the newest key, or None when it already is (or there is none)."""
        if stored is None or self.keys.sealed_with_newest(stored):
            return None
        return self.keys.seal(self.keys.open(stored, f"chat:{chat_key.hex()}"), f"chat:{chat_key.hex()}")


async def load_chat_keys(conn, keys: DataKeys) -> ChatKeys:
    """The database's secret, created sealed by the first process to need it (the others,
    racing, keep the winner's: ON CONFLICT DO NOTHING, then read)."""
    fresh = keys.seal(base64.b64encode(secrets.token_bytes(32)).decode("ascii"), _SECRET_ROW)
    await conn.execute(
        "INSERT INTO store_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", SECRET_NAME, fresh
    )
    stored = await conn.fetchval("SELECT value FROM store_secret WHERE name = $1", SECRET_NAME)
    return ChatKeys(base64.b64decode(keys.open(stored, _SECRET_ROW)), keys)


async def reseal_secret(pool, keys: DataKeys) -> None:
    stored = await pool.fetchval("SELECT value FROM store_secret WHERE name = $1", SECRET_NAME)
    if stored is not None and not keys.sealed_with_newest(stored):
        fresh = keys.seal(keys.open(stored, _SECRET_ROW), _SECRET_ROW)
        await pool.execute(
            "UPDATE store_secret SET value = $2 WHERE name = $1 AND value = $3", SECRET_NAME, fresh, stored
        )


# Schema 4: the same tables keyed by chat_key, each with the sealed id where it is needed.
# Built as new tables and the old ones dropped (their files unlinked), not ALTERed: a
# dropped column's values stay inside the rows until each is rewritten.
_SCHEMA = """
    CREATE TABLE store_secret (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE interviews_new (
        chat_key BYTEA PRIMARY KEY,
        chat TEXT NOT NULL,
        state TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE processed_updates_new (
        update_id BIGINT PRIMARY KEY,
        chat_key BYTEA,
        chat TEXT,
        replies TEXT NOT NULL,
        processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE reminders_new (
        chat_key BYTEA NOT NULL,
        key TEXT NOT NULL,
        chat TEXT NOT NULL,
        due_at DOUBLE PRECISION NOT NULL,
        body TEXT NOT NULL,
        lease_until DOUBLE PRECISION NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_key, key)
    );
    CREATE TABLE verdicts_new (
        chat_key BYTEA PRIMARY KEY,
        chat TEXT NOT NULL,
        record TEXT NOT NULL,
        made_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE muted_new (
        chat_key BYTEA PRIMARY KEY,
        muted_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
"""
_TABLES = ("interviews", "processed_updates", "reminders", "verdicts", "muted")
_INDEXES = """
    CREATE INDEX interviews_updated ON interviews (updated_at);
    CREATE INDEX processed_updates_chat ON processed_updates (chat_key);
    CREATE INDEX processed_updates_time ON processed_updates (processed_at);
    CREATE INDEX reminders_due ON reminders (due_at);
    CREATE INDEX verdicts_made ON verdicts (made_at);
"""


async def rekey_by_chat_hash(conn, keys: DataKeys) -> None:
    """Migration 4, inside the migration's transaction: copy every row under its chat key."""
    await conn.execute(_SCHEMA)
    chats = await load_chat_keys(conn, keys)

    def named(chat_id: int) -> tuple[bytes, str]:
        key = chats.of(chat_id)
        return key, chats.seal_chat(key, chat_id)

    rows = await conn.fetch("SELECT chat_id, state, updated_at FROM interviews")
    await conn.executemany(
        "INSERT INTO interviews_new VALUES ($1, $2, $3, $4)", [(*named(r[0]), r[1], r[2]) for r in rows]
    )
    rows = await conn.fetch("SELECT update_id, chat_id, replies, processed_at FROM processed_updates")
    await conn.executemany(
        "INSERT INTO processed_updates_new VALUES ($1, $2, $3, $4, $5)",
        [(r[0], *(named(r[1]) if r[1] else (None, None)), r[2], r[3]) for r in rows],
    )
    rows = await conn.fetch("SELECT chat_id, key, due_at, body, lease_until FROM reminders")
    await conn.executemany(
        "INSERT INTO reminders_new VALUES ($1, $3, $2, $4, $5, $6)", [(*named(r[0]), *r[1:]) for r in rows]
    )
    rows = await conn.fetch("SELECT chat_id, record, made_at FROM verdicts")
    await conn.executemany("INSERT INTO verdicts_new VALUES ($1, $2, $3, $4)", [(*named(r[0]), *r[1:]) for r in rows])
    rows = await conn.fetch("SELECT chat_id, muted_at FROM muted")
    await conn.executemany("INSERT INTO muted_new VALUES ($1, $2)", [(chats.of(r[0]), r[1]) for r in rows])
    for table in _TABLES:
        await conn.execute(f"DROP TABLE {table}; ALTER TABLE {table}_new RENAME TO {table}")
    await conn.execute(_INDEXES)
