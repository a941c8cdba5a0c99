"""The state-store contract every backend keeps.

A *turn* is the unit of work: for one chat, load the state, run the engine on one update,
save the new state and record the update id and the replies, all in one transaction, one
turn per chat at a time. An update seen before is not applied again: its stored replies are
returned instead, so a reply lost in a crash can be sent again without changing the state.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from ..dialog.messages import Button, Reply
from ..dialog.turn import Turn
from .crypto import DataKeys

log = logging.getLogger("gjz.store")


@dataclass
class TurnResult:
    replies: list[Reply]
    duplicate: bool  # the update had been applied before; replies are the stored ones
    turn: Turn | None = None  # the engine's turn (None for a duplicate)


# Telegram re-delivers an update for at most a day; processed ids are kept twice that.
KEEP_UPDATES = timedelta(days=2)
# Housekeeping (expired interviews, old update ids) runs at open and then on this timer, so a
# quiet bot forgets on time too, not only one that serves many turns.
PRUNE_INTERVAL = timedelta(hours=1)
DEFAULT_RETENTION_DAYS = 30
# The chat recorded for a /forget's own update id (kept to recognise a re-delivery): no chat
# is 0, so after /forget no row names the chat.
NO_CHAT = 0


def retention(env=os.environ) -> timedelta:
    """How long an idle interview is kept: ``GJZ_RETENTION_DAYS`` (default 30)."""
    text = (env.get("GJZ_RETENTION_DAYS") or "").strip() or str(DEFAULT_RETENTION_DAYS)
    try:
        days = float(text)
        if not 0 < days <= 3650:
            raise ValueError
    except ValueError:
        raise ValueError(f"GJZ_RETENTION_DAYS must be a number of days between 0 and 3650, got {text!r}") from None
    return timedelta(days=days)


def state_to_json(state: dict) -> str:
    return json.dumps(state, ensure_ascii=False)


def state_from_json(text: str | None) -> dict | None:
    return json.loads(text) if text is not None else None


def stored_replies(turn: Turn) -> str:
    """What is kept of a turn's replies until delivered: a /forget keeps none (they could
    quote answers), only its update id."""
    return "[]" if turn.forget else replies_to_json(turn.replies)


def replies_to_json(replies: list[Reply]) -> str:
    return json.dumps(
        [
            {
                "text": r.text,
                "html": r.html,
                "document": r.document,
                "document_text": r.document_text,
                "buttons": [[{"label": b.label, "data": b.data} for b in row] for row in r.buttons],
            }
            for r in replies
        ],
        ensure_ascii=False,
    )


def replies_from_json(text: str) -> list[Reply]:
    return [
        Reply(
            r["text"],
            r["html"],
            [[Button(b["label"], b["data"]) for b in row] for row in r["buttons"]],
            r.get("document"),
            r.get("document_text"),
        )
        for r in json.loads(text)
    ]


class Sealing:
    """What a row holds, sealed with the store's data keys (see crypto.py); each value is
    bound to its row, so the codec takes the row's id."""

    def __init__(self, keys: DataKeys):
        self.keys = keys

    def state(self, chat_id: int, state: dict) -> str:
        return self.keys.seal(state_to_json(state), f"interviews:{chat_id}")

    def open_state(self, chat_id: int, stored: str | None) -> dict | None:
        return state_from_json(None if stored is None else self.keys.open(stored, f"interviews:{chat_id}"))

    def replies(self, update_id: int, turn: Turn) -> str:
        text = stored_replies(turn)
        return text if text == "[]" else self.keys.seal(text, f"processed_updates:{update_id}")

    def open_replies(self, update_id: int, stored: str) -> list[Reply]:
        return replies_from_json(self.keys.open(stored, f"processed_updates:{update_id}"))

    # Beside the interview (bot/reminders): a reminder's message until it is sent, the verdict
    # record `gjz notify` compares. Reminders are bound to their chat and key.
    def reminder(self, chat_id: int, key: str, body: dict) -> str:
        return self.keys.seal(json.dumps(body, ensure_ascii=False), f"reminders:{chat_id}:{key}")

    def open_reminder(self, chat_id: int, key: str, stored: str) -> dict:
        return json.loads(self.keys.open(stored, f"reminders:{chat_id}:{key}"))

    def record(self, chat_id: int, record: dict) -> str:
        return self.keys.seal(json.dumps(record, ensure_ascii=False), f"verdicts:{chat_id}")

    def open_record(self, chat_id: int, stored: str) -> dict:
        return json.loads(self.keys.open(stored, f"verdicts:{chat_id}"))

    def reseal(self, table: str, row_id: int, stored: str) -> str | None:
        """The value sealed with the newest key, or None when it already is (or holds nothing)."""
        if stored == "[]" or self.keys.sealed_with_newest(stored):
            return None
        return self.keys.seal(self.keys.open(stored, f"{table}:{row_id}"), f"{table}:{row_id}")


