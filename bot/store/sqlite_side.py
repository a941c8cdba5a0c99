"""What the SQLite store keeps beside the interviews (bot/reminders): reminders until sent,
the verdict records `gjz notify` compares, and the chats that opted out with /mute.

A mixin of SQLiteStore: its writer connection (``_db``, on the store's one thread), reader
and Sealing. A reminder is claimed atomically (BEGIN IMMEDIATE takes SQLite's write lock, so
two processes on one file never both claim it), sent, then deleted: a claim is a lease, so a
sender killed mid-send leaves the reminder to be claimed again once the lease lapses.
"""

from __future__ import annotations

import secrets
import time

from .base import DueReminder, pending_list, reminder_rows

MIGRATION = """
    CREATE TABLE reminders (
        chat_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        due_at REAL NOT NULL,
        body TEXT NOT NULL,
        lease_until REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_id, key)
    );
    CREATE INDEX reminders_due ON reminders (due_at);
    CREATE TABLE verdicts (
        chat_id INTEGER PRIMARY KEY,
        record TEXT NOT NULL,
        made_at REAL NOT NULL
    );
    CREATE INDEX verdicts_made ON verdicts (made_at);
    CREATE TABLE muted (
        chat_id INTEGER PRIMARY KEY,
        muted_at REAL NOT NULL
    )
"""

SIDE_TABLES = ("reminders", "verdicts", "muted")


def _lease(seconds: float) -> float:
    """A lease end no other claim shares (a random fraction of a millisecond on top)."""
    return time.time() + seconds + secrets.randbelow(10**6) / 1e9


