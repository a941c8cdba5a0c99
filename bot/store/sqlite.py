"""The embedded store: one SQLite file, durable (WAL, synchronous=FULL) before any reply.

sqlite3 is blocking, so every statement runs on one worker thread; a per-chat asyncio lock
keeps one turn per chat at a time while other chats go on.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from ..dialog.engine import Turn
from .base import (KEEP_UPDATES, PRUNE_EVERY_TURNS, StateStore, TurnResult, replies_from_json, state_from_json,
                   state_to_json, stored_replies)

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
]


class SQLiteStore(StateStore):
    def __init__(self, path: Path):
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gjz-sqlite")
        self._locks: dict[int, asyncio.Lock] = {}
        self._turns = 0

    async def _run(self, fn, *args):
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    # ---------------------------------------------------------------- lifecycle

    async def open(self) -> None:
        await self._run(self._open)

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")  # a committed turn survives kill -9 and power loss
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

    async def close(self) -> None:
        if self._db is not None:
            await self._run(self._db.close)
            self._db = None
        self._executor.shutdown(wait=True)

    # ---------------------------------------------------------------- turns

    async def run_turn(self, chat_id: int, update_id: int | None,
                       engine: Callable[[dict | None], Turn]) -> TurnResult:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        async with lock:
            if update_id is not None:
                stored = await self._run(self._processed, update_id)
                if stored is not None:
                    return TurnResult(replies_from_json(stored), duplicate=True)
            state = await self._run(self._load, chat_id)
            turn = engine(state)
            await self._run(self._commit, chat_id, update_id, turn)
            self._turns += 1
            if self._turns % PRUNE_EVERY_TURNS == 0:
                await self._run(self._prune)
            return TurnResult(turn.replies, duplicate=False, turn=turn)

    def _processed(self, update_id: int) -> str | None:
        row = self._db.execute("SELECT replies FROM processed_updates WHERE update_id = ?", (update_id,)).fetchone()
        return row[0] if row else None

    def _load(self, chat_id: int) -> dict | None:
        row = self._db.execute("SELECT state FROM interviews WHERE chat_id = ?", (chat_id,)).fetchone()
        return state_from_json(row[0] if row else None)

    def _commit(self, chat_id: int, update_id: int | None, turn: Turn) -> None:
        db = self._db
        now = time.time()
        db.execute("BEGIN IMMEDIATE")
        try:
            if turn.forget or turn.state is None:
                db.execute("DELETE FROM interviews WHERE chat_id = ?", (chat_id,))
                db.execute("DELETE FROM processed_updates WHERE chat_id = ?", (chat_id,))
            else:
                db.execute("INSERT INTO interviews (chat_id, state, updated_at) VALUES (?, ?, ?) "
                           "ON CONFLICT (chat_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                           (chat_id, state_to_json(turn.state), now))
            if update_id is not None:
                db.execute("INSERT OR REPLACE INTO processed_updates (update_id, chat_id, replies, processed_at) "
                           "VALUES (?, ?, ?, ?)", (update_id, chat_id, stored_replies(turn), now))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    async def mark_delivered(self, update_id: int) -> None:
        await self._run(self._db.execute, "UPDATE processed_updates SET replies = '[]' WHERE update_id = ?",
                        (update_id,))

    def _prune(self) -> None:
        self._db.execute("DELETE FROM processed_updates WHERE processed_at < ?", (time.time() - KEEP_UPDATES.total_seconds(),))

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
