"""The store contract runs against every backend the machine can start."""

import pytest

from bot.store.sqlite import SQLiteStore


@pytest.fixture(params=["sqlite"])
def make_store(request, tmp_path):
    """A factory of stores over one database: call it again to 'restart the process'."""
    if request.param == "sqlite":
        return lambda: SQLiteStore(tmp_path / "state.sqlite3")
    raise AssertionError(request.param)


@pytest.fixture
async def store(make_store):
    s = make_store()
    await s.open()
    yield s
    await s.close()
