"""The store contract runs against every backend: embedded SQLite and a real PostgreSQL.

The PostgreSQL server is started once for the whole run from the system's binaries (see
tests/pg.py); each test gets a database of its own. Without the binaries those tests are
skipped with the reason, and .ci/run installs them.
"""

import pytest

from bot.store.sqlite import SQLiteStore


@pytest.fixture(params=["sqlite", "postgres"])
def make_store(request, tmp_path):
    """A factory of stores over one database: call it again to 'restart the process'."""
    if request.param == "sqlite":
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