@dataclass
class DueReminder:
    """A reminder claimed for sending: its lease (a number only this claim holds) must be
    shown to finish or release it, so a worker whose lease lapsed cannot delete another's."""

    chat_id: int
    key: str
    due_at: float  # epoch seconds
    body: dict  # {"text", "label", "at"}
    lease: float


def reminder_rows(chat_id: int, items: list[dict], seal: Sealing) -> list[tuple]:
    """(chat_id, key, due_at, sealed body) for each reminder a turn sets (Planned.to_json)."""
    from datetime import datetime

    return [
        (
            chat_id,
            item["key"],
            datetime.fromisoformat(item["at"]).timestamp(),
            seal.reminder(chat_id, item["key"], {k: item[k] for k in ("text", "label", "at")}),
        )
        for item in items
    ]


def pending_list(chat_id: int, rows, seal: Sealing) -> list[dict]:
    """What /reminders lists, from (key, sealed body) rows."""
    out = []
    for key, stored in rows:
        body = seal.open_reminder(chat_id, key, stored)
        out.append({"key": key, "at": body["at"], "label": body["label"]})
    return out


def with_pending(engine: Callable[[dict | None], Turn], pending: list[dict]) -> Callable[[dict | None], Turn]:
    """The engine, with the chat's pending reminders laid over its state (engine.handle pops them)."""
    if not pending:
        return engine
    return lambda state: engine({**(state or {}), "reminders": pending})


class StateStore(abc.ABC):
    """Interviews by chat id. Implementations: SQLiteStore (embedded default)."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect and apply schema migrations (safe to run from several processes)."""

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def run_turn(self, chat_id: int, update_id: int | None, engine: Callable[[dict | None], Turn]) -> TurnResult:
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

    @abc.abstractmethod
    async def prune(self) -> int:
        """Delete interviews idle longer than the retention and update ids older than
        KEEP_UPDATES; returns how many interviews went."""

    @abc.abstractmethod
    async def rotate_keys(self) -> tuple[int, int]:
        """Re-seal every row with the newest data key; returns (rows re-sealed, rows seen)."""

    @property
    def key_id(self) -> str:
        """The id of the key new values are sealed with (known once open)."""
        return self._seal.keys.newest_id

    def _start_housekeeping(self) -> None:
        self._housekeeping = asyncio.get_running_loop().create_task(self._prune_forever())

    async def _stop_housekeeping(self) -> None:
        task = getattr(self, "_housekeeping", None)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self._housekeeping = None

    async def _prune_forever(self) -> None:
        while True:
            await asyncio.sleep(PRUNE_INTERVAL.total_seconds())
            try:
                await self.prune()
            except Exception as exc:  # housekeeping never takes the bot down; the next round retries
                log.warning("housekeeping failed: %s", type(exc).__name__)

    async def __aenter__(self):
        await self.open()
        return self

    async def __aexit__(self, *exc):
        await self.close()


def store_errors() -> tuple[type[BaseException], ...]:
    """What a store raises when the database, not our code, is at fault (worth a retry)."""
    import sqlite3

    errors: tuple[type[BaseException], ...] = (OSError, TimeoutError, sqlite3.Error)
    try:
        import asyncpg
    except ImportError:
        return errors
    return errors + (asyncpg.PostgresError, asyncpg.InterfaceError)
