"""Private at rest, on a real SQLite file and a real PostgreSQL: sealed values, no plaintext
in the files or the WAL, /forget leaves no row naming the chat, retention, key rotation,
file modes whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import asyncpg
import pytest

from bot.dialog.messages import Reply
from bot.dialog.turn import Turn
from bot.store.crypto import KEY_FILE, DataKeyError, encode_key, generate_key, key_id
from bot.store.sqlite import SQLiteStore

INCOME = "8765432"
ID_NUMBER = "11010519491231002X"


def planting(state):
    """An engine that stores an income and an ID number and quotes them in its reply."""
    return Turn({"answers": {"income": INCOME, "id_number": ID_NUMBER}}, [Reply(f"收入 {INCOME}，证件 {ID_NUMBER}")])


def forgetting(state):
    return Turn(None, [Reply("已删除")], forget=True)


def hits(folder: Path) -> int:
    """How many files under ``folder`` contain the planted income or ID number as bytes."""
    found = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += sum(data.count(s.encode()) for s in (INCOME, ID_NUMBER))
    return found


async def test_values_are_sealed_and_bound_to_their_row(store):
    await store.run_turn(41, 4100, planting)
    assert (await store.load(41))["answers"]["income"] == INCOME
    if isinstance(store, SQLiteStore):
        db = sqlite3.connect(store.path)
        (state,) = db.execute("SELECT state FROM interviews WHERE chat_id = 41").fetchone()
        (replies,) = db.execute("SELECT replies FROM processed_updates WHERE update_id = 4100").fetchone()
        # The same ciphertext on another chat's row does not open there.
        db.execute("INSERT INTO interviews (chat_id, state, updated_at) VALUES (42, ?, 0)", (state,))
        db.commit()
        db.close()
    else:
        conn = await asyncpg.connect(store.url)
        state = await conn.fetchval("SELECT state FROM interviews WHERE chat_key = $1", store.chat_key(41))
        replies = await conn.fetchval("SELECT replies FROM processed_updates WHERE update_id = 4100")
        await conn.execute(
            "INSERT INTO interviews (chat_key, chat, state) SELECT $2, chat, state FROM interviews WHERE chat_key = $1",
            store.chat_key(41),
            store.chat_key(42),
        )
        await conn.close()
    assert state.startswith(f"gjz1.{store.key_id}.") and INCOME not in state and ID_NUMBER not in replies
    with pytest.raises(DataKeyError):
        await store.load(42)


async def test_forget_leaves_no_row_naming_the_chat(store):
    await store.run_turn(51, 5100, planting)
    await store.run_turn(51, 5101, planting)
    await store.run_turn(52, 5200, planting)  # another chat keeps its rows
    await store.run_turn(51, 5102, forgetting)
    if isinstance(store, SQLiteStore):
        db = sqlite3.connect(store.path)
        naming = sum(
            db.execute(f"SELECT count(*) FROM {t} WHERE chat_id = 51").fetchone()[0]
            for t in ("interviews", "processed_updates")
        )
        other = db.execute("SELECT count(*) FROM interviews WHERE chat_id = 52").fetchone()[0]
        db.close()
    else:
        conn = await asyncpg.connect(store.url)
        naming = sum(
            [
                await conn.fetchval(f"SELECT count(*) FROM {t} WHERE chat_key = $1", store.chat_key(51))
                for t in ("interviews", "processed_updates", "reminders", "verdicts", "muted")
            ]
        )
        other = await conn.fetchval("SELECT count(*) FROM interviews WHERE chat_key = $1", store.chat_key(52))
        await conn.close()
    assert naming == 0 and other == 1
    again = await store.run_turn(51, 5102, forgetting)  # a redelivered /forget is still recognised
    assert again.duplicate


async def test_sqlite_files_and_wal_hold_no_plaintext_even_after_forget(tmp_path, monkeypatch):
    monkeypatch.delenv("GJZ_DATA_KEY")
    store = SQLiteStore(tmp_path / "data" / "gjz.sqlite3")
    await store.open()
    try:
        for i in range(20):
            await store.run_turn(60 + i, 6000 + i, planting)
        assert hits(tmp_path) == 0  # sealed: neither the file nor the WAL
        await store.run_turn(60, 6100, forgetting)
        assert Path(f"{store.path}-wal").stat().st_size == 0  # checkpoint(TRUNCATE) after the deletion
        assert store._db.execute("PRAGMA secure_delete").fetchone() == (1,)  # freed bytes zeroed
    finally:
        await store.close()


async def test_sqlite_with_plaintext_rows_from_before_encryption_is_read_and_resealed(tmp_path, monkeypatch):
    monkeypatch.delenv("GJZ_DATA_KEY")
    path = tmp_path / "gjz.sqlite3"
    async with SQLiteStore(path) as store:
        await store.run_turn(1, None, planting)
    db = sqlite3.connect(path)  # what an older version wrote: the JSON itself
    db.execute("UPDATE interviews SET state = ? WHERE chat_id = 1", (f'{{"answers": {{"income": "{INCOME}"}}}}',))
    db.commit()
    db.close()
    async with SQLiteStore(path) as store:
        assert (await store.load(1))["answers"]["income"] == INCOME
        resealed, seen = await store.rotate_keys()
    assert (resealed, seen) == (1, 1)
    assert hits(tmp_path) == 0


async def test_postgres_files_hold_ciphertext_only(pg_server, pg_url):
    from bot.store.postgres import PostgresStore

    async with PostgresStore(pg_url) as store:
        for i in range(20):
            await store.run_turn(70 + i, 7000 + i, planting)
        await store.run_turn(70, 7100, forgetting)
    conn = await asyncpg.connect(pg_url)
    await conn.execute("CHECKPOINT")  # table files written out; pg_wal holds the same rows
    await conn.close()
    assert hits(pg_server.data / "base") == 0
    assert hits(pg_server.data / "pg_wal") == 0


CHAT = 5_123_456_789  # ten digits, and eight bytes with no zero run a page is full of


def chat_hits(folder: Path) -> int:
    """How many times the chat id is in the files under ``folder``: as digits, or as an 8-byte
    integer either way round (PostgreSQL writes a bigint in the machine's order)."""
    needles = (str(CHAT).encode(), CHAT.to_bytes(8, "big"), CHAT.to_bytes(8, "little"))
    return sum(p.read_bytes().count(n) for p in folder.rglob("*") if p.is_file() for n in needles)


def reminding(state):
    """An engine that stores an interview, a reminder, a verdict record and a /mute."""
    turn = planting(state)
    turn.reminders = [{"key": "deadline", "at": "2030-01-01T09:00:00+08:00", "text": "材料", "label": "截止"}]
    turn.record = {"verdict": "eligible"}
    turn.mute = True
    return turn


async def test_postgres_files_name_no_forgotten_chat(pg_server, pg_url):
    """Dead row versions and pg_wal keep what /forget deleted until VACUUM: rows are keyed by
    a keyed hash of the chat id and the id itself is sealed, so neither names the chat."""
    from bot.store.postgres import PostgresStore

    async with PostgresStore(pg_url) as store:
        await store.run_turn(CHAT, 7200, reminding)
        await store.run_turn(CHAT, 7201, planting)
        assert await store.reminder_count() == 1 and [r[0] for r in await store.verdict_records()] == [CHAT]
        assert [p[1] for p in await store.pending_replies()][:1] == [CHAT]  # the id comes back where needed
        await store.run_turn(CHAT, 7202, forgetting)
        assert await store.chat_ids() == []
    conn = await asyncpg.connect(pg_url)
    await conn.execute("CHECKPOINT")
    await conn.close()
    assert chat_hits(pg_server.data / "base") == 0
    assert chat_hits(pg_server.data / "pg_wal") == 0


async def test_retention_deletes_idle_interviews(make_store, monkeypatch):
    monkeypatch.setenv("GJZ_RETENTION_DAYS", "0.5")
    store = make_store()
    await store.open()
    try:
        await store.run_turn(81, 8100, planting)
        await store.run_turn(82, 8200, planting)
        old = (
            "updated_at = updated_at - 86400"
            if isinstance(store, SQLiteStore)
            else "updated_at = updated_at - interval '1 day'"
        )
        if isinstance(store, SQLiteStore):
            db = sqlite3.connect(store.path)
            db.execute(f"UPDATE interviews SET {old} WHERE chat_id = 81")
            db.commit()
            db.close()
        else:
            conn = await asyncpg.connect(store.url)
            await conn.execute(f"UPDATE interviews SET {old} WHERE chat_key = $1", store.chat_key(81))
            await conn.close()
        assert await store.prune() == 1
        assert await store.load(81) is None and await store.load(82) is not None
    finally:
        await store.close()
    reopened = make_store()  # pruning runs at open too: nothing more is idle
    await reopened.open()
    try:
        assert await reopened.chat_ids() == [82]
    finally:
        await reopened.close()


async def test_rotation_reseals_with_the_newest_key_and_old_keys_still_open(make_store, monkeypatch, tmp_path):
    old, new = encode_key(generate_key()), encode_key(generate_key())
    monkeypatch.setenv("GJZ_DATA_KEY", old)
    async with make_store() as store:
        await store.run_turn(91, 9100, planting)
    monkeypatch.setenv("GJZ_DATA_KEY", f"{new},{old}")  # newest first
    async with make_store() as store:
        assert (await store.load(91))["answers"]["income"] == INCOME
        resealed, seen = await store.rotate_keys()
        assert resealed == 2 and seen == 2  # the interview and the stored replies
        assert store.key_id == key_id(__import__("base64").b64decode(new))
    monkeypatch.setenv("GJZ_DATA_KEY", new)  # the old key dropped
    async with make_store() as store:
        assert (await store.load(91))["answers"]["id_number"] == ID_NUMBER
    monkeypatch.setenv("GJZ_DATA_KEY", old)
    if (tmp_path / KEY_FILE).exists():
        (tmp_path / KEY_FILE).unlink()
    with pytest.raises(DataKeyError, match="does not hold"):
        async with make_store() as store:
            await store.load(91)


def test_sqlite_folder_700_files_600_whatever_the_umask(tmp_path, monkeypatch):
    import asyncio

    monkeypatch.delenv("GJZ_DATA_KEY")
    previous = os.umask(0)
    try:

        async def main():
            async with SQLiteStore(tmp_path / "var" / "gjz.sqlite3") as store:
                await store.run_turn(1, 1, planting)
                return {p.name: stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "var").iterdir()}

        modes = asyncio.run(main())
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    assert set(modes) >= {"gjz.sqlite3", "gjz.sqlite3-wal", "gjz.sqlite3-shm", KEY_FILE}
    assert all(mode == 0o600 for mode in modes.values()), modes


