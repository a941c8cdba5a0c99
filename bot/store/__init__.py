"""Where interviews live between messages: one interface (base.py), pluggable backends.

The factory lives here, not in base.py: the backends import the contract from base, and base
imports no backend, so the package has no import cycle.
"""

from __future__ import annotations

import os
from pathlib import Path

from .base import StateStore, TurnResult, store_errors
from .sqlite import SQLiteStore

__all__ = ["StateStore", "TurnResult", "open_store", "store_errors"]


def open_store(url: str | None = None, data_dir: str | None = None) -> StateStore:
    """The store named by ``GJZ_DATABASE_URL`` (``sqlite:///path``), default SQLite under GJZ_DATA_DIR.
    Its data keys are read when it opens (crypto.resolve_keys)."""
    url = url if url is not None else os.environ.get("GJZ_DATABASE_URL", "")
    if not url:
        directory = Path(data_dir or os.environ.get("GJZ_DATA_DIR", "./var"))
        return SQLiteStore(directory / "gjz.sqlite3")
    if url.startswith("sqlite:///"):
        return SQLiteStore(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        try:  # asyncpg is only needed by those who use PostgreSQL
            from .postgres import PostgresStore
        except ImportError as exc:
            raise ValueError(f"PostgreSQL store is not available: {exc}") from None
        return PostgresStore(url)
    raise ValueError("GJZ_DATABASE_URL must start with sqlite:/// or postgresql://")
