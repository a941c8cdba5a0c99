"""The calls of every turn (getUpdates, sendMessage, answerCallbackQuery) over lean HTTP/1.1.

A profile of `gjz run` under 50 chats spent half its time in python-telegram-bot's request
stack for these three calls: parameter objects, httpx's client (cookies, auth, redirects,
event hooks), httpcore's pool checking every connection's socket on every request, and a
Message object built from each answer nobody reads. Here they are a JSON body written to a
kept-alive connection and a JSON answer read back (Content-Length or chunked), over TLS for
the real api.telegram.org. Everything else (getMe, setMyCommands, documents, edits) goes to
the python-telegram-bot Bot this wraps, so callers use one object with the Bot's method names.

Errors are python-telegram-bot's own (RetryAfter with its seconds, BadRequest, Forbidden,
InvalidToken, Conflict, NetworkError, TimedOut), so the callers' handling is the same for both.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import urllib.parse

from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut


class LeanBotApi:
    def __init__(self, bot, api_url: str, connections: int = 4, timeout: float = 15.0):
        self.bot = bot  # the python-telegram-bot Bot: everything not done here
        parts = urllib.parse.urlsplit(api_url + bot.token)
        self._secure = parts.scheme == "https"
        self._host = parts.hostname or "api.telegram.org"
        self._port = parts.port or (443 if self._secure else 80)
        self._path = parts.path.rstrip("/") + "/"
        self._host_header = parts.netloc.rsplit("@", 1)[-1]
        self._timeout = timeout
        self._gate = asyncio.Semaphore(connections)
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._poll_connection: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._ssl = ssl.create_default_context() if self._secure else None
        # Behind a proxy (httpx honours these variables; this client does not speak to
        # proxies), every call goes through the python-telegram-bot client instead.
        proxy_vars = ("HTTPS_PROXY", "https_proxy") if self._secure else ("HTTP_PROXY", "http_proxy")
        self._via_bot = any(os.environ.get(v) for v in (*proxy_vars, "ALL_PROXY", "all_proxy"))

    def __getattr__(self, name):
        return getattr(self.bot, name)

    # ------------------------------------------------------------------ the calls of a turn

    async def send_message(
        self, chat_id: int, text: str, parse_mode=None, reply_markup=None, disable_web_page_preview=None, **extra
    ) -> dict:
        params = {"chat_id": chat_id, "text": text}
        if parse_mode:
            params["parse_mode"] = str(parse_mode)
        if reply_markup is not None:
            params["reply_markup"] = reply_markup.to_dict() if hasattr(reply_markup, "to_dict") else reply_markup
        if disable_web_page_preview:
            params["link_preview_options"] = {"is_disabled": True}
        params.update({k: v for k, v in extra.items() if v is not None})
        return await self.call("sendMessage", params)

    async def answer_callback_query(self, callback_query_id: str, **extra) -> bool:
        return await self.call("answerCallbackQuery", {"callback_query_id": callback_query_id, **extra})

    async def get_updates_raw(
        self, offset: int | None, timeout: int, limit: int = 100, allowed_updates: list[str] | None = None
    ) -> list[dict]:
        """The updates as JSON (not Update objects: the caller builds only the new ones)."""
        params = {"timeout": timeout, "limit": limit}
        if offset is not None:
            params["offset"] = offset
        if allowed_updates is not None:
            params["allowed_updates"] = allowed_updates
        return await self.call("getUpdates", params, timeout=timeout + 10, pool=self._poll_connection)

    # ------------------------------------------------------------------ HTTP

    async def call(self, method: str, params: dict, timeout: float | None = None, pool=None):
        if self._via_bot:
            return await self.bot.do_api_request(method, api_kwargs=params, read_timeout=timeout or self._timeout)
        body = json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode()
        head = (
            f"POST {self._path}{method} HTTP/1.1\r\nHost: {self._host_header}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode()
        gate = self._gate if pool is None else _NO_GATE
        pool = self._idle if pool is None else pool
        async with gate:
            connection = pool.pop() if pool else None
            try:
                if connection is None:
                    connection = await asyncio.wait_for(
                        asyncio.open_connection(self._host, self._port, ssl=self._ssl), self._timeout
                    )
                reader, writer = connection
                writer.write(head + body)
                status, answer, keep = await asyncio.wait_for(_read_response(reader), timeout or self._timeout)
            except TimeoutError:
                _close(connection)
                raise TimedOut(f"{method} timed out") from None
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                _close(connection)
                raise NetworkError(f"{method}: {type(exc).__name__}") from None
            except BaseException:  # cancelled mid-request: the connection's state is unknown
                _close(connection)
                raise
            if keep:
                pool.append(connection)
            else:
                _close(connection)
        return _result(status, answer)


class _NoGate:
    async def __aenter__(self):
        return None

    async def __aexit__(self, *exc):
        return False


_NO_GATE = _NoGate()


def _close(connection) -> None:
    if connection is not None:
        connection[1].close()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    status_line = await reader.readuntil(b"\r\n")
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        raise ValueError("not an HTTP/1.x response")
    status = int(parts[1])
    headers: dict[bytes, bytes] = {}
    while True:
        line = await reader.readuntil(b"\r\n")
        if line == b"\r\n":
            break
        name, _, value = line.partition(b":")
        headers[name.strip().lower()] = value.strip()
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        body = b"".join(chunks)
    elif b"content-length" in headers:
        body = await reader.readexactly(int(headers[b"content-length"]))
    else:  # no length: the body runs to the end of the connection
        return status, await reader.read(), False
    keep = headers.get(b"connection", b"").lower() != b"close" and not status_line.startswith(b"HTTP/1.0")
    return status, body, keep


def _result(status: int, answer: bytes):
    try:
        data = json.loads(answer)
    except ValueError:
        raise NetworkError(f"Bot API answered {status} without JSON") from None
    if data.get("ok"):
        return data.get("result")
    description = data.get("description") or f"error {status}"
    code = data.get("error_code", status)
    parameters = data.get("parameters") or {}
    if "retry_after" in parameters:
        raise RetryAfter(int(parameters["retry_after"]))
    if code in (401, 404):
        raise InvalidToken(description)
    if code == 403:
        raise Forbidden(description)
    if code == 409:
        raise Conflict(description)
    if code == 400:
        raise BadRequest(description)
    raise NetworkError(description)
