"""gjz migrate-store, run as the operator runs it: SQLite -> PostgreSQL -> SQLite."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from bot.store import open_store
from tests.conftest import REPO
from tests.pg import free_port

from .test_contract import engine_appending

INTERVIEWS = {
    1: {"district": "chaoyang", "answers": {"degree": "master", "monthly_income": 20000}, "note": "工作居住证"},
    -1001234567890: {"district": "bda", "history": [["q1", "a"], ["q2", None]], "done": True},  # a group chat id
    42: {"words": []},
}


def gjz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "migrate-store", *args], cwd=REPO, capture_output=True, text=True, timeout=60
    )


def fill(url: str) -> None:
    async def run():
        async with open_store(url) as store:
            for chat_id, state in INTERVIEWS.items():
                await store.save(chat_id, state)
            await store.run_turn(7, 700, engine_appending("当前"))  # one through a real turn too

    asyncio.run(run())


def contents(url: str) -> dict[int, dict]:
    async def run():
        async with open_store(url) as store:
            return {chat_id: await store.load(chat_id) for chat_id in await store.chat_ids()}

    return asyncio.run(run())


def test_sqlite_to_postgres_and_back(tmp_path, pg_url):
    sqlite_url = f"sqlite:///{tmp_path}/gjz.sqlite3"
    fill(sqlite_url)
    expected = {**INTERVIEWS, 7: {"words": ["当前"]}}

    done = gjz("--from", sqlite_url, "--to", pg_url)
    assert done.returncode == 0, done.stderr
    assert "copied 4 interview(s)" in done.stdout
    assert contents(pg_url) == expected

    again = gjz("--from", sqlite_url, "--to", pg_url)  # idempotent: same result, nothing doubled
    assert again.returncode == 0 and "copied 4 interview(s)" in again.stdout
    assert contents(pg_url) == expected

    back_url = f"sqlite:///{tmp_path}/back.sqlite3"
    done = gjz("--from", pg_url, "--to", back_url)
    assert done.returncode == 0, done.stderr
    assert contents(back_url) == expected


def test_a_password_is_not_printed(tmp_path, pg_url):
    fill(f"sqlite:///{tmp_path}/a.sqlite3")
    with_password = pg_url.replace("postgres@", "postgres:s3cret@")  # trust auth ignores it
    done = gjz("--from", f"sqlite:///{tmp_path}/a.sqlite3", "--to", with_password)
    assert done.returncode == 0, done.stderr
    assert "s3cret" not in done.stdout + done.stderr and "postgres:***@" in done.stdout


def assert_one_line_error(done: subprocess.CompletedProcess, *words: str) -> None:
    assert done.returncode == 2
    assert done.stdout == "" and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gjz migrate-store: "), done.stderr
    for word in words:
        assert word in lines[0]


def test_bad_urls_exit_2_with_one_line(tmp_path):
    fill(f"sqlite:///{tmp_path}/a.sqlite3")
    source = f"sqlite:///{tmp_path}/a.sqlite3"
    assert_one_line_error(gjz("--from", "mysql://host/db", "--to", source), "sqlite:///")
    assert_one_line_error(gjz("--from", f"sqlite:///{tmp_path}/missing.sqlite3", "--to", source), "no such")
    assert_one_line_error(gjz("--from", source, "--to", "postgresql://h:notaport/db"), "cannot open")
    assert_one_line_error(gjz("--from", source, "--to", source), "same")
    assert not (tmp_path / "missing.sqlite3").exists()  # a mistyped source is not created


def test_an_unreachable_database_exits_2_with_one_line(tmp_path, pg_server):
    source = f"sqlite:///{tmp_path}/a.sqlite3"
    fill(source)
    closed = f"postgresql://gjz:pw@127.0.0.1:{free_port()}/gjz"  # nothing listens there
    assert_one_line_error(gjz("--from", source, "--to", closed), "cannot open", "***")
    assert_one_line_error(gjz("--from", source, "--to", pg_server.url("no_such_database")), "cannot open")
    assert_one_line_error(gjz("--from", closed, "--to", source), "cannot open")
