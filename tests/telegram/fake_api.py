"""A local stand-in for the Telegram Bot API, over HTTP on 127.0.0.1.

It serves HTTP/1.1 keep-alive with Nagle off (TCP_NODELAY), as the real Bot API does: an
HTTP/1.0 server (a new connection per call) or Nagle's algorithm meeting delayed ACKs adds
40 ms stalls that would distort every latency measured through it.

``per_chat_limit(n, retry_after)`` makes it answer 429 like Telegram's flood control: more
than ``n`` messages to one chat within a second, and that chat is refused (``retry_after``
seconds, in ``parameters.retry_after``) while other chats go on.

It implements the methods the bot uses as Telegram documents them (https://core.telegram.org/bots/api),
including the 400 errors a real bot would get for an empty or over-long text, over-long callback
data and malformed HTML. Tests drive it like users: queue a message or a button press, then wait
for the bot's reply in that chat.
"""

from __future__ import annotations

import email.parser
import email.policy
import html.parser
import json
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "工居证助手", "username": "gjz_test_bot"}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "code",
    "pre",
    "a",
    "blockquote",
    "span",
    "tg-spoiler",
}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None):
        self.code, self.description, self.parameters = code, description, parameters


@dataclass
class SentMessage:
    message_id: int
    chat_id: int
    text: str
    parse_mode: str | None
    buttons: list[list[dict]]
    kind: str = "message"  # or "document"
    filename: str | None = None
    content: bytes | None = None  # a document's bytes as the bot sent them
    caption: str | None = None
    at: float = field(default_factory=time.perf_counter)  # when it reached "Telegram"


@dataclass
class Chat:
    id: int
    messages: list[SentMessage] = field(default_factory=list)