class SQLiteSide:
    # ------------------------------------------------------------- inside a turn

    def _pending_reminders(self, reader, chat_id: int) -> list[dict]:
        rows = reader.execute(
            "SELECT key, body FROM reminders WHERE chat_id = ? ORDER BY due_at", (chat_id,)
        ).fetchall()
        return pending_list(chat_id, rows, self._seal) if rows else []

    def _side_writes(self, chat_id: int, turn) -> None:
        """A turn's reminders, cancellations, verdict record and /mute, in its transaction."""
        db = self._db
        if turn.forget:
            for table in SIDE_TABLES:
                db.execute(f"DELETE FROM {table} WHERE chat_id = ?", (chat_id,))
            return
        if turn.cancel_reminders:
            db.executemany(
                "DELETE FROM reminders WHERE chat_id = ? AND key = ?", [(chat_id, key) for key in turn.cancel_reminders]
            )
        if turn.reminders:
            db.executemany(
                "INSERT OR REPLACE INTO reminders (chat_id, key, due_at, body, lease_until) VALUES (?, ?, ?, ?, 0)",
                reminder_rows(chat_id, turn.reminders, self._seal),
            )
        if turn.record is not None:
            db.execute(
                "INSERT OR REPLACE INTO verdicts (chat_id, record, made_at) VALUES (?, ?, ?)",
                (chat_id, self._seal.record(chat_id, turn.record), time.time()),
            )
        if turn.mute is True:
            db.execute("INSERT OR IGNORE INTO muted (chat_id, muted_at) VALUES (?, ?)", (chat_id, time.time()))
        elif turn.mute is False:
            db.execute("DELETE FROM muted WHERE chat_id = ?", (chat_id,))

    def _prune_side(self, now: float) -> None:
        self._db.execute("DELETE FROM verdicts WHERE made_at < ?", (now - self._retention.total_seconds(),))

    def _rotate_side(self) -> tuple[int, int]:
        db, resealed, seen = self._db, 0, 0
        for chat_id, key, stored in db.execute("SELECT chat_id, key, body FROM reminders").fetchall():
            seen += 1
            fresh = self._seal.reseal("reminders", f"{chat_id}:{key}", stored)
            if fresh is not None:
                resealed += db.execute(
                    "UPDATE reminders SET body = ? WHERE chat_id = ? AND key = ? AND body = ?",
                    (fresh, chat_id, key, stored),
                ).rowcount
        for chat_id, stored in db.execute("SELECT chat_id, record FROM verdicts").fetchall():
            seen += 1
            fresh = self._seal.reseal("verdicts", chat_id, stored)
            if fresh is not None:
                resealed += db.execute(
                    "UPDATE verdicts SET record = ? WHERE chat_id = ? AND record = ?", (fresh, chat_id, stored)
                ).rowcount
        return resealed, seen

    # ------------------------------------------------------------- reminders

    async def claim_reminders(self, now: float, limit: int = 50, lease_seconds: float = 300) -> list[DueReminder]:
        """Due reminders (due_at <= now) nobody holds, leased to this caller."""
        return await self._run(self._claim, now, limit, lease_seconds)

    def _claim(self, now: float, limit: int, lease_seconds: float) -> list[DueReminder]:
        db, lease = self._db, _lease(lease_seconds)
        db.execute("BEGIN IMMEDIATE")
        try:
            rows = db.execute(
                "SELECT chat_id, key, due_at, body FROM reminders WHERE due_at <= ? AND lease_until < ? "
                "ORDER BY due_at LIMIT ?",
                (now, time.time(), limit),
            ).fetchall()
            db.executemany(
                "UPDATE reminders SET lease_until = ? WHERE chat_id = ? AND key = ?",
                [(lease, c, k) for c, k, _, _ in rows],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return [DueReminder(c, k, d, self._seal.open_reminder(c, k, b), lease) for c, k, d, b in rows]

    async def due_reminders(self, now: float) -> list[DueReminder]:
        """What is due, without claiming it (for --dry-run)."""

        def read():
            return self._db.execute(
                "SELECT chat_id, key, due_at, body FROM reminders WHERE due_at <= ? ORDER BY due_at", (now,)
            ).fetchall()

        return [DueReminder(c, k, d, self._seal.open_reminder(c, k, b), 0) for c, k, d, b in await self._run(read)]

    async def finish_reminder(self, due: DueReminder) -> None:
        """Sent (or refused for good): gone, its text with it."""
        await self._run(
            self._autocommit,
            "DELETE FROM reminders WHERE chat_id = ? AND key = ? AND lease_until = ?",
            (due.chat_id, due.key, due.lease),
        )

    async def release_reminder(self, due: DueReminder) -> None:
        """Not sent (a transient error): free to be claimed again at once."""
        await self._run(
            self._autocommit,
            "UPDATE reminders SET lease_until = 0 WHERE chat_id = ? AND key = ? AND lease_until = ?",
            (due.chat_id, due.key, due.lease),
        )

    async def reminder_count(self) -> int:
        return await self._run(lambda: self._db.execute("SELECT COUNT(*) FROM reminders").fetchone()[0])

    def _autocommit(self, sql: str, params: tuple) -> None:
        self._db.execute(sql, params)  # isolation_level=None: one statement, its own transaction

    # ------------------------------------------------------------- verdict records

    async def verdict_records(self) -> list[tuple[int, dict, bool]]:
        """(chat_id, record, muted) for every verdict record within the retention."""

        def read():
            return self._db.execute(
                "SELECT v.chat_id, v.record, m.chat_id IS NOT NULL FROM verdicts v LEFT JOIN muted m "
                "ON m.chat_id = v.chat_id WHERE v.made_at >= ? ORDER BY v.chat_id",
                (time.time() - self._retention.total_seconds(),),
            ).fetchall()

        return [(c, self._seal.open_record(c, r), bool(m)) for c, r, m in await self._run(read)]

    async def replace_verdict_record(self, chat_id: int, record: dict) -> None:
        await self._run(
            self._autocommit,
            "UPDATE verdicts SET record = ? WHERE chat_id = ?",
            (self._seal.record(chat_id, record), chat_id),
        )
