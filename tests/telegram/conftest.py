"""Run the real `gjz run` process against the local Bot API stand-in."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.dialog.spec import load_spec
from tests.conftest import REPO

from .fake_api import FakeTelegram, SentMessage

SPEC = load_spec()

TOKEN = "123456789:TEST-token_for_the_local_stand_in_0001"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BotProcess:
    """The bot as a user would start it: `python -m bot run` with only environment settings."""

    def __init__(self, api_url: str, data_dir: Path, extra_env: dict | None = None, command: list[str] | None = None):
        self.command = command or [sys.executable, "-m", "bot", "run"]  # or another bot, started alike (bare_ptb_bot)
        self.env = {
            **os.environ,
            "GJZ_TELEGRAM_TOKEN": TOKEN,
            "GJZ_TELEGRAM_API_URL": api_url,
            "GJZ_DATA_DIR": str(data_dir),
            **(extra_env or {}),
        }
        self.env.pop("GJZ_DATABASE_URL", None)
        self.proc: subprocess.Popen | None = None
        self.log = data_dir / "bot.log"

    def start(self) -> BotProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            self.command,
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        return self

    def wait_ready(self, fake: FakeTelegram, timeout: float = 30, call: str = "setMyCommands") -> BotProcess:
        """Until the bot has made ``call`` (setMyCommands: gjz run's last start-up call), or fail with its log."""
        deadline = time.monotonic() + timeout
        while call not in fake.first_call:
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("bot did not start:\n" + self.log.read_text(errors="replace"))
            time.sleep(0.05)
        return self

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def _probes(template: str) -> list[str]:
    """Literal stretches of a question's text (outside its Jinja tags) that identify it."""
    pieces = (p.strip() for p in re.split(r"\{[{%].*?[}%]\}", template))
    return [p[:12] for p in pieces if len(p) >= 6]


PROBES = {name: _probes(question.text) for name, question in SPEC.questions.items()}


def field_asked(text: str) -> str | None:
    """The interview question a message asks (found by its text in dialogs/interview.yaml)."""
    for name, probes in PROBES.items():
        if any(probe in text for probe in probes):
            return name
    return None


def is_verdict(message: SentMessage) -> bool:
    return any(b.get("callback_data") == "c:restart" for row in message.buttons for b in row)


def ends_turn(message: SentMessage) -> bool:
    """The message a turn ends with: the next question, or the verdict."""
    return field_asked(message.text) is not None or is_verdict(message)


class Conversation:
    """One user's chat: say something or press a button, then read the bot's answer."""

    def __init__(self, fake: FakeTelegram, chat_id: int):
        self.fake, self.chat_id = fake, chat_id

    def _after(self, push, expect: str | None, timeout: float) -> SentMessage:
        seen = self.fake.count(self.chat_id)
        push()
        predicate = (lambda m: expect in m.text) if expect else ends_turn
        return self.fake.wait_for(self.chat_id, seen, predicate, timeout)

    def say(self, text: str, expect: str | None = None, timeout: float = 20) -> SentMessage:
        return self._after(lambda: self.fake.send_text(self.chat_id, text), expect, timeout)

    def press(self, label: str, expect: str | None = None, timeout: float = 20) -> SentMessage:
        return self._after(lambda: self.fake.press(self.chat_id, label), expect, timeout)

    @property
    def last(self) -> SentMessage:
        return self.fake.chats[self.chat_id].messages[-1]


@pytest.fixture
def fake_api():
    fake = FakeTelegram(TOKEN)
    url = fake.start()
    fake.url = url
    yield fake
    fake.stop()


@pytest.fixture
def bot(fake_api, tmp_path):
    process = BotProcess(fake_api.url, tmp_path / "data").start().wait_ready(fake_api)
    yield process
    process.stop()
