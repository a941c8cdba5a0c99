"""What the PostgreSQL store keeps beside the interviews (bot/reminders): reminders until
sent, verdict records for `gjz notify`, the chats that chose /mute. Same rows and meaning as
sqlite_side.py, keyed by the chat key (postgres_keys.py): MIGRATION is schema 3, which
schema 4 rebuilds.

Several workers send due reminders at once: a claim is one UPDATE over a sub-select
``FOR UPDATE SKIP LOCKED``, so each due row goes to exactly one worker (a row another worker
is claiming is skipped, not waited for) and carries that claim's lease until it is sent and
deleted, or the lease lapses (a worker killed mid-send) and it is claimed again.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

from .base import DueReminder, reminder_rows
from .postgres_keys import ChatKeys

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


def has_side_writes(turn) -> bool:
    return bool(
        turn.forget or turn.cancel_reminders or turn.reminders or turn.record is not None or turn.mute is not None
    )


async def side_writes(conn, seal, chats: ChatKeys, chat_id: int, turn) -> None:
    """A turn's reminders, cancellations, verdict record and /mute, inside its transaction."""
    key = chats.of(chat_id)
    if turn.forget:
        for table in SIDE_TABLES:
            await conn.execute(f"DELETE FROM {table} WHERE chat_key = $1", key)
        return
    if turn.cancel_reminders:
        await conn.execute(
            "DELETE FROM reminders WHERE chat_key = $1 AND key = ANY($2::text[])", key, list(turn.cancel_reminders)
        )
    if turn.reminders:
        chat = chats.seal_chat(key, chat_id)
        await conn.executemany(
            "INSERT INTO reminders (chat_key, chat, key, due_at, body, lease_until) "
            "VALUES ($1, $2, $3, $4, $5, 0) ON CONFLICT (chat_key, key) DO UPDATE SET "
            "due_at = excluded.due_at, body = excluded.body, lease_until = 0",
            [(key, chat, *row[1:]) for row in reminder_rows(chat_id, turn.reminders, seal)],
        )
    if turn.record is not None:
        await put_chat_row(conn, chats, chat_id, "verdicts", "record", "made_at", seal.record(chat_id, turn.record))
    if turn.mute is True:
        await conn.execute("INSERT INTO muted (chat_key) VALUES ($1) ON CONFLICT DO NOTHING", key)
    elif turn.mute is False:
        await conn.execute("DELETE FROM muted WHERE chat_key = $1", key)


async def put_chat_row(conn, chats: ChatKeys, chat_id: int, table: str, column: str, stamp: str, sealed: str) -> None:
    """The chat's one row of ``table`` (an interview, a verdict record): ``sealed`` in ``column``
    beside the sealed chat id, inserted or replaced, ``stamp`` set to now."""
    key = chats.of(chat_id)
    await conn.execute(
        f"INSERT INTO {table} (chat_key, chat, {column}, {stamp}) VALUES ($1, $2, $3, now()) "
        f"ON CONFLICT (chat_key) DO UPDATE SET {column} = excluded.{column}, {stamp} = excluded.{stamp}",
        key,
        chats.seal_chat(key, chat_id),
        sealed,
    )