async def test_the_key_file_is_created_once_and_kept(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("GJZ_DATA_KEY")
    async with SQLiteStore(tmp_path / "gjz.sqlite3") as store:
        await store.run_turn(1, 1, planting)
        first = store.key_id
    key_text = (tmp_path / KEY_FILE).read_text()
    assert any("created a data key" in r.getMessage() for r in caplog.records)
    assert not any(line in r.getMessage() for r in caplog.records for line in key_text.splitlines()[-1:])
    async with SQLiteStore(tmp_path / "gjz.sqlite3") as store:
        assert store.key_id == first and (await store.load(1))["answers"]["income"] == INCOME
    assert (tmp_path / KEY_FILE).read_text() == key_text


def test_postgres_without_a_data_key_is_refused_in_one_line(monkeypatch):
    from bot.telegram.config import ConfigError, load_settings

    env = {
        "GJZ_TELEGRAM_TOKEN": "123456789:TEST-token_for_the_local_stand_in_0001",
        "GJZ_DATABASE_URL": "postgresql://gjz@db/gjz",
    }
    with pytest.raises(ConfigError, match="GJZ_DATA_KEY is required"):
        load_settings(env)
    with pytest.raises(ConfigError, match="not base64"):
        load_settings({**env, "GJZ_DATA_KEY": "not a key!"})
    with pytest.raises(ConfigError, match="GJZ_RETENTION_DAYS"):
        load_settings({**env, "GJZ_DATA_KEY": encode_key(generate_key()), "GJZ_RETENTION_DAYS": "forever"})
