"""Reliability probe for issue 14 (private at rest, quiet logs, hostile input): not a timed test.

Prints, each beside a reference measured in the same run that shows the probe can see what
it looks for:
- plaintext hits of a planted income and ID number in the SQLite file + WAL, and in
  PostgreSQL's table files + pg_wal (reference: the same rows written as plain JSON);
- rows naming the chat after /forget (reference: before it), and in PostgreSQL the files
  (dead row versions, pg_wal) holding the forgotten chat's id as digits or as a bigint
  (reference: the same id in a plain table);
- occurrences of the bot token in all output of gjz run / set-webhook / serve under a 401,
  at GJZ_LOG_LEVEL INFO and DEBUG (reference: the token is in PTB's own InvalidToken text);
- 5xx answers of gjz serve to malformed updates.

    .venv/bin/python benchmarks/privacy_probe.py
"""

from __future__ import annotations

import asyncio
import http.client
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.store.crypto import encode_key, generate_key  # noqa: E402
from tests.store.test_privacy import CHAT, ID_NUMBER, INCOME, chat_hits, forgetting, hits, planting  # noqa: E402
from tests.telegram.conftest import TOKEN, free_port  # noqa: E402
from tests.telegram.fake_api import FakeTelegram  # noqa: E402

CHATS = 50


def plain_reference(folder: Path) -> int:
    """What the store wrote before: the JSON itself, same rows, same WAL mode."""
    folder.mkdir(parents=True)
    db = sqlite3.connect(folder / "plain.sqlite3")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE interviews (chat_id INTEGER PRIMARY KEY, state TEXT)")
    for chat in range(CHATS):
        db.execute("INSERT INTO interviews VALUES (?, ?)", (chat, f'{{"income": "{INCOME}", "id": "{ID_NUMBER}"}}'))
        db.commit()
    db.close()
    return hits(folder)


async def sqlite_probe(folder: Path) -> tuple[int, int, int]:
    from bot.store.sqlite import SQLiteStore

    os.environ.pop("GJZ_DATA_KEY", None)
    store = SQLiteStore(folder / "gjz.sqlite3")
    await store.open()
    for chat in range(1, CHATS + 1):
        await store.run_turn(chat, chat * 10, planting)
        await store.run_turn(chat, chat * 10 + 1, planting)
    found = hits(folder)
    before = _naming(sqlite3.connect(store.path), 1)
    await store.run_turn(1, 9999, forgetting)
    after = _naming(sqlite3.connect(store.path), 1)
    await store.close()
    return found, before, after


def _naming(db, chat: int) -> int:
    return sum(
        db.execute(f"SELECT count(*) FROM {t} WHERE chat_id = ?", (chat,)).fetchone()[0]
        for t in ("interviews", "processed_updates")
    )


async def postgres_probe() -> tuple[int, int, int, int, int, int] | None:
    import asyncpg

    from bot.store.postgres import PostgresStore
    from tests.pg import benchmark_server

    with benchmark_server("PostgreSQL rows") as server:
        if server is None:
            return None
        os.environ["GJZ_DATA_KEY"] = encode_key(generate_key())
        url = server.new_database()
        conn = await asyncpg.connect(url)  # the reference: plain JSON in a table of its own
        await conn.execute("CREATE TABLE plain (chat_id BIGINT PRIMARY KEY, state JSON)")
        for chat in [*range(CHATS), CHAT]:
            await conn.execute(
                "INSERT INTO plain VALUES ($1, $2)", chat, f'{{"income": "{INCOME}", "id": "{ID_NUMBER}"}}'
            )
        await conn.execute("CHECKPOINT")
        reference = hits(server.data / "base") + hits(server.data / "pg_wal")
        id_reference = chat_hits(server.data / "base") + chat_hits(server.data / "pg_wal")
        await conn.execute("DROP TABLE plain")
        await conn.execute("CHECKPOINT")
        await conn.execute("SELECT pg_switch_wal()")
        baseline = hits(server.data / "base") + hits(server.data / "pg_wal")  # the dropped reference in old WAL
        id_baseline = chat_hits(server.data / "base") + chat_hits(server.data / "pg_wal")
        async with PostgresStore(url) as store:
            for chat in [CHAT, *range(2, CHATS + 1)]:
                await store.run_turn(chat, chat * 10, planting)
                await store.run_turn(chat, chat * 10 + 1, planting)

            async def naming() -> int:  # rows are keyed by the chat's keyed hash, not its id
                return sum(
                    [
                        await conn.fetchval(f"SELECT count(*) FROM {t} WHERE chat_key = $1", store.chat_key(CHAT))
                        for t in ("interviews", "processed_updates")
                    ]
                )

            before = await naming()
            await store.run_turn(CHAT, 9999, forgetting)
            await conn.execute("CHECKPOINT")
            after = await naming()
        found = hits(server.data / "base") + hits(server.data / "pg_wal") - baseline
        id_found = chat_hits(server.data / "base") + chat_hits(server.data / "pg_wal") - id_baseline
        await conn.close()
        return reference, found, before, after, id_reference, id_found


