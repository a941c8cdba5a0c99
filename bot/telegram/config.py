"""Settings from the environment, checked once at start with one-line errors."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

DEFAULT_API_URL = "https://api.telegram.org/bot"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")


class ConfigError(ValueError):
    """A setting is missing or malformed; the message is one line for the operator."""


@dataclass(frozen=True)
class Settings:
    token: str
    api_url: str
    webhook_url: str | None
    webhook_secret: str | None
    webhook_secret_previous: str | None
    listen: str
    port: int
    data_dir: str
    database_url: str | None

    @property
    def api_file_url(self) -> str:
        # https://api.telegram.org/bot -> https://api.telegram.org/file/bot
        base = self.api_url.rstrip("/")
        head, _, tail = base.rpartition("/")
        return f"{head}/file/{tail}"


def token_from_env(env=os.environ) -> str | None:
    token = (env.get("GJZ_TELEGRAM_TOKEN") or "").strip()
    return token or None


def load_settings(env=os.environ) -> Settings:
    token = token_from_env(env)
    if token is None:
        raise ConfigError("GJZ_TELEGRAM_TOKEN is not set (get one from @BotFather)")
    if not _TOKEN.match(token):
        raise ConfigError("GJZ_TELEGRAM_TOKEN is malformed: expected '<digits>:<letters>' as @BotFather gives it")
    webhook_url = (env.get("GJZ_WEBHOOK_URL") or "").strip() or None
    secret = (env.get("GJZ_WEBHOOK_SECRET") or "").strip() or None
    if webhook_url:
        if not webhook_url.startswith(("https://", "http://")):
            raise ConfigError("GJZ_WEBHOOK_URL must be an http(s) URL")
        if not secret:
            raise ConfigError("GJZ_WEBHOOK_SECRET is required in webhook mode (1-256 of A-Z a-z 0-9 _ -)")
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ConfigError("GJZ_WEBHOOK_SECRET may contain only A-Z a-z 0-9 _ - (1-256 characters)")
    port_text = env.get("GJZ_PORT", "8080")
    try:
        port = int(port_text)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise ConfigError(f"GJZ_PORT must be a port number, got {port_text!r}") from None
    database_url = (env.get("GJZ_DATABASE_URL") or "").strip() or None
    _check_storage(env, database_url)
    return Settings(
        token=token,
        api_url=(env.get("GJZ_TELEGRAM_API_URL") or DEFAULT_API_URL).strip(),
        webhook_url=webhook_url,
        webhook_secret=secret,
        webhook_secret_previous=(env.get("GJZ_WEBHOOK_SECRET_PREVIOUS") or "").strip() or None,
        listen=env.get("GJZ_LISTEN", "127.0.0.1"),
        port=port,
        data_dir=env.get("GJZ_DATA_DIR", "./var"),
        database_url=database_url,
    )


def _check_storage(env, database_url: str | None) -> None:
    """The data key and the retention, checked before anything starts (never echoing a key)."""
    from ..store.base import retention
    from ..store.crypto import ENV, DataKeyError, keys_from_env

    try:
        keys = keys_from_env(env)
        retention(env)
    except (DataKeyError, ValueError) as exc:
        raise ConfigError(str(exc)) from None
    if database_url and database_url.startswith(("postgresql://", "postgres://")) and not keys:
        raise ConfigError(
            f"{ENV} is required with PostgreSQL, the same on every worker "
            "(generate one with: openssl rand -base64 32; see deploy/README.md)"
        )
