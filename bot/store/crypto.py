"""Encryption at rest: what a store writes about a user is sealed with AES-256-GCM.

Interview state and stored replies are encrypted before they reach SQLite or PostgreSQL, so
the database files, their WAL, dead row versions, dumps and backups hold ciphertext only.
AES-GCM is authenticated: a changed byte makes decryption fail instead of yielding altered
answers. Each value is bound (as associated data) to the row it belongs to, so a ciphertext
copied onto another chat's row does not decrypt there.

A sealed value is text: ``gjz1.<key id>.<base64url(nonce | ciphertext | tag)>``. The key id is
the first 8 hex digits of SHA-256 over the key, so a reader knows which key sealed a row
without anyone naming keys by hand, and the id reveals nothing about the key.

Keys (32 random bytes, base64; ``openssl rand -base64 32``) come from ``GJZ_DATA_KEY``: one key,
or several separated by commas, **newest first**. New values are sealed with the first; every
key listed still decrypts, so rotating is: put a new key first, restart, ``gjz rotate-key``
(re-seals every row with the newest key), then drop the old key. Without ``GJZ_DATA_KEY`` the
embedded default (SQLite) keeps its keys in a file beside the database, ``gjz.key`` (mode 600,
one key a line, newest first), created on first start. PostgreSQL, shared by several workers
and hosts, needs ``GJZ_DATA_KEY``: a key file per host would seal rows other hosts cannot read.
Rows written before encryption existed (plain JSON) are still read, and re-sealed by the next
write or by ``gjz rotate-key``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

log = logging.getLogger("gjz.store")

PREFIX = "gjz1"
KEY_FILE = "gjz.key"
ENV = "GJZ_DATA_KEY"
_NONCE = 12  # bytes; random per value (2^-32 collision risk only after ~2^32 writes under one key)


class DataKeyError(ValueError):
    """A key is missing, malformed or unknown; one line for the operator, never key material."""


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def generate_key() -> bytes:
    return secrets.token_bytes(32)


def encode_key(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def decode_key(text: str, where: str) -> bytes:
    text = text.strip()
    try:
        # Standard base64 (openssl rand -base64 32) or the URL-safe alphabet, padding optional.
        key = base64.b64decode(
            text + "=" * (-len(text) % 4), altchars=b"-_" if ("-" in text or "_" in text) else None, validate=True
        )
    except (binascii.Error, ValueError):
        raise DataKeyError(f"{where}: a key is not base64 (generate one with: openssl rand -base64 32)") from None
    if len(key) != 32:
        raise DataKeyError(f"{where}: a key must be 32 bytes (44 base64 characters), got {len(key)} bytes")
    return key


@dataclass(frozen=True)
class DataKeys:
    """The keys a store seals and opens with: ``keys[0]`` seals, all of them open."""

    keys: tuple[bytes, ...]
    source: str  # "GJZ_DATA_KEY" or the key file's path, for messages

    def __post_init__(self):
        if not self.keys:
            raise DataKeyError(f"{self.source}: no key")

    @property
    def newest_id(self) -> str:
        return key_id(self.keys[0])

    @property
    def _by_id(self) -> dict[str, AESGCM]:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {key_id(k): AESGCM(k) for k in reversed(self.keys)}  # the newest wins an (unlikely) id clash
            object.__setattr__(self, "_cache", cache)
        return cache

    def seal(self, plaintext: str, row: str) -> str:
        """``row`` names the value's place (e.g. ``interviews:42``): a copy elsewhere fails to open."""
        nonce = os.urandom(_NONCE)
        sealed = self._by_id[self.newest_id].encrypt(nonce, plaintext.encode("utf-8"), row.encode())
        return f"{PREFIX}.{self.newest_id}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii').rstrip('=')}"

    def open(self, stored: str, row: str) -> str:
        if not is_sealed(stored):
            return stored  # written before encryption: plain JSON, re-sealed on the next write
        _, kid, body = stored.split(".", 2)
        cipher = self._by_id.get(kid)
        if cipher is None:
            raise DataKeyError(
                f"a stored row is sealed with key {kid}, which {self.source} does not hold "
                "(keys are listed newest first; keep an old key until `gjz rotate-key` has run)"
            )
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        try:
            return cipher.decrypt(raw[:_NONCE], raw[_NONCE:], row.encode()).decode("utf-8")
        except InvalidTag:
            raise DataKeyError(
                f"a stored row under key {kid} failed authentication (altered, or moved from another row)"
            ) from None

    def sealed_with_newest(self, stored: str) -> bool:
        return stored.startswith(f"{PREFIX}.{self.newest_id}.")


def is_sealed(stored: str) -> bool:
    return stored.startswith(PREFIX + ".")


def keys_from_env(env=os.environ) -> list[bytes]:
    text = (env.get(ENV) or "").strip()
    return [decode_key(part, ENV) for part in text.split(",") if part.strip()]


def read_key_file(path: Path) -> list[bytes]:
    lines = path.read_text(encoding="ascii").splitlines()
    return [decode_key(line, str(path)) for line in lines if line.strip() and not line.startswith("#")]


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Replace the key file atomically, mode 600 whatever the umask."""
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(
            fd,
            (
                "# gjz data keys, newest first. Losing this file loses every interview;\n"
                "# back it up apart from the database. See deploy/README.md.\n"
                + "".join(encode_key(k) + "\n" for k in keys)
            ).encode("ascii"),
        )
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _create_key_file(path: Path) -> None:
    """First start: a new key in a new file. ``link`` refuses to overwrite, so two processes
    starting at once agree on one file (the loser reads the winner's)."""
    tmp = path.with_name(path.name + f".{os.getpid()}.new")
    write_key_file(tmp, [generate_key()])
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    finally:
        tmp.unlink(missing_ok=True)
    # The path only, never the key: the operator must know the file exists to back it up.
    log.warning(
        "created a data key in %s (encrypts the interviews at rest): back it up apart from the database; "
        "without it the stored interviews cannot be read",
        path,
    )


def resolve_keys(folder: Path | None, env=os.environ) -> DataKeys:
    """``GJZ_DATA_KEY`` (newest first), followed by the key file's keys when ``folder`` (the
    embedded store's folder) holds one, so moving from the file to the variable is a rotation.
    With neither, the embedded store creates the file; a shared store (``folder`` None) refuses."""
    keys = keys_from_env(env)
    if folder is None:
        if not keys:
            raise DataKeyError(
                f"{ENV} is not set: PostgreSQL needs the same key on every worker "
                "(generate one with: openssl rand -base64 32; see deploy/README.md)"
            )
        return DataKeys(tuple(keys), ENV)
    path = folder / KEY_FILE
    if not keys and not path.exists():
        _create_key_file(path)
    if path.exists():
        os.chmod(path, 0o600)  # a file copied in by hand keeps no wider mode
        keys += [k for k in read_key_file(path) if k not in keys]
    return DataKeys(tuple(keys), ENV if keys_from_env(env) else str(path))