def token_probe(data: Path) -> list[tuple[str, str, int]]:
    fake = FakeTelegram("999:a-token-the-stand-in-holds-instead-00")  # every call with ours: 401
    url = fake.start()
    rows = []
    try:
        for level in ("INFO", "DEBUG"):
            env = {
                **os.environ,
                "GJZ_TELEGRAM_TOKEN": TOKEN,
                "GJZ_TELEGRAM_API_URL": url,
                "GJZ_DATA_DIR": str(data),
                "GJZ_WEBHOOK_SECRET": "probe_secret",
                "GJZ_LOG_LEVEL": level,
            }
            env.pop("GJZ_DATABASE_URL", None)
            for command in (["run"], ["set-webhook"], ["serve", "--port", str(free_port())]):
                run_env = (
                    dict(env) if command == ["run"] else {**env, "GJZ_WEBHOOK_URL": "https://gjz.example/telegram"}
                )
                try:
                    done = subprocess.run(
                        [sys.executable, "-m", "bot", *command],
                        cwd=REPO,
                        env=run_env,
                        capture_output=True,
                        text=True,
                        timeout=30,
                    )
                    output = done.stdout + done.stderr
                except subprocess.TimeoutExpired as exc:
                    output = (exc.stdout or b"").decode(errors="replace") + (exc.stderr or b"").decode(errors="replace")
                rows.append((" ".join(command[:1]), level, output.count(TOKEN) + output.count(TOKEN.split(":")[1])))
    finally:
        fake.stop()
    return rows


def ptb_reference() -> int:
    from telegram.error import InvalidToken

    return str(InvalidToken(f"The token `{TOKEN}` was rejected by the server.")).count(TOKEN)


def malformed_probe(data: Path) -> tuple[int, int, int]:
    fake = FakeTelegram(TOKEN)
    url = fake.start()
    port = free_port()
    env = {
        **os.environ,
        "GJZ_TELEGRAM_TOKEN": TOKEN,
        "GJZ_TELEGRAM_API_URL": url,
        "GJZ_DATA_DIR": str(data),
        "GJZ_WEBHOOK_SECRET": "probe_secret",
    }
    env.pop("GJZ_DATABASE_URL", None)
    env.pop("GJZ_DATA_KEY", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    bodies = [
        b"[]",
        b"null",
        b'"x"',
        b"1",
        b"{}",
        b'{"update_id": "1"}',
        b"{bad",
        b"\xff",
        b'{"update_id": 3, "message": []}',
        b'{"update_id": 4, "callback_query": {"data": "a:district:\\u00b2"}}',
        b'{"update_id": 5, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": 7}}',
    ]
    bodies = bodies * 10
    try:
        deadline = time.monotonic() + 60
        while _get(port, "/readyz") != 200:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("gjz serve did not start")
            time.sleep(0.2)
        statuses = [_post(port, body) for body in bodies]
        big = _post(port, b"{" + b" " * (30 << 20) + b"}")
    finally:
        proc.terminate()
        proc.wait(30)
        fake.stop()
    return len(bodies), sum(s >= 500 for s in statuses), big


def _post(port: int, body: bytes) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/telegram", body, {"X-Telegram-Bot-Api-Secret-Token": "probe_secret"})
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def _get(port: int, path: str) -> int:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", path)
        return conn.getresponse().status
    except OSError:
        return 0


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="gjz-probe-"))
    print(f"planted income {INCOME} and ID number {ID_NUMBER} in {CHATS} chats (2 turns each)")
    print(f"SQLite plaintext hits, file + WAL:      reference (plain JSON) {plain_reference(root / 'plain')}", end="")
    found, before, after = asyncio.run(sqlite_probe(root / "sqlite"))
    print(f" | gjz store {found}")
    print(f"SQLite rows naming the chat:           before /forget {before} | after {after}")
    pg = asyncio.run(postgres_probe())
    if pg is None:
        print("PostgreSQL: skipped (no server binaries; apt-get install postgresql)")
    else:
        reference, found, before, after, id_reference, id_found = pg
        print(f"PostgreSQL plaintext hits, base+pg_wal: reference (plain JSON) {reference} | gjz store {found}")
        print(f"PostgreSQL rows naming the chat:       before /forget {before} | after {after}")
        print(f"PostgreSQL forgotten chat id in files:  reference (plain table) {id_reference} | gjz store {id_found}")
    print(f"token in PTB's own InvalidToken text:  {ptb_reference()} (reference)")
    for command, level, count in token_probe(root / "token"):
        print(f"token in all output, 401, gjz {command:<11} GJZ_LOG_LEVEL={level:<5}: {count}")
    sent, errors, big = malformed_probe(root / "serve")
    print(f"malformed updates: {sent} sent, {errors} answered 5xx; a 30 MB body: {big}")


if __name__ == "__main__":
    main()
