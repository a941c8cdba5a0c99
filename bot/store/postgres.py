"""The shared store: PostgreSQL through an asyncpg pool, for several workers on one database.

Rows are keyed by a keyed hash of the chat id, not the id (postgres_keys.py), so what a
/forget leaves in dead row versions and pg_wal names no chat.

Each turn is one transaction that first takes a transaction-level advisory lock keyed by the
chat('s key), so the turns of one chat run one at a time across every process while other chats
(other keys) go on in parallel. The lock is released by COMMIT/ROLLBACK, so a worker that dies
mid-turn cannot leave a chat locked. A lock keyed by the id itself needs no row to exist yet,
which a SELECT ... FOR UPDATE on a new chat's (missing) row would not give.

State and replies are sealed (crypto.py) with ``GJZ_DATA_KEY`` before they are sent, so the
table files, dead row versions left until VACUUM, pg_wal and pg_dump output hold ciphertext
only; the server never sees a plaintext answer. migrate-store opens and re-seals each
interview, so SQLite and PostgreSQL may use different keys.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Awaitable, Callable

import asyncpg

from ..dialog.turn import Turn
from .base import KEEP_UPDATES, Sealing, StateStore, TurnResult, pending_list, retention, with_pending
from .crypto import DataKeys, resolve_keys
from .postgres_keys import ChatKeys, load_chat_keys, rekey_by_chat_hash, reseal_secret
from .postgres_side import MIGRATION as SIDE_MIGRATION
from .postgres_side import PostgresSide, has_side_writes, put_chat_row, side_writes

log = logging.getLogger(__name__)

# Versioned migrations: each runs once, in order, recorded in schema_version. Append only.
MIGRATIONS: list[str | Callable[[asyncpg.Connection, DataKeys], Awaitable[None]]] = [
    """
    CREATE TABLE interviews (
        chat_id BIGINT PRIMARY KEY,
        state JSON NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE TABLE processed_updates (
        update_id BIGINT PRIMARY KEY,
        chat_id BIGINT NOT NULL,
        replies JSON NOT NULL,
        processed_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX processed_updates_chat ON processed_updates (chat_id);
    CREATE INDEX processed_updates_time ON processed_updates (processed_at);
    """,
    # Sealed values are text, not JSON; retention deletes idle interviews by age.
    """
    ALTER TABLE interviews ALTER COLUMN state TYPE TEXT;
    ALTER TABLE processed_updates ALTER COLUMN replies TYPE TEXT;
    CREATE INDEX interviews_updated ON interviews (updated_at);
    """,
    # Reminders until sent, verdict records for `gjz notify`, /mute (postgres_side.py).
    SIDE_MIGRATION,
    # Every chat's rows keyed by HMAC(secret, chat id), the id itself sealed (postgres_keys.py).
    rekey_by_chat_hash,
]

# Advisory lock keys. Chats use the one-bigint key space (the first 8 bytes of the chat key:
# two chats sharing them would only wait for each other); our own housekeeping uses the two-int key space, which
# PostgreSQL keeps apart from the bigint one, so it can never collide with a chat.
LOCK_NAMESPACE = 0x676A7A  # "gjz"
MIGRATION_LOCK = 1
PRUNE_LOCK = 2


class PostgresStore(PostgresSide, StateStore):
    def __init__(self, url: str, pool_size: int = 10, connect_timeout: float = 10.0, keys: DataKeys | None = None):
        self.url = url
        self.pool_size = pool_size
        self.connect_timeout = connect_timeout
        self._seal = Sealing(keys) if keys else None  # None: GJZ_DATA_KEY, read at open
        self._pool: asyncpg.Pool | None = None
        self._chats: ChatKeys | None = None

    # ---------------------------------------------------------------- lifecycle

    async def open(self) -> None:
        self._seal = self._seal or Sealing(resolve_keys(None))  # before connecting: a missing key fails fast
        self._retention = retention()
        # min_size=1: N workers x pool_size must fit max_connections; idle ones are not kept.
        self._pool = await asyncpg.create_pool(
            self.url, min_size=1, max_size=self.pool_size, timeout=self.connect_timeout
        )
        try:
            async with self._pool.acquire() as conn:
                await migrate(conn, self._seal.keys)
                self._chats = await load_chat_keys(conn, self._seal.keys)
            await self.prune()
        except BaseException:
            await self._pool.close()
            self._pool = None
            raise
        self._start_housekeeping()

    async def close(self) -> None:
        await self._stop_housekeeping()
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    # ---------------------------------------------------------------- turns

    async def run_turn(self, chat_id: int, update_id: int | None, engine: Callable[[dict | None], Turn]) -> TurnResult:
        """Four round trips (seven before): BEGIN with the chat's lock, both reads in one
        statement, both writes in one, COMMIT. The reads must be a statement after the lock:
        READ COMMITTED takes a statement's snapshot when it starts, so only a statement that
        begins after the lock is granted sees what another worker committed for this chat."""
        key = self._chats.of(chat_id)
        async with self._pool.acquire() as conn:
            # Held until this transaction ends; a second worker on the same chat waits here.
            # The lock number is an int, formatted as one: the simple protocol takes no parameters.
            await conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({ChatKeys.lock(key)}::bigint)")
            try:
                row = await conn.fetchrow(
                    "SELECT (SELECT replies FROM processed_updates WHERE update_id = $2) AS replies, "
                    "(SELECT state FROM interviews WHERE chat_key = $1) AS state, "
                    "(SELECT json_agg(json_build_array(key, body) ORDER BY due_at) FROM reminders "
                    "WHERE chat_key = $1)::text AS reminders",
                    key,
                    update_id,
                )
                if update_id is not None and row["replies"] is not None:
                    await conn.execute("COMMIT")
                    return TurnResult(self._seal.open_replies(update_id, row["replies"]), duplicate=True)
                if row["reminders"] is not None:  # laid over the state: they outlive the interview
                    engine = with_pending(engine, pending_list(chat_id, json.loads(row["reminders"]), self._seal))
                turn = engine(self._seal.open_state(chat_id, row["state"]))  # raising rolls back
                if turn.forget or turn.state is None or update_id is None:
                    await _write(conn, self._seal, self._chats, chat_id, update_id, turn)
                else:
                    chat = self._chats.seal_chat(key, chat_id)
                    await conn.execute(
                        "WITH saved AS (INSERT INTO interviews (chat_key, chat, state, updated_at) "
                        "VALUES ($1, $2, $3, now()) "
                        "ON CONFLICT (chat_key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at) "
                        "INSERT INTO processed_updates (update_id, chat_key, chat, replies, processed_at) "
                        "VALUES ($4, $1, $2, $5, now()) ON CONFLICT (update_id) DO UPDATE SET chat_key = "
                        "excluded.chat_key, chat = excluded.chat, replies = excluded.replies, "
                        "processed_at = excluded.processed_at",
                        key,
                        chat,
                        self._seal.state(chat_id, turn.state),
                        update_id,
                        self._seal.replies(update_id, turn),
                    )
                if has_side_writes(turn):
                    await side_writes(conn, self._seal, self._chats, chat_id, turn)
                await conn.execute("COMMIT")
            except BaseException:
                if not conn.is_closed():
                    with contextlib.suppress(Exception):  # the connection is gone: the server rolled back already
                        await conn.execute("ROLLBACK")
                raise
        return TurnResult(turn.replies, duplicate=False, turn=turn)

    async def mark_delivered(self, update_id: int) -> None:
        await self.mark_delivered_many([update_id])

    async def mark_delivered_many(self, update_ids: list[int]) -> None:
        # Keep the ids (a late duplicate is still recognised) but no reply text.
        await self._pool.execute(
            "UPDATE processed_updates SET replies = '[]' WHERE update_id = ANY($1::bigint[])", update_ids
        )

    async def pending_replies(self) -> list[tuple[int, int, list]]:
        """(update_id, chat_id, replies) committed but never marked delivered, oldest first."""
        rows = await self._pool.fetch(
            "SELECT update_id, chat_key, chat, replies FROM processed_updates "
            "WHERE replies::text <> '[]' ORDER BY update_id"
        )
        return [
            (
                r["update_id"],
                self._chats.open_chat(r["chat_key"], r["chat"]),
                self._seal.open_replies(r["update_id"], r["replies"]),
            )
            for r in rows
        ]

    async def prune(self) -> int:
        """Old update ids and idle interviews; one worker at a time, the others skip the round.
        An expired chat is deleted under its own lock, so a turn in progress is never cut."""
        expired = 0
        try:
            async with self._pool.acquire() as conn, conn.transaction():
                if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1, $2)", LOCK_NAMESPACE, PRUNE_LOCK):
                    return 0
                await conn.execute(
                    "DELETE FROM processed_updates WHERE processed_at < now() - $1::interval", KEEP_UPDATES
                )
                for row in await conn.fetch(
                    "SELECT chat_key FROM interviews WHERE updated_at < now() - $1::interval", self._retention
                ):
                    await conn.execute("SELECT pg_advisory_xact_lock($1::bigint)", ChatKeys.lock(row[0]))
                    expired += int(
                        (
                            await conn.execute(
                                "DELETE FROM interviews WHERE chat_key = $1 AND updated_at < now() - $2::interval",
                                row[0],
                                self._retention,
                            )
                        ).split()[-1]
                    )
                    await conn.execute("DELETE FROM processed_updates WHERE chat_key = $1", row[0])
                await self._prune_side(conn)
        except (asyncpg.PostgresError, OSError) as exc:  # housekeeping: never fail a turn over it
            log.warning("pruning failed: %s", type(exc).__name__)
            return 0
        if expired:
            log.info("retention: deleted idle interviews", extra={"count": expired})
        return expired

    async def rotate_keys(self) -> tuple[int, int]:
        """Each row re-sealed (its value and its sealed chat id) under its chat's lock
        (interviews) or conditionally (the others), so workers may keep serving, provided they
        were restarted with the new key list first. The chat keys do not change: their secret
        is re-sealed, not replaced (postgres_keys.py)."""
        await reseal_secret(self._pool, self._seal.keys)
        resealed = seen = 0
        for (key,) in await self._pool.fetch("SELECT chat_key FROM interviews ORDER BY chat_key"):
            async with self._pool.acquire() as conn, conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock($1::bigint)", ChatKeys.lock(key))
                row = await conn.fetchrow("SELECT chat, state FROM interviews WHERE chat_key = $1", key)
                if row is None:
                    continue
                seen += 1
                chat_id = self._chats.open_chat(key, row["chat"])
                state = self._seal.reseal("interviews", chat_id, row["state"])
                chat = self._chats.reseal_chat(key, row["chat"])
                if state is not None or chat is not None:
                    await conn.execute(
                        "UPDATE interviews SET state = COALESCE($2, state), chat = COALESCE($3, chat) "
                        "WHERE chat_key = $1",
                        key,
                        state,
                        chat,
                    )
                    resealed += 1
        counts = [
            (resealed, seen),
            await self._reseal_unchanged("processed_updates", "replies", ("update_id",), lambda r: r["update_id"]),
            *await self._rotate_side(),
        ]
        return sum(c[0] for c in counts), sum(c[1] for c in counts)

    # ---------------------------------------------------------------- plain access

    def chat_key(self, chat_id: int) -> bytes:
        """What the chat's rows are keyed by (for tests and probes that read the tables)."""
        return self._chats.of(chat_id)

    async def load(self, chat_id: int) -> dict | None:
        text = await self._pool.fetchval("SELECT state FROM interviews WHERE chat_key = $1", self._chats.of(chat_id))
        return self._seal.open_state(chat_id, text)

    async def save(self, chat_id: int, state: dict) -> None:
        await self._write_alone(chat_id, Turn(state))

    async def delete(self, chat_id: int) -> None:
        await self._write_alone(chat_id, Turn(None, forget=True))

    async def _write_alone(self, chat_id: int, turn: Turn) -> None:
        # Under the chat's lock too, so a save or delete never interleaves with a turn.
        async with self._pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1::bigint)", ChatKeys.lock(self._chats.of(chat_id)))
            await _write(conn, self._seal, self._chats, chat_id, None, turn)

    async def chat_ids(self) -> list[int]:
        rows = await self._pool.fetch("SELECT chat_key, chat FROM interviews")
        return sorted(self._chats.open_chat(r["chat_key"], r["chat"]) for r in rows)


async def _write(
    conn: asyncpg.Connection, seal: Sealing, chats: ChatKeys, chat_id: int, update_id: int | None, turn: Turn
) -> None:
    """The writes of a turn, inside the caller's transaction (same rules as the SQLite store)."""
    key = chats.of(chat_id)
    if has_side_writes(turn):
        await side_writes(conn, seal, chats, chat_id, turn)
    if turn.forget or turn.state is None:
        await conn.execute("DELETE FROM interviews WHERE chat_key = $1", key)
        await conn.execute("DELETE FROM processed_updates WHERE chat_key = $1", key)
    else:
        await put_chat_row(conn, chats, chat_id, "interviews", "state", "updated_at", seal.state(chat_id, turn.state))
    if update_id is not None:
        # A /forget's own update id is kept (to recognise a re-delivery) naming no chat.
        named = not turn.forget
        await conn.execute(
            "INSERT INTO processed_updates (update_id, chat_key, chat, replies, processed_at) "
            "VALUES ($1, $2, $3, $4, now()) ON CONFLICT (update_id) DO UPDATE SET chat_key = excluded.chat_key, "
            "chat = excluded.chat, replies = excluded.replies, processed_at = excluded.processed_at",
            update_id,
            key if named else None,
            chats.seal_chat(key, chat_id) if named else None,
            seal.replies(update_id, turn),
        )


async def migrate(conn: asyncpg.Connection, keys: DataKeys) -> int:
    """Apply pending migrations; returns the schema version. Safe from many processes at once.

    The advisory lock is the transaction's first statement, so even ``CREATE TABLE IF NOT
    EXISTS schema_version`` (which races on the catalog without it) runs one worker at a time;
    the others wait, then find nothing left to do. A migration is SQL, or a function of the
    connection and the data keys for one that must seal or hash what it moves.
    """
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", LOCK_NAMESPACE, MIGRATION_LOCK)
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        current = await conn.fetchval("SELECT COALESCE(MAX(version), 0) FROM schema_version")
        for version, step in enumerate(MIGRATIONS, start=1):
            if version > current:
                if isinstance(step, str):
                    await conn.execute(step)  # no arguments: several statements in one go
                else:
                    await step(conn, keys)
                await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", version)
                log.info("store schema migrated to version %d", version)
        return max(current, len(MIGRATIONS))
