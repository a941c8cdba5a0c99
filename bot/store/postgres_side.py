"""What the PostgreSQL store keeps beside the interviews (bot/reminders): reminders until
sent, verdict records for `gjz notify`, the chats that chose /mute. Same rows and meaning as
sqlite_side.py.

Several workers send due reminders at once: a claim is one UPDATE over a sub-select
``FOR UPDATE SKIP LOCKED``, so each due row goes to exactly one worker (a row another worker
is claiming is skipped, not waited for) and carries that claim's lease until it is sent and
deleted, or the lease lapses (a worker killed mid-send) and it is claimed again.
"""

from __future__ import annotations

import secrets
import time

from .base import DueReminder, pending_list, reminder_rows

MIGRATION = """
    CREATE TABLE reminders (
        chat_id BIGINT NOT NULL,
        key TEXT NOT NULL,
        due_at DOUBLE PRECISION NOT NULL,
        body TEXT NOT NULL,
        lease_until DOUBLE PRECISION NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_id, key)
    );
    CREATE INDEX reminders_due ON reminders (due_at);
    CREATE TABLE verdicts (
        chat_id BIGINT PRIMARY KEY,
        record TEXT NOT NULL,
        made_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
    CREATE INDEX verdicts_made ON verdicts (made_at);
    CREATE TABLE muted (
        chat_id BIGINT PRIMARY KEY,
        muted_at TIMESTAMPTZ NOT NULL DEFAULT now()
    );
"""

SIDE_TABLES = ("reminders", "verdicts", "muted")


def _lease(seconds: float) -> float:
    return time.time() + seconds + secrets.randbelow(10**6) / 1e9


async def pending_reminders(conn, seal, chat_id: int) -> list[dict]:
    rows = await conn.fetch("SELECT key, body FROM reminders WHERE chat_id = $1 ORDER BY due_at", chat_id)
    return pending_list(chat_id, [(r["key"], r["body"]) for r in rows], seal) if rows else []


def has_side_writes(turn) -> bool:
    return bool(
        turn.forget or turn.cancel_reminders or turn.reminders or turn.record is not None or turn.mute is not None
    )


async def side_writes(conn, seal, chat_id: int, turn) -> None:
    """A turn's reminders, cancellations, verdict record and /mute, inside its transaction."""
    if turn.forget:
        for table in SIDE_TABLES:
            await conn.execute(f"DELETE FROM {table} WHERE chat_id = $1", chat_id)
        return
    if turn.cancel_reminders:
        await conn.execute(
            "DELETE FROM reminders WHERE chat_id = $1 AND key = ANY($2::text[])", chat_id, list(turn.cancel_reminders)
        )
    if turn.reminders:
        await conn.executemany(
            "INSERT INTO reminders (chat_id, key, due_at, body, lease_until) "
            "VALUES ($1, $2, $3, $4, 0) ON CONFLICT (chat_id, key) DO UPDATE SET "
            "due_at = excluded.due_at, body = excluded.body, lease_until = 0",
            reminder_rows(chat_id, turn.reminders, seal),
        )
    if turn.record is not None:
        await conn.execute(
            "INSERT INTO verdicts (chat_id, record, made_at) VALUES ($1, $2, now()) "
            "ON CONFLICT (chat_id) DO UPDATE SET record = excluded.record, made_at = excluded.made_at",
            chat_id,
            seal.record(chat_id, turn.record),
        )
    if turn.mute is True:
        await conn.execute("INSERT INTO muted (chat_id) VALUES ($1) ON CONFLICT DO NOTHING", chat_id)
    elif turn.mute is False:
        await conn.execute("DELETE FROM muted WHERE chat_id = $1", chat_id)


class PostgresSide:
    """A mixin of PostgresStore (its pool, Sealing and retention)."""

    async def claim_reminders(self, now: float, limit: int = 50, lease_seconds: float = 300) -> list[DueReminder]:
        lease = _lease(lease_seconds)
        rows = await self._pool.fetch(
            "UPDATE reminders r SET lease_until = $3 FROM ("
            "  SELECT chat_id, key FROM reminders WHERE due_at <= $1 AND lease_until < $2 "
            "  ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) c "
            "WHERE r.chat_id = c.chat_id AND r.key = c.key RETURNING r.chat_id, r.key, r.due_at, r.body",
            now,
            time.time(),
            lease,
            limit,
        )
        due = [
            DueReminder(
                r["chat_id"], r["key"], r["due_at"], self._seal.open_reminder(r["chat_id"], r["key"], r["body"]), lease
            )
            for r in rows
        ]
        return sorted(due, key=lambda d: d.due_at)

    async def due_reminders(self, now: float) -> list[DueReminder]:
        rows = await self._pool.fetch(
            "SELECT chat_id, key, due_at, body FROM reminders WHERE due_at <= $1 ORDER BY due_at", now
        )
        return [
            DueReminder(
                r["chat_id"], r["key"], r["due_at"], self._seal.open_reminder(r["chat_id"], r["key"], r["body"]), 0
            )
            for r in rows
        ]

    async def finish_reminder(self, due: DueReminder) -> None:
        await self._pool.execute(
            "DELETE FROM reminders WHERE chat_id = $1 AND key = $2 AND lease_until = $3",
            due.chat_id,
            due.key,
            due.lease,
        )

    async def release_reminder(self, due: DueReminder) -> None:
        await self._pool.execute(
            "UPDATE reminders SET lease_until = 0 WHERE chat_id = $1 AND key = $2 AND lease_until = $3",
            due.chat_id,
            due.key,
            due.lease,
        )

    async def reminder_count(self) -> int:
        return await self._pool.fetchval("SELECT COUNT(*) FROM reminders")

    async def verdict_records(self) -> list[tuple[int, dict, bool]]:
        rows = await self._pool.fetch(
            "SELECT v.chat_id, v.record, m.chat_id IS NOT NULL AS muted FROM verdicts v LEFT JOIN muted m "
            "ON m.chat_id = v.chat_id WHERE v.made_at >= now() - $1::interval ORDER BY v.chat_id",
            self._retention,
        )
        return [(r["chat_id"], self._seal.open_record(r["chat_id"], r["record"]), r["muted"]) for r in rows]

    async def replace_verdict_record(self, chat_id: int, record: dict) -> None:
        await self._pool.execute(
            "UPDATE verdicts SET record = $2 WHERE chat_id = $1", chat_id, self._seal.record(chat_id, record)
        )

    async def _prune_side(self, conn) -> None:
        await conn.execute("DELETE FROM verdicts WHERE made_at < now() - $1::interval", self._retention)

    async def _rotate_side(self) -> tuple[int, int]:
        resealed = seen = 0
        for r in await self._pool.fetch("SELECT chat_id, key, body FROM reminders"):
            seen += 1
            fresh = self._seal.reseal("reminders", f"{r['chat_id']}:{r['key']}", r["body"])
            if fresh is not None:
                status = await self._pool.execute(
                    "UPDATE reminders SET body = $3 WHERE chat_id = $1 AND key = $2 AND body = $4",
                    r["chat_id"],
                    r["key"],
                    fresh,
                    r["body"],
                )
                resealed += int(status.split()[-1])
        for r in await self._pool.fetch("SELECT chat_id, record FROM verdicts"):
            seen += 1
            fresh = self._seal.reseal("verdicts", r["chat_id"], r["record"])
            if fresh is not None:
                status = await self._pool.execute(
                    "UPDATE verdicts SET record = $2 WHERE chat_id = $1 AND record = $3",
                    r["chat_id"],
                    fresh,
                    r["record"],
                )
                resealed += int(status.split()[-1])
        return resealed, seen