class _HtmlChecker(html.parser.HTMLParser):
    """Telegram's HTML parse mode: only its tags, properly nested and closed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            raise ApiError(400, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag")
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def visible_text(text: str, parse_mode: str | None) -> str:
    if parse_mode != "HTML":
        return text
    checker = _HtmlChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"{checker.stack[-1]}\"",
        )
    return "".join(checker.text)


class FakeTelegram:
    def __init__(self, token: str):
        self.token = token
        self.updates: list[dict] = []
        self.next_update_id = 1000
        self.next_message_id = 1
        self.chats: dict[int, Chat] = {}
        self.calls: list[tuple[str, dict]] = []
        self.errors: list[tuple[str, str]] = []
        self.refused: dict[int, tuple[int, str]] = {}  # chat id -> the error every send to it gets
        self.webhook: dict | None = None
        self.commands: list = []
        self.files: dict[str, bytes] = {}  # file_id -> what a user sent (getFile, /file/bot<token>/...)
        self.cond = threading.Condition()
        self._chat_conds: dict[int, threading.Condition] = {}  # on cond's lock: a reply wakes its chat's waiters only
        self.first_call: dict[str, float] = {}  # method -> perf_counter() of its first call
        self.server: ThreadingHTTPServer | None = None
        self.limit: tuple[int, float] | None = None  # per_chat_limit()
        self._sent_at: dict[int, list[float]] = {}
        self._blocked_until: dict[int, float] = {}
        self.throttled = 0  # 429s answered

    def per_chat_limit(self, per_second: int | None, retry_after: float = 1.0) -> None:
        """Answer 429 to a chat sent more than ``per_second`` messages within a second (None: off)."""
        with self.cond:
            self.limit = (per_second, retry_after) if per_second else None
            self._sent_at.clear()
            self._blocked_until.clear()

    def _throttle(self, chat_id: int) -> None:
        """Telegram's per-chat flood control for a message about to be sent to ``chat_id``."""
        if self.limit is None:
            return
        per_second, retry_after = self.limit
        now = time.monotonic()
        with self.cond:
            blocked = self._blocked_until.get(chat_id, 0.0)
            recent = [t for t in self._sent_at.get(chat_id, []) if now - t < 1.0]
            if now < blocked or len(recent) >= per_second:
                if now >= blocked:
                    blocked = self._blocked_until[chat_id] = now + retry_after
                self.throttled += 1
                wait = max(1, round(blocked - now))
                raise ApiError(429, f"Too Many Requests: retry after {wait}", {"retry_after": wait})
            recent.append(now)
            self._sent_at[chat_id] = recent

    # ------------------------------------------------------------------ server

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: every response carries Content-Length

            def setup(self):
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):
                fake._serve(self)

            do_GET = do_POST

        class Server(ThreadingHTTPServer):
            request_queue_size = 1024  # many chats at once, like the real API

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        path = urllib.parse.urlparse(request.path).path
        if urllib.parse.unquote(path).startswith(f"/file/bot{self.token}/"):  # PTB quotes the token's ":"
            return self._serve_file(request, path.rsplit("/", 1)[-1])
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            return self._respond(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method = path[len(prefix) :]
        params = self._params(request)
        if params is None:
            request.close_connection = True
            return  # the client went away mid-request (a killed bot): nothing was sent
        with self.cond:
            self.calls.append((method, params))
            self.first_call.setdefault(method, time.perf_counter())
        try:
            handler = getattr(self, "api_" + method, None)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = handler(params)
        except ApiError as exc:
            with self.cond:
                self.errors.append((method, exc.description))
                self.cond.notify_all()
            body = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return self._respond(request, exc.code, body)
        self._respond(request, 200, {"ok": True, "result": result})

    @staticmethod
    def _params(request: BaseHTTPRequestHandler) -> dict | None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if len(body) < length:
            return None
        ctype = request.headers.get("Content-Type", "")
        params: dict = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(request.path).query))
        if ctype.startswith("application/json") and body:
            params.update(json.loads(body))
        elif ctype.startswith("application/x-www-form-urlencoded"):
            params.update(urllib.parse.parse_qsl(body.decode()))
        elif ctype.startswith("multipart/form-data"):
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
            )
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                filename = part.get_filename()
                payload = part.get_payload(decode=True)
                params[name] = {"filename": filename, "content": payload} if filename else payload.decode()
        return params

    @staticmethod
    def _respond(request, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the bot stopped waiting (killed, or shut down)
            request.close_connection = True

    # ------------------------------------------------------------------ what users do

    def _push(self, update: dict) -> int:
        with self.cond:
            update["update_id"] = self.next_update_id
            self.next_update_id += 1
            self.updates.append(update)
            self.cond.notify_all()
            return update["update_id"]

    def make_message_update(self, chat_id: int, text: str) -> dict:
        return {
            "message": {
                "message_id": int(time.time() * 1000) % 10**9,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "测试"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "测试"},
                "text": text,
                **(
                    {"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])}]}
                    if text.startswith("/")
                    else {}
                ),
            }
        }

    def send_text(self, chat_id: int, text: str) -> int:
        self.chats.setdefault(chat_id, Chat(chat_id))
        return self._push(self.make_message_update(chat_id, text))

    def make_callback_update(self, chat_id: int, message: SentMessage, data: str) -> dict:
        return {
            "callback_query": {
                "id": str(self.next_update_id),
                "chat_instance": str(chat_id),
                "data": data,
                "from": {"id": chat_id, "is_bot": False, "first_name": "测试"},
                "message": {
                    "message_id": message.message_id,
                    "date": int(time.time()),
                    "text": message.text,
                    "chat": {"id": chat_id, "type": "private"},
                    "from": BOT_USER,
                },
            }
        }

    def press(self, chat_id: int, label: str, timeout: float = 20) -> int:
        """Press the button whose label contains ``label`` on the newest message that has it
        (waiting for it: a long reply arrives in parts, its buttons on the last one)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = self._find_button(chat_id, label)
                if found is not None:
                    message, button = found
                    break
                if time.monotonic() >= deadline:
                    raise AssertionError(f"no button {label!r} in chat {chat_id}")
                self.cond.wait(deadline - time.monotonic())
        return self._push(self.make_callback_update(chat_id, message, button["callback_data"]))

    def _find_button(self, chat_id: int, label: str):
        for message in reversed(self.chats.setdefault(chat_id, Chat(chat_id)).messages):
            for row in message.buttons:
                for button in row:
                    if label in button["text"]:
                        return message, button
        return None

    def _chat_cond(self, chat_id: int) -> threading.Condition:
        cond = self._chat_conds.get(chat_id)
        if cond is None:
            cond = self._chat_conds[chat_id] = threading.Condition(self.cond)
        return cond

    def wait_for(self, chat_id: int, after: int, predicate=lambda m: True, timeout: float = 20) -> SentMessage:
        """The first message to ``chat_id`` after index ``after`` matching ``predicate``."""
        deadline = time.monotonic() + timeout
        with self.cond:
            chat_cond = self._chat_cond(chat_id)
            while True:
                messages = self.chats.setdefault(chat_id, Chat(chat_id)).messages
                for m in messages[after:]:
                    if predicate(m):
                        return m
                left = deadline - time.monotonic()
                if left <= 0:
                    shown = "\n---\n".join(m.text[:300] for m in messages[-3:])
                    raise AssertionError(f"no matching reply in chat {chat_id} after {timeout}s; last:\n{shown}")
                chat_cond.wait(left)

    def get_updates_offsets(self) -> list[int]:
        with self.cond:
            return [int(p.get("offset") or 0) for m, p in self.calls if m == "getUpdates"]

    def count(self, chat_id: int) -> int:
        with self.cond:
            return len(self.chats.setdefault(chat_id, Chat(chat_id)).messages)

    # ------------------------------------------------------------------ Bot API methods

    def api_getMe(self, params):
        return BOT_USER

    def api_deleteWebhook(self, params):
        self.webhook = None
        return True

    def api_setWebhook(self, params):
        if not str(params.get("url", "")).startswith("https://") and not str(params.get("url", "")).startswith(
            "http://"
        ):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = params
        return True

    def api_setMyCommands(self, params):
        commands = params.get("commands")
        self.commands = json.loads(commands) if isinstance(commands, str) else commands
        return True

    def api_getUpdates(self, params):
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self.cond:
            if offset:
                # Telegram forgets updates below the offset: they are confirmed.
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset][:limit]
                if pending or time.monotonic() >= deadline:
                    return pending
                self.cond.wait(max(0.0, deadline - time.monotonic()))

    def _check_markup(self, params) -> list[list[dict]]:
        markup = params.get("reply_markup")
        if not markup:
            return []
        markup = json.loads(markup) if isinstance(markup, str) else markup
        rows = markup.get("inline_keyboard", [])
        for row in rows:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
        return rows

    def _record(self, chat_id: int, message: SentMessage) -> dict:
        with self.cond:
            self.chats.setdefault(chat_id, Chat(chat_id)).messages.append(message)
            self._chat_cond(chat_id).notify_all()
            self.cond.notify_all()
        return {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": BOT_USER,
            "text": message.text,
        }

    def api_sendMessage(self, params):
        chat_id = int(params.get("chat_id", 0))
        if chat_id in self.refused:  # e.g. 403 the user blocked the bot, 400 chat not found
            raise ApiError(*self.refused[chat_id])
        self._throttle(chat_id)
        text = params.get("text", "")
        parse_mode = params.get("parse_mode")
        shown = visible_text(text, parse_mode)
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        buttons = self._check_markup(params)
        with self.cond:
            message_id = self.next_message_id
            self.next_message_id += 1
        return self._record(chat_id, SentMessage(message_id, chat_id, shown, parse_mode, buttons))

    def _find(self, chat_id: int, message_id: int) -> SentMessage:
        for m in self.chats.get(chat_id, Chat(chat_id)).messages:
            if m.message_id == message_id:
                return m
        raise ApiError(400, "Bad Request: message to edit not found")

    def api_editMessageText(self, params):
        self._throttle(int(params.get("chat_id", 0)))
        message = self._find(int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        shown = visible_text(params.get("text", ""), params.get("parse_mode"))
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(shown) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        buttons = self._check_markup(params)
        if shown == message.text and buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text, message.buttons = shown, buttons
        return {
            "message_id": message.message_id,
            "chat": {"id": message.chat_id, "type": "private"},
            "date": int(time.time()),
            "text": shown,
        }

    def api_editMessageReplyMarkup(self, params):
        message = self._find(int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        buttons = self._check_markup(params)
        if buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        message.buttons = buttons
        return {
            "message_id": message.message_id,
            "chat": {"id": message.chat_id, "type": "private"},
            "date": int(time.time()),
            "text": message.text,
        }

    def api_answerCallbackQuery(self, params):
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        return True

    def send_document(self, chat_id: int, filename: str, content: bytes) -> int:
        """A user sends a file (HR's staff list): kept for getFile, and pushed as a message."""
        with self.cond:
            file_id = f"doc{len(self.files) + 1}"
            self.files[file_id] = content
        update = self.make_message_update(chat_id, "")
        del update["message"]["text"]
        update["message"]["document"] = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": filename,
            "file_size": len(content),
        }
        return self._push(update)

    def api_getFile(self, params):
        file_id = params.get("file_id")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
            "file_path": f"documents/{file_id}",
        }

    def _serve_file(self, request, file_id: str) -> None:
        data = self.files.get(file_id)
        if data is None:
            return self._respond(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        request.send_response(200)
        request.send_header("Content-Type", "application/octet-stream")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    def api_sendChatAction(self, params):
        return True

    def api_sendDocument(self, params):
        chat_id = int(params.get("chat_id", 0))
        self._throttle(chat_id)
        document = params.get("document")
        if not isinstance(document, dict) or not document.get("content"):
            raise ApiError(400, "Bad Request: file must be non-empty")
        with self.cond:
            message_id = self.next_message_id
            self.next_message_id += 1
        message = SentMessage(
            message_id,
            chat_id,
            document["content"].decode("utf-8", "replace"),
            None,
            [],
            kind="document",
            filename=document.get("filename"),
        )
        message.content, message.caption = document["content"], params.get("caption")
        return self._record(chat_id, message)
