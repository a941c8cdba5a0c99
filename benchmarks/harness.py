"""What the Telegram benchmarks share: a bot process on a fresh Bot API stand-in, polling
(`gjz run`, or another bot started alike) or webhook (`gjz serve` on PostgreSQL), and
Telegram's side of each: ``side.text(chat, text)`` and ``side.press(chat, label, message)``
deliver one update the way that bot receives it.

Both are context managers that stop the bot and the stand-in at the end; each side carries
``fake`` (the stand-in), ``process`` (for its log and pid) and ``ready`` (seconds from the
process's start to the bot being ready).
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.server.conftest import ServeProcess, post_update
from tests.telegram.conftest import TOKEN, BotProcess
from tests.telegram.fake_api import FakeTelegram, SentMessage


class Polling:
    """Telegram's side of a polling bot: updates wait in the stand-in for its getUpdates."""

    def __init__(self, fake: FakeTelegram, process: BotProcess, ready: float):
        self.fake, self.process, self.ready = fake, process, ready

    def text(self, chat: int, text: str) -> None:
        self.fake.send_text(chat, text)

    def press(self, chat: int, label: str, message: SentMessage) -> None:
        self.fake.press(chat, label)


class Webhook:
    """Telegram's side of `gjz serve`: each update numbered and posted, and posted again until
    the server answers 200 (after ``retry_pause`` seconds), as Telegram redelivers."""

    def __init__(self, fake: FakeTelegram, process: ServeProcess, ready: float, timeout: float, retry_pause: float):
        self.fake, self.process, self.ready = fake, process, ready
        self.timeout, self.retry_pause = timeout, retry_pause
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def numbered(self, update: dict) -> dict:
        with self._lock:
            update["update_id"] = next(self._ids)
        return update

    def update_for(self, chat: int, text: str) -> dict:
        return self.numbered(self.fake.make_message_update(chat, text))

    def deliver(self, update: dict) -> None:
        while post_update(self.process.url, update, timeout=self.timeout) != 200:
            time.sleep(self.retry_pause)

    def text(self, chat: int, text: str) -> None:
        self.deliver(self.update_for(chat, text))

    def press(self, chat: int, label: str, message: SentMessage) -> None:
        button = next(b for row in message.buttons for b in row if label in b["text"])
        self.deliver(self.numbered(self.fake.make_callback_update(chat, message, button["callback_data"])))


@contextmanager
def stand_in() -> Iterator[FakeTelegram]:
    fake = FakeTelegram(TOKEN)
    fake.url = fake.start()
    try:
        yield fake
    finally:
        fake.stop()


@contextmanager
def polling_bot(
    data: Path, command: list[str] | None = None, ready_call: str = "setMyCommands", timeout: float = 30
) -> Iterator[Polling]:
    """`gjz run` (or ``command``) with its data in ``data``, ready once it has made ``ready_call``:
    setMyCommands is gjz run's last start-up call, getUpdates the first poll of any bot."""
    with stand_in() as fake:
        started = time.perf_counter()
        process = BotProcess(fake.url, data, command=command).start()
        try:
            process.wait_ready(fake, timeout, call=ready_call)
            yield Polling(fake, process, fake.first_call[ready_call] - started)
        finally:
            process.stop()


@contextmanager
def webhook_bot(
    database: str, data: Path, workers: int, timeout: float = 30, retry_pause: float = 0.01
) -> Iterator[Webhook]:
    """`gjz serve --workers N` on ``database``, ready once it answers /readyz."""
    with stand_in() as fake:
        started = time.perf_counter()
        process = ServeProcess(fake.url, database, data, workers=workers).start()
        try:
            yield Webhook(fake, process, time.perf_counter() - started, timeout, retry_pause)
        finally:
            process.stop()
