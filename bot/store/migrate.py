"""``gjz migrate-store --from URL --to URL``: copy every interview from one store to another.

For moving from SQLite to PostgreSQL (or back). Run it with the bot stopped: it copies every
interview, then reads each one back from the target and compares it with the source.
Copying again is harmless (save overwrites), so an interrupted run is simply run again.
Processed update ids are not copied: they only guard against Telegram re-delivering an
update, and a stopped bot has confirmed every update it applied.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from . import StateStore, open_store, store_errors


class MigrateError(Exception):
    """A one-line reason; ``code`` 2 for a bad URL or an unreachable store, 1 otherwise."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        parts = urlsplit(url)
        if parts.password:
            netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
            return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:
        pass
    return url


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _make(url: str, must_exist: bool) -> StateStore:
    # An empty URL would mean "the default SQLite file": too implicit for a migration.
    if not url:
        raise MigrateError("an empty URL; use sqlite:///path or postgresql://…", 2)
    try:
        store = open_store(url)
    except ValueError as exc:
        raise MigrateError(f"{redact(url)}: {str(exc).replace('GJZ_DATABASE_URL', 'the URL')}", 2) from None
    # SQLite creates a missing file on open: a mistyped --from path would copy nothing, quietly.
    path = getattr(store, "path", None)
    if must_exist and path is not None and not Path(path).is_file():
        raise MigrateError(f"{redact(url)}: no such SQLite file {path}", 2)
    return store


async def _open(store: StateStore, url: str) -> None:
    try:
        await store.open()
    except (*store_errors(), ValueError) as exc:  # asyncpg raises ValueError for a malformed URL
        raise MigrateError(f"cannot open {redact(url)}: {_one_line(exc)}", 2) from None


async def copy_store(source: StateStore, target: StateStore) -> int:
    """Copy every interview; verify each by reading it back. Returns how many were copied."""
    copied: dict[int, dict] = {}
    for chat_id in await source.chat_ids():
        state = await source.load(chat_id)
        if state is None:  # deleted since chat_ids(): nothing to copy
            continue
        await target.save(chat_id, state)
        copied[chat_id] = state
    wrong = [chat_id for chat_id, state in copied.items() if await target.load(chat_id) != state]
    if wrong:
        raise MigrateError(f"{len(wrong)} interview(s) read back different from the source, e.g. chat {wrong[0]}")
    return len(copied)


async def migrate(source_url: str, target_url: str) -> int:
    if source_url == target_url:
        raise MigrateError("--from and --to name the same store", 2)
    source, target = _make(source_url, must_exist=True), _make(target_url, must_exist=False)
    await _open(source, source_url)
    try:
        await _open(target, target_url)
        try:
            return await copy_store(source, target)
        except store_errors() as exc:
            raise MigrateError(f"copy failed: {_one_line(exc)}") from None
        finally:
            await target.close()
    finally:
        await source.close()


def cmd_migrate_store(args: argparse.Namespace) -> int:
    try:
        copied = asyncio.run(migrate(args.source, args.target))
    except MigrateError as exc:
        print(f"gjz migrate-store: {exc}", file=sys.stderr)
        return exc.code
    print(f"copied {copied} interview(s) from {redact(args.source)} to {redact(args.target)}; all read back identical")
    return 0


def add_parser(sub) -> None:
    """Register ``gjz migrate-store`` on the CLI's subparsers."""
    parser = sub.add_parser(
        "migrate-store",
        help="copy every interview from one store to another (bot stopped)",
        description=__doc__.split("\n\n")[1],
    )
    parser.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="URL",
        help="sqlite:///path/to/gjz.sqlite3 or postgresql://user:pass@host/db",
    )
    parser.add_argument("--to", dest="target", required=True, metavar="URL", help="the store to copy into")
    parser.set_defaults(func=cmd_migrate_store)
