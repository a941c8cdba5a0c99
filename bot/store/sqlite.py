"""The embedded store: one SQLite file, durable (WAL, synchronous=FULL) before any reply.

sqlite3 is blocking: a turn's reads (microseconds, WAL) run on the event loop through a
read-only connection, its writes in one transaction on the one writer thread; a per-chat
asyncio lock keeps one turn per chat at a time while other chats go on.

Private at rest: values are sealed (crypto.py) with the keys of ``gjz.key`` beside the file
or ``GJZ_DATA_KEY``; the folder is made 700 and the files 600 whatever the umask;
secure_delete zeroes what a DELETE frees, and after a /forget a WAL checkpoint(TRUNCATE)
empties the WAL, so no copy of the forgotten rows stays in the files.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..dialog.turn import Turn
from .base import KEEP_UPDATES, NO_CHAT, Sealing, StateStore, TurnResult, retention, with_pending
from .crypto import DataKeys, resolve_keys
from .sqlite_side import MIGRATION as SIDE_MIGRATION
from .sqlite_side import SQLiteSide

log = logging.getLogger("gjz.store")

# Versioned migrations: each runs once, in order, recorded in schema_version.
MIGRATIONS = [
    """
    CREATE TABLE interviews (
        chat_id INTEGER PRIMARY KEY,
        state TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE processed_updates (
        update_id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        replies TEXT NOT NULL,
        processed_at REAL NOT NULL
    );
    CREATE INDEX processed_updates_chat ON processed_updates (chat_id);
    """,
    # Retention deletes idle interviews by age (state and replies are sealed text from now on).
    """
    CREATE INDEX interviews_updated ON interviews (updated_at);
    """,
    # Reminders until sent, verdict records for `gjz notify`, /mute (sqlite_side.py).
    SIDE_MIGRATION,
]


class SQLiteStore(SQLiteSide, StateStore):
    def __init__(self, path: Path, keys: DataKeys | None = None):
        self.path = Path(path)
        self._keys = keys  # None: resolved at open (GJZ_DATA_KEY, else gjz.key beside the file)
        self._seal: Sealing | None = None
        self._db: sqlite3.Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gjz-sqlite")
        self._locks: dict[int, asyncio.Lock] = {}
        self._queued: list[tuple] = []  # turns waiting for the next group commit
        self._flushing = False

    async def _run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    # ---------------------------------------------------------------- lifecycle

    async def open(self) -> None:
        await self._run(self._open)
        await self.prune()
        self._start_housekeeping()

    def _private_files(self) -> None:
        """Folder 700 (when we create it), database file 600 before SQLite opens it: SQLite
        gives the -wal and -shm files the database file's mode, whatever the umask."""
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        for name in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            if name.exists() and name.stat().st_mode & 0o077:
                os.chmod(name, 0o600)  # a file from an older version, or copied in with a wider mode

    def _open(self) -> None:
        self._private_files()
        self._seal = Sealing(self._keys or resolve_keys(self.path.parent))
        self._retention = retention()
        # One connection on one thread, for every turn. A lock held by another process (gjz
        # rotate-key, a backup) is waited for 5 s, then the turn fails and is retried later,
        # its update still unconfirmed.
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5, cached_statements=64)
        db.execute("PRAGMA secure_delete=ON")  # freed row bytes are zeroed, not left in free pages
        db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; one fsync per commit
        # FULL: the WAL is fsynced at every commit, so a turn whose update is then confirmed to
        # Telegram survives kill -9 *and* power loss (NORMAL would survive kill -9 only, losing
        # the last turns to a power cut after Telegram has forgotten them). ~0.4 ms a commit here.
        db.execute("PRAGMA synchronous=FULL")
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
            current = row[0] or 0
            for version, sql in enumerate(MIGRATIONS, start=1):
                if version > current:
                    for statement in filter(str.strip, sql.split(";")):
                        db.execute(statement)
                    db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self._db = db
        # Reads of a turn run on the event loop through their own connection: in WAL mode a
        # reader sees the last commit and never waits for the writer, and a primary-key
        # lookup takes microseconds, less than a trip to the thread. The per-chat lock makes
        # a chat's previous turn committed before its next one reads.
        self._reader = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=5)
        self._reader.execute("PRAGMA query_only=ON")

    async def close(self) -> None:
        await self._stop_housekeeping()
        if self._db is not None:
            self._reader.close()
            await self._run(self._db.close)
            self._db = None
        self._executor.shutdown(wait=True)

    # ---------------------------------------------------------------- turns

    async def run_turn(self, chat_id: int, update_id: int | None, engine: Callable[[dict | None], Turn]) -> TurnResult:
        """Reads here (the reader connection), the engine here, the writes in one transaction
        on the store's thread: one trip there per turn. The writes recheck nothing: only this
        process writes turns (one getUpdates consumer), and the chat's lock is held."""
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            try:
                reader = self._reader
                if update_id is not None:
                    row = reader.execute(
                        "SELECT replies FROM processed_updates WHERE update_id = ?", (update_id,)
                    ).fetchone()
                    if row is not None:
                        return TurnResult(self._seal.open_replies(update_id, row[0]), duplicate=True)
                row = reader.execute("SELECT state FROM interviews WHERE chat_id = ?", (chat_id,)).fetchone()
                engine = with_pending(engine, self._pending_reminders(reader, chat_id))
                turn = engine(self._seal.open_state(chat_id, row[0] if row else None))
                await self._group_commit(chat_id, update_id, turn)
                return TurnResult(turn.replies, duplicate=False, turn=turn)
            finally:
                if not lock._waiters:  # nobody queued behind: do not keep a lock per chat ever seen
                    self._locks.pop(chat_id, None)

    async def _group_commit(self, chat_id: int, update_id: int | None, turn: Turn) -> None:
        """Durable when it returns. Turns of different chats that arrive while a commit is
        being written go into the next one together: one fsync for the group, not one each,
        so synchronous=FULL costs one disk flush per batch however many chats are busy."""
        done = asyncio.get_running_loop().create_future()
        self._queued.append((chat_id, update_id, turn, done))
        if not self._flushing:
            self._flushing = True
            asyncio.get_running_loop().create_task(self._flush())
        await done

    async def _flush(self) -> None:
        try:
            while self._queued:
                group, self._queued = self._queued, []
                try:
                    await self._run(self._commit_group, group)
                except Exception as exc:  # the whole group rolled back: each turn fails, is retried
                    for *_, done in group:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for *_, done in group:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._flushing = False

    def _commit_group(self, group: list[tuple]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            for chat_id, update_id, turn, _ in group:
                self._writes(chat_id, update_id, turn)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if any(turn.forget for _, _, turn, _ in group):
            self._checkpoint()

    def _processed(self, update_id: int) -> str | None:
        row = self._db.execute("SELECT replies FROM processed_updates WHERE update_id = ?", (update_id,)).fetchone()
        return row[0] if row else None

    def _load(self, chat_id: int) -> dict | None:
        row = self._db.execute("SELECT state FROM interviews WHERE chat_id = ?", (chat_id,)).fetchone()
        return self._seal.open_state(chat_id, row[0] if row else None)

    def _commit(self, chat_id: int, update_id: int | None, turn: Turn) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            self._writes(chat_id, update_id, turn)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if turn.forget:
            self._checkpoint()

    def _writes(self, chat_id: int, update_id: int | None, turn: Turn) -> None:
        """A turn's writes, inside the caller's transaction."""
        db = self._db
        now = time.time()
        forget = turn.forget or turn.state is None
        if forget:
            db.execute("DELETE FROM interviews WHERE chat_id = ?", (chat_id,))
            db.execute("DELETE FROM processed_updates WHERE chat_id = ?", (chat_id,))
        else:
            db.execute(
                "INSERT INTO interviews (chat_id, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                (chat_id, self._seal.state(chat_id, turn.state), now),
            )
        self._side_writes(chat_id, turn)
        if update_id is not None:
            db.execute(
                "INSERT OR REPLACE INTO processed_updates (update_id, chat_id, replies, processed_at) "
                "VALUES (?, ?, ?, ?)",
                (update_id, NO_CHAT if turn.forget else chat_id, self._seal.replies(update_id, turn), now),
            )

    def _checkpoint(self) -> None:
        """Copy the WAL into the (secure_delete-zeroed) file and truncate it to nothing, so the
        deleted rows' earlier page images leave the WAL now, not ~1000 pages later."""
        busy, _, _ = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:  # another connection reads an old snapshot; the next checkpoint finishes it
            log.warning("WAL checkpoint after a deletion was blocked by a reader; retried at the next one")

    async def mark_delivered(self, update_id: int) -> None:
        await self.mark_delivered_many([update_id])

    async def mark_delivered_many(self, update_ids: list[int]) -> None:
        """A batch of delivered updates in one commit (one fsync, not one each)."""
        await self._run(self._mark_delivered, update_ids)

    def _mark_delivered(self, update_ids: list[int]) -> None:
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "UPDATE processed_updates SET replies = '[]' WHERE update_id = ?", [(i,) for i in update_ids]
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    async def pending_replies(self) -> list[tuple[int, int, list]]:
        """(update_id, chat_id, replies) committed but never marked delivered, oldest first:
        what a crash left between the commit and the send, replayed at start."""
        rows = await self._run(
            lambda: self._db.execute(
                "SELECT update_id, chat_id, replies FROM processed_updates WHERE replies != '[]' ORDER BY update_id"
            ).fetchall()
        )
        return [(u, c, self._seal.open_replies(u, r)) for u, c, r in rows]

    async def prune(self) -> int:
        return await self._run(self._prune)

    def _prune(self) -> int:
        db, now = self._db, time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM processed_updates WHERE processed_at < ?", (now - KEEP_UPDATES.total_seconds(),))
            expired = [
                r[0]
                for r in db.execute(
                    "SELECT chat_id FROM interviews WHERE updated_at < ?", (now - self._retention.total_seconds(),)
                )
            ]
            for chat_id in expired:
                db.execute("DELETE FROM interviews WHERE chat_id = ?", (chat_id,))
                db.execute("DELETE FROM processed_updates WHERE chat_id = ?", (chat_id,))
            self._prune_side(now)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if expired:
            self._checkpoint()
            log.info("retention: deleted idle interviews", extra={"count": len(expired)})
        return len(expired)

    async def rotate_keys(self) -> tuple[int, int]:
        return await self._run(self._rotate)

    def _rotate(self) -> tuple[int, int]:
        """Row by row, each write conditional on the row being unchanged since it was read, so
        a turn that commits meanwhile (a bot on the same file) is never overwritten."""
        db, resealed, seen = self._db, 0, 0
        for table, key, column in (("interviews", "chat_id", "state"), ("processed_updates", "update_id", "replies")):
            for row_id, stored in db.execute(f"SELECT {key}, {column} FROM {table}").fetchall():
                seen += 1
                fresh = self._seal.reseal(table, row_id, stored)
                if fresh is not None:
                    resealed += db.execute(
                        f"UPDATE {table} SET {column} = ? WHERE {key} = ? AND {column} = ?", (fresh, row_id, stored)
                    ).rowcount
        side = self._rotate_side()
        self._checkpoint()  # the rows under the old key leave the WAL too
        return resealed + side[0], seen + side[1]

    # ---------------------------------------------------------------- plain access

    async def load(self, chat_id: int) -> dict | None:
        return await self._run(self._load, chat_id)

    async def save(self, chat_id: int, state: dict) -> None:
        await self._run(self._commit, chat_id, None, Turn(state))

    async def delete(self, chat_id: int) -> None:
        await self._run(self._commit, chat_id, None, Turn(None, forget=True))

    async def chat_ids(self) -> list[int]:
        rows = await self._run(lambda: self._db.execute("SELECT chat_id FROM interviews ORDER BY chat_id").fetchall())
        return [r[0] for r in rows]
