"""The state-store contract every backend keeps.

A *turn* is the unit of work: for one chat, load the state, run the engine on one update,
save the new state and record the update id and the replies, all in one transaction, one
turn per chat at a time. An update seen before is not applied again: its stored replies are
returned instead, so a reply lost in a crash can be sent again without changing the state.
"""

from __future__ import annotations

import abc
import json
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

from ..dialog.engine import Turn
from ..dialog.messages import Button, Reply


@dataclass
class TurnResult:
    replies: list[Reply]
    duplicate: bool  # the update had been applied before; replies are the stored ones
    turn: Turn | None = None  # the engine's turn (None for a duplicate)


# Telegram re-delivers an update for at most a day; processed ids are kept twice that, and
# pruned every so many turns of one process.
KEEP_UPDATES = timedelta(days=2)
PRUNE_EVERY_TURNS = 1000


def state_to_json(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False)


def state_from_json(text: str | None) -> dict | None:
    return json.loads(text) if text is not None else None


def stored_replies(turn: Turn) -> str:
    """What is kept of a turn's replies until delivered: a /forget keeps none (they could
    quote answers), only its update id."""
    return "[]" if turn.forget else replies_to_json(turn.replies)


def replies_to_json(replies: list[Reply]) -> str:
    return json.dumps([{"text": r.text, "html": r.html, "document": r.document,
                        "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in r.buttons]}
                       for r in replies], ensure_ascii=False)


def replies_from_json(text: str) -> list[Reply]:
    return [Reply(r["text"], r["html"], [[Button(b["label"], b["data"]) for b in row] for row in r["buttons"]],
                  r.get("document"))
            for r in json.loads(text)]


class StateStore(abc.ABC):
    """Interviews by chat id. Implementations: SQLiteStore (embedded default)."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and apply schema migrations (safe to run from several processes)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def run_turn(self, chat_id: int, update_id: int | None,
                       engine: Callable[[dict | None], Turn]) -> TurnResult:
        """Apply one update to one chat atomically (see module docstring)."""

    @abc.abstractmethod
    async def mark_delivered(self, update_id: int) -> None:
        """The update's replies reached Telegram: drop the stored copy, so a late duplicate
        delivery sends nothing again (and no reply text outlives its delivery)."""

    @abc.abstractmethod
    async def load(self, chat_id: int) -> dict | None: ...

    @abc.abstractmethod
    async def delete(self, chat_id: int) -> None:
        """Forget everything stored about the chat."""

    @abc.abstractmethod
    async def chat_ids(self) -> list[int]: ...

    @abc.abstractmethod
    async def save(self, chat_id: int, state: dict) -> None:
        """Write a state as is (used by migrate-store)."""

    async def __aenter__(self):
        await self.open()
        return self

    async def __aexit__(self, *exc):
        await self.close()


def open_store(url: str | None = None, data_dir: str | None = None) -> StateStore:
    """The store named by ``GJZ_DATABASE_URL`` (``sqlite:///path``), default SQLite under GJZ_DATA_DIR."""
    url = url if url is not None else os.environ.get("GJZ_DATABASE_URL", "")
    if not url:
        directory = Path(data_dir or os.environ.get("GJZ_DATA_DIR", "./var"))
        return _sqlite(directory / "gjz.sqlite3")
    if url.startswith("sqlite:///"):
        return _sqlite(Path(url.removeprefix("sqlite:///")))
    if url.startswith(("postgresql://", "postgres://")):
        try:
            from .postgres import PostgresStore
        except ImportError as exc:
            raise ValueError(f"PostgreSQL store is not available: {exc}") from None
        return PostgresStore(url)
    raise ValueError("GJZ_DATABASE_URL must start with sqlite:/// or postgresql://")


def _sqlite(path: Path) -> StateStore:
    from .sqlite import SQLiteStore

    return SQLiteStore(path)
