"""The store contract runs against every backend: embedded SQLite and a real PostgreSQL.

The PostgreSQL server is started once for the whole run from the system's binaries (see
tests/pg.py); each test gets a database of its own. Without the binaries those tests are
skipped with the reason, and .ci/run installs them.
"""

import pytest

from bot.store.crypto import encode_key, generate_key
from bot.store.sqlite import SQLiteStore


@pytest.fixture(autouse=True)
def data_key(monkeypatch):
    """PostgreSQL stores need GJZ_DATA_KEY (SQLite ignores it only when it is unset: then its
    key file). Each test gets a fresh key; subprocesses inherit it."""
    key = encode_key(generate_key())
    monkeypatch.setenv("GJZ_DATA_KEY", key)
    return key


@pytest.fixture(params=["sqlite", "postgres"])
def make_store(request, tmp_path, monkeypatch):
    """A factory of stores over one database: call it again to 'restart the process'.
    SQLite runs as the embedded default does: no GJZ_DATA_KEY, a key file in its folder."""
    if request.param == "sqlite":
        monkeypatch.delenv("GJZ_DATA_KEY")
        return lambda: SQLiteStore(tmp_path / "state.sqlite3")
    if request.param == "postgres":
        from bot.store.postgres import PostgresStore

        url = request.getfixturevalue("pg_url")
        return lambda: PostgresStore(url)
    raise AssertionError(request.param)


@pytest.fixture
async def store(make_store):
    s = make_store()
    await s.open()
    yield s
    await s.close()