class PostgresSide:
    """A mixin of PostgresStore (its pool, Sealing, ChatKeys and retention)."""

    def _chat_of(self, r) -> int:
        """The chat id a row's sealed ``chat`` column holds."""
        return self._chats.open_chat(r["chat_key"], r["chat"])

    def _due(self, r, lease: float) -> DueReminder:
        chat_id = self._chat_of(r)
        return DueReminder(
            chat_id, r["key"], r["due_at"], self._seal.open_reminder(chat_id, r["key"], r["body"]), lease
        )

    async def claim_reminders(self, now: float, limit: int = 50, lease_seconds: float = 300) -> list[DueReminder]:
        lease = _lease(lease_seconds)
        rows = await self._pool.fetch(
            "UPDATE reminders r SET lease_until = $3 FROM ("
            "  SELECT chat_key, key FROM reminders WHERE due_at <= $1 AND lease_until < $2 "
            "  ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) c "
            "WHERE r.chat_key = c.chat_key AND r.key = c.key RETURNING r.chat_key, r.chat, r.key, r.due_at, r.body",
            now,
            time.time(),
            lease,
            limit,
        )
        return sorted((self._due(r, lease) for r in rows), key=lambda d: d.due_at)

    async def due_reminders(self, now: float) -> list[DueReminder]:
        rows = await self._pool.fetch(
            "SELECT chat_key, chat, key, due_at, body FROM reminders WHERE due_at <= $1 ORDER BY due_at", now
        )
        return [self._due(r, 0) for r in rows]

    async def finish_reminder(self, due: DueReminder) -> None:
        await self._on_claimed("DELETE FROM reminders", due)

    async def release_reminder(self, due: DueReminder) -> None:
        await self._on_claimed("UPDATE reminders SET lease_until = 0", due)

    async def _on_claimed(self, statement: str, due: DueReminder) -> None:
        # Only while the row still carries this claim's lease: a lapsed claim touches nothing.
        await self._pool.execute(
            f"{statement} WHERE chat_key = $1 AND key = $2 AND lease_until = $3",
            self._chats.of(due.chat_id),
            due.key,
            due.lease,
        )

    async def reminder_count(self) -> int:
        return await self._pool.fetchval("SELECT COUNT(*) FROM reminders")

    async def verdict_records(self) -> list[tuple[int, dict, bool]]:
        rows = await self._pool.fetch(
            "SELECT v.chat_key, v.chat, v.record, m.chat_key IS NOT NULL AS muted FROM verdicts v LEFT JOIN muted m "
            "ON m.chat_key = v.chat_key WHERE v.made_at >= now() - $1::interval",
            self._retention,
        )
        records = []
        for r in rows:
            chat_id = self._chat_of(r)
            records.append((chat_id, self._seal.open_record(chat_id, r["record"]), r["muted"]))
        return sorted(records, key=lambda record: record[0])

    async def replace_verdict_record(self, chat_id: int, record: dict) -> None:
        await self._pool.execute(
            "UPDATE verdicts SET record = $2 WHERE chat_key = $1",
            self._chats.of(chat_id),
            self._seal.record(chat_id, record),
        )

    async def _prune_side(self, conn) -> None:
        await conn.execute("DELETE FROM verdicts WHERE made_at < now() - $1::interval", self._retention)

    async def _rotate_side(self) -> list[tuple[int, int]]:
        """The reminders and verdict records re-sealed: (re-sealed, seen) of each table."""
        return [
            await self._reseal_unchanged(
                "reminders", "body", ("chat_key", "key"), lambda r: f"{self._chat_of(r)}:{r['key']}"
            ),
            await self._reseal_unchanged("verdicts", "record", ("chat_key",), self._chat_of),
        ]

    async def _reseal_unchanged(
        self, table: str, value: str, row_key: tuple[str, ...], sealed_for: Callable[[Any], object]
    ) -> tuple[int, int]:
        """Each row's ``value`` and sealed chat id re-sealed with the newest key, written only
        where both are still as read: a turn that rewrote the row meanwhile sealed it with the
        newest key already, so no lock is needed. ``row_key``: the columns naming one row;
        ``sealed_for``: the row id its value is sealed to (crypto.py binds it to its row)."""
        n = len(row_key)
        columns = ", ".join(dict.fromkeys((*row_key, "chat_key", "chat", value)))
        update = (
            f"UPDATE {table} SET {value} = COALESCE(${n + 1}, {value}), chat = COALESCE(${n + 2}, chat) WHERE "
            + " AND ".join(f"{column} = ${i}" for i, column in enumerate(row_key, start=1))
            + f" AND {value} = ${n + 3} AND chat IS NOT DISTINCT FROM ${n + 4}"
        )
        resealed = seen = 0
        for r in await self._pool.fetch(f"SELECT {columns} FROM {table}"):
            seen += 1
            fresh = self._seal.reseal(table, sealed_for(r), r[value])
            chat = self._chats.reseal_chat(r["chat_key"], r["chat"])
            if fresh is not None or chat is not None:
                status = await self._pool.execute(update, *(r[c] for c in row_key), fresh, chat, r[value], r["chat"])
                resealed += int(status.split()[-1])
        return resealed, seen
