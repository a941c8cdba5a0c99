"""JSON-lines logging: one object per line, chat ids hashed, no message text or answers.

Only what the code passes explicitly is logged (event kinds, hashed chat refs, timings,
exception types); user input, incomes, ID numbers and names never reach a log call.

Whatever fails, secrets are not printed: every line (message, fields, traceback) and all
of stderr pass through ``redact``, which blanks the bot token, the data keys, the webhook
secrets and a database URL's password. The framework's loggers (python-telegram-bot, httpx,
httpcore) log every update, reply and request URL at DEBUG, so they stay at INFO (httpx at
WARNING) whatever GJZ_LOG_LEVEL says, unless it says ``TRACE_UNSAFE``: then they log
everything, personal data included, with a warning line first. A message repeated in a
burst (an fd shortage, a scan of the port) is logged 20 times per 10 s, then counted.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import threading
import time
import traceback

# Attributes every LogRecord has; anything else was passed with extra= and is logged as a field.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime", "color_message"}

TRACE_UNSAFE = "TRACE_UNSAFE"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", TRACE_UNSAFE)
# Loggers that quote updates, replies or URLs (with the token) below INFO.
FRAMEWORK = {
    "telegram": logging.INFO,
    "telegram.ext": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "asyncpg": logging.INFO,
    "uvicorn.access": logging.WARNING,
}
_SECRET_SETTINGS = ("GJZ_TELEGRAM_TOKEN", "GJZ_WEBHOOK_SECRET", "GJZ_WEBHOOK_SECRET_PREVIOUS")
# Anything shaped like a bot token (as config checks it), even one not in the environment.
_TOKEN_SHAPE = re.compile(r"\d{3,20}:[A-Za-z0-9_-]{20,100}")
_URL_PASSWORD = re.compile(r"(\w+://[^:/@\s]*:)[^@\s]+@")
REDACTED = "[redacted]"


def _secrets(env=os.environ) -> list[str]:
    found = [(env.get(name) or "").strip() for name in _SECRET_SETTINGS]
    found += [part.strip() for part in (env.get("GJZ_DATA_KEY") or "").split(",")]
    return sorted({s for s in found if len(s) >= 8}, key=len, reverse=True)


def redact(text: str, env=os.environ) -> str:
    for secret in _secrets(env):
        text = text.replace(secret, REDACTED)
    return _URL_PASSWORD.sub(r"\1***@", _TOKEN_SHAPE.sub(REDACTED, text))


class RedactingFilter(logging.Filter):
    """On the handler, so every record is cleaned, whichever logger it comes from."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str):
                setattr(record, key, redact(value))
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
        return True


class FloodFilter(logging.Filter):
    """At most ``burst`` records of one (logger, message template) per ``window`` seconds; the
    next one let through carries ``suppressed``: how many were dropped meanwhile."""

    def __init__(self, burst: int = 20, window: float = 10.0):
        super().__init__()
        self.burst, self.window = burst, window
        self._seen: dict[tuple, list] = {}  # key -> [window start, count, dropped]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg)[:200])
        now = time.monotonic()
        with self._lock:
            entry = self._seen.get(key)
            if entry is None or now - entry[0] >= self.window:
                dropped = entry[2] if entry else 0
                if len(self._seen) > 1000:
                    self._seen.clear()
                self._seen[key] = [now, 1, 0]
                if dropped:
                    record.suppressed = dropped
                return True
            entry[1] += 1
            if entry[1] > self.burst:
                entry[2] += 1
                return False
            return True


class JsonFormatter(logging.Formatter):
    def __init__(self, tracebacks: bool = False):
        super().__init__()
        self.tracebacks = tracebacks  # TRACE_UNSAFE only: a traceback's text may quote input

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__  # the type only: messages may quote input
            if self.tracebacks and record.exc_text:
                entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


class RedactingStream:
    """stderr through ``redact``: a traceback printed by Python itself (an uncaught exception,
    a dying multiprocessing worker) cannot show the token either."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(redact(text))
        return len(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def protect_stderr() -> None:
    if not isinstance(sys.stderr, RedactingStream):
        sys.stderr = RedactingStream(sys.stderr)


def setup_logging(level: str | None = None) -> None:
    protect_stderr()
    name = (level or os.environ.get("GJZ_LOG_LEVEL") or "INFO").strip().upper()
    unsafe = name == TRACE_UNSAFE
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(tracebacks=unsafe))
    handler.addFilter(RedactingFilter())
    handler.addFilter(FloodFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if unsafe else logging.getLevelName(name) if name in LEVELS else logging.INFO)
    for framework, floor in FRAMEWORK.items():
        logging.getLogger(framework).setLevel(logging.DEBUG if unsafe else max(floor, root.level))
    for uv in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(uv).handlers[:] = []
        logging.getLogger(uv).propagate = True
    if name not in LEVELS:
        logging.getLogger("gjz").warning("GJZ_LOG_LEVEL %r is not one of %s; using INFO", name[:20], ", ".join(LEVELS))
    if unsafe:
        logging.getLogger("gjz").warning(
            "GJZ_LOG_LEVEL=TRACE_UNSAFE: the framework logs every update and reply, "
            "personal data included; for a debugging session only"
        )
