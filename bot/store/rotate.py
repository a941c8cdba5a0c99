"""``gjz rotate-key``: re-seal every stored row with the newest data key (crypto.py).

Rotation: put a new key first in ``GJZ_DATA_KEY`` (keep the old one after it) and restart
the bot, so every process can open both; then run ``gjz rotate-key``; then drop the old key
(backups made before still need it). With the embedded key file, ``gjz rotate-key --new``
writes a new key at the top of ``gjz.key`` first: run it with the bot stopped, as the bot
reads the file only when it starts. Rows written before encryption are sealed by it too.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from . import open_store, store_errors
from .crypto import ENV, KEY_FILE, DataKeyError, generate_key, key_id, read_key_file, write_key_file
from .migrate import MigrateError, _one_line, _open, redact


def add_key_to_file(folder: Path) -> str:
    """A new key first in the folder's key file (created if missing); returns its id."""
    if (os.environ.get(ENV) or "").strip():
        raise MigrateError(
            f"{ENV} is set: put a new key first in it instead "
            "(openssl rand -base64 32), restart the bot, then run gjz rotate-key",
            2,
        )
    path = folder / KEY_FILE
    keys = read_key_file(path) if path.exists() else []
    new = generate_key()
    write_key_file(path, [new, *keys])
    return key_id(new)


async def rotate(new_key: bool) -> tuple[int, int, str]:
    url = os.environ.get("GJZ_DATABASE_URL", "").strip()
    try:
        store = open_store(url or None)
    except ValueError as exc:
        raise MigrateError(str(exc), 2) from None
    path = getattr(store, "path", None)
    if new_key:
        if path is None:
            raise MigrateError(f"--new is for the embedded key file; with PostgreSQL put a new key first in {ENV}", 2)
        Path(path).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        add_key_to_file(Path(path).parent)
    await _open(store, url or f"sqlite:///{path}")
    try:
        resealed, seen = await store.rotate_keys()
        return resealed, seen, store.key_id
    except store_errors() as exc:
        raise MigrateError(f"rotation failed: {_one_line(exc)}") from None
    finally:
        await store.close()


def cmd_rotate_key(args: argparse.Namespace) -> int:
    try:
        resealed, seen, newest = asyncio.run(rotate(args.new))
    except (MigrateError, DataKeyError) as exc:
        print(f"gjz rotate-key: {exc}", file=sys.stderr)
        return getattr(exc, "code", 2)
    where = redact(os.environ.get("GJZ_DATABASE_URL", "").strip()) or "the SQLite store"
    print(
        f"re-sealed {resealed} of {seen} row(s) in {where} with key {newest}; every row now opens with it, "
        "so older keys can be dropped (keep them for backups made before)"
    )
    return 0


def add_parser(sub) -> None:
    """Register ``gjz rotate-key`` on the CLI's subparsers."""
    parser = sub.add_parser(
        "rotate-key", help="re-encrypt every stored row with the newest data key", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument(
        "--new", action="store_true", help="first add a new key at the top of the embedded key file (bot stopped)"
    )
    parser.set_defaults(func=cmd_rotate_key)
