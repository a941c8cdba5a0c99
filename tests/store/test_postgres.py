"""PostgreSQL-only guarantees: several workers on one database, and concurrent start-ups.

Two PostgresStore objects on one database stand for two worker processes: each has its own
connection pool, so the only thing that serialises them is the lock in the database. One
test also runs two real processes.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from datetime import UTC

import asyncpg
import pytest

from bot.dialog.messages import Reply
from bot.dialog.turn import Turn
from bot.store import postgres
from bot.store.base import Sealing, reminder_rows, replies_to_json
from bot.store.crypto import resolve_keys
from bot.store.postgres import PostgresStore
from bot.store.postgres_keys import ChatKeys
from tests.conftest import REPO

from .test_contract import engine_appending


@pytest.fixture
async def workers(pg_url):
    stores = [PostgresStore(pg_url), PostgresStore(pg_url)]
    for s in stores:
        await s.open()
    yield stores
    for s in stores:
        await s.close()


async def test_two_workers_apply_every_turn_once_and_in_order(workers):
    a, b = workers

    async def interview(chat):  # one user: each message after the previous answer, any worker
        texts = []
        for i in range(15):
            result = await (a, b)[i % 2].run_turn(chat, chat * 100 + i, engine_appending(str(i)))
            texts.append(result.replies[0].text)
        return texts

    async def burst(i):  # a user hammering one chat: both workers at once
        return await (a, b)[i % 2].run_turn(99, 99_000 + i, engine_appending(str(i)))

    results = await asyncio.gather(*(interview(c) for c in range(1, 21)), *(burst(i) for i in range(40)))
    for chat, texts in zip(range(1, 21), results, strict=False):  # the bursts' results follow, unchecked here
        words = [str(i) for i in range(15)]
        assert (await a.load(chat))["words"] == words
        assert texts == [" ".join(words[:n]) for n in range(1, 16)]  # each turn saw the one before
    burst_results = results[20:]
    assert not any(r.duplicate for r in burst_results)
    final = (await b.load(99))["words"]
    assert sorted(final, key=int) == [str(i) for i in range(40)]  # none lost, none twice
    # Serialised: every turn saw a different, longer state; none read the same one as another.
    assert sorted(len(r.replies[0].text.split()) for r in burst_results) == list(range(1, 41))


async def test_a_duplicate_delivered_to_both_workers_at_once_is_applied_once(workers):
    a, b = workers
    for i in range(20):
        first, second = await asyncio.gather(
            a.run_turn(5, 500 + i, engine_appending(str(i))), b.run_turn(5, 500 + i, engine_appending(str(i)))
        )
        assert sorted([first.duplicate, second.duplicate]) == [False, True]
        assert first.replies[0].text == second.replies[0].text
    assert (await a.load(5))["words"] == [str(i) for i in range(20)]


async def test_two_processes_on_one_chat(pg_url):
    """Real worker processes: 60 updates of their own each, and 30 more delivered to both."""
    shared = list(range(1, 31))
    own = {1: list(range(1000, 1060)), 2: list(range(2000, 2060))}

    def start(n):
        ids = [u for pair in zip(own[n], shared, strict=False) for u in pair] + own[n][30:]  # interleaved
        return subprocess.Popen(
            [sys.executable, "-m", "tests.store.pg_worker", pg_url, "7", *map(str, ids)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    procs = [start(1), start(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    applied, duplicates = zip(*(map(int, out.split()) for out, _ in outputs), strict=True)
    assert sum(applied) == 150 and sum(duplicates) == 30
    async with PostgresStore(pg_url) as store:
        words = (await store.load(7))["words"]
    assert sorted(map(int, words)) == sorted(shared + own[1] + own[2])  # each applied once


async def test_chats_run_in_parallel_and_one_chat_waits_for_its_lock(pg_url):
    async with PostgresStore(pg_url) as store:
        holder = await asyncpg.connect(pg_url)  # another worker, mid-turn on chat 1
        lock = ChatKeys.lock(store.chat_key(1))
        try:
            await holder.execute("SELECT pg_advisory_lock($1::bigint)", lock)
            waiting = asyncio.create_task(store.run_turn(1, 10, engine_appending("late")))
            other = await asyncio.wait_for(store.run_turn(2, 20, engine_appending("free")), 5)
            assert other.replies[0].text == "free"  # chat 2 did not wait for chat 1
            await asyncio.sleep(0.3)
            assert not waiting.done()  # chat 1 did
            await holder.execute("SELECT pg_advisory_unlock($1::bigint)", lock)
            assert (await asyncio.wait_for(waiting, 5)).replies[0].text == "late"
        finally:
            await holder.close()


async def test_migrations_run_concurrently_from_four_workers(pg_url, monkeypatch):
    stores = [PostgresStore(pg_url) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))  # none fails on the catalog race
    await asyncio.gather(*(s.close() for s in stores))
    # A new version shipped: four workers restart at once and it is applied exactly once
    # (a second CREATE TABLE would fail).
    monkeypatch.setattr(postgres, "MIGRATIONS", postgres.MIGRATIONS + ["CREATE TABLE added_later (x INTEGER)"])
    stores = [PostgresStore(pg_url) for _ in range(4)]
    await asyncio.gather(*(s.open() for s in stores))
    await asyncio.gather(*(s.close() for s in stores))
    conn = await asyncpg.connect(pg_url)
    try:
        versions = [r[0] for r in await conn.fetch("SELECT version FROM schema_version ORDER BY version")]
    finally:
        await conn.close()
    assert versions == list(range(1, len(postgres.MIGRATIONS) + 1))


async def test_old_processed_updates_are_pruned(pg_url):
    async with PostgresStore(pg_url) as store:
        await store.run_turn(1, 1, engine_appending("old"))
        await store.run_turn(1, 2, engine_appending("new"))
        conn = await asyncpg.connect(pg_url)
        try:
            await conn.execute(
                "UPDATE processed_updates SET processed_at = now() - interval '3 days' WHERE update_id = 1"
            )
            await store.prune()
            kept = [r[0] for r in await conn.fetch("SELECT update_id FROM processed_updates")]
        finally:
            await conn.close()
        assert kept == [2]
        assert (await store.load(1))["words"] == ["old", "new"]  # pruning touches no state


async def test_rows_hold_ciphertext_that_opens_to_the_json_sqlite_would_hold(pg_url):
    async with PostgresStore(pg_url) as store:
        result = await store.run_turn(3, 30, engine_appending("工作居住证"))
        conn = await asyncpg.connect(pg_url)
        try:
            state = await conn.fetchval("SELECT state FROM interviews WHERE chat_key = $1", store.chat_key(3))
            replies = await conn.fetchval("SELECT replies FROM processed_updates WHERE update_id = 30")
        finally:
            await conn.close()
    keys = resolve_keys(None)
    assert "工作居住证" not in state and "工作居住证" not in replies
    assert keys.open(state, "interviews:3") == json.dumps({"words": ["工作居住证"]}, ensure_ascii=False)
    assert keys.open(replies, "processed_updates:30") == replies_to_json(result.replies)


async def test_a_schema_3_database_is_rekeyed_by_chat_hash_and_everything_still_opens(pg_url):
    """What an older version left (rows keyed by the chat id) is moved under the chat keys at
    open: every value still opens, the sealed ids come back, no column holds an id."""
    from datetime import datetime, timedelta

    seal = Sealing(resolve_keys(None))
    conn = await asyncpg.connect(pg_url)
    try:
        await conn.execute(
            "CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        for version, sql in enumerate(postgres.MIGRATIONS[:3], start=1):
            await conn.execute(sql)
            await conn.execute("INSERT INTO schema_version (version) VALUES ($1)", version)
        await conn.execute(
            "INSERT INTO interviews (chat_id, state) VALUES (5, $1), (6, $2)",
            seal.state(5, {"words": ["五"]}),
            seal.state(6, {"words": ["六"]}),
        )
        turn = Turn({"words": ["五"]}, [Reply("待发")])
        await conn.execute(
            "INSERT INTO processed_updates (update_id, chat_id, replies) VALUES (50, 5, $1), (51, 0, '[]')",
            seal.replies(50, turn),
        )
        at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        item = {"key": "deadline", "at": at, "text": "提醒", "label": "截止"}
        await conn.executemany(
            "INSERT INTO reminders (chat_id, key, due_at, body) VALUES ($1, $2, $3, $4)",
            reminder_rows(6, [item], seal),
        )
        await conn.execute("INSERT INTO verdicts (chat_id, record) VALUES (6, $1)", seal.record(6, {"v": 1}))
        await conn.execute("INSERT INTO muted (chat_id) VALUES (6)")
    finally:
        await conn.close()
    async with PostgresStore(pg_url) as store:
        assert await store.chat_ids() == [5, 6]
        assert (await store.load(6))["words"] == ["六"]
        assert [(u, c, [r.text for r in rs]) for u, c, rs in await store.pending_replies()] == [(50, 5, ["待发"])]
        assert [(d.chat_id, d.body["text"]) for d in await store.due_reminders(datetime.now().timestamp())] == [
            (6, "提醒")
        ]
        assert await store.verdict_records() == [(6, {"v": 1}, True)]
        assert (await store.run_turn(5, 52, engine_appending("再"))).replies[0].text == "五 再"
        conn = await asyncpg.connect(pg_url)
        try:
            columns = await conn.fetch(
                "SELECT table_name, column_name FROM information_schema.columns WHERE column_name = 'chat_id'"
            )
            version = await conn.fetchval("SELECT max(version) FROM schema_version")
        finally:
            await conn.close()
    assert columns == [] and version == len(postgres.MIGRATIONS)
