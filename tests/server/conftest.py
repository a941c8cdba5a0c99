"""Webhook workers (`gjz serve`) against the Bot API stand-in, sharing a real PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.telegram.conftest import TOKEN, free_port
from tests.telegram.fake_api import FakeTelegram

SECRET = "test_webhook_secret_01"
DATA_KEY = "c2VydmUtdGVzdHMtZGF0YS1rZXktMzItYnl0ZXMhISE="  # 32 bytes, base64: PostgreSQL needs one


class ServeProcess:
    """One `gjz serve` process (one or more workers) on its own port."""

    def __init__(
        self,
        api_url: str,
        database_url: str,
        data_dir: Path,
        workers: int = 1,
        knowledge_dir: Path | None = None,
        extra_env: dict | None = None,
    ):
        self.port = free_port()
        self.log = data_dir / f"serve-{self.port}.log"
        self.env = {
            **os.environ,
            "GJZ_TELEGRAM_TOKEN": TOKEN,
            "GJZ_TELEGRAM_API_URL": api_url,
            "GJZ_WEBHOOK_SECRET": SECRET,
            "GJZ_DATABASE_URL": database_url,
            "GJZ_DATA_DIR": str(data_dir),
            "GJZ_DATA_KEY": DATA_KEY,
        }
        if knowledge_dir:
            self.env["GJZ_KNOWLEDGE_DIR"] = str(knowledge_dir)
        self.env.update(extra_env or {})
        self.workers = workers
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServeProcess:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--workers", str(self.workers), "--port", str(self.port)],
            cwd=REPO,
            env=self.env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if urllib.request.urlopen(self.url + "/readyz", timeout=2).status == 200:
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("gjz serve did not become ready:\n" + self.log.read_text(errors="replace"))
            time.sleep(0.1)

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def kill_all(self) -> None:
        """SIGKILL the supervisor and its workers: the whole process group dies at once."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def post_update(url: str, update: dict, secret: str | None = SECRET, timeout: float = 30) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url + "/telegram", json.dumps(update).encode(), headers)
    try:
        return urllib.request.urlopen(request, timeout=timeout).status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError, OSError):
        return 0  # the worker is gone: like Telegram, try again


class Deliverer:
    """Telegram's side of a webhook behind a load balancer: each update goes to the next
    worker in turn; anything but 200 is delivered again (to the other worker)."""

    def __init__(self, fake: FakeTelegram, workers: list[ServeProcess]):
        self.fake, self.workers = fake, workers
        self.turn = 0
        self.lock = threading.Lock()
        self.attempts = 0
        self.acknowledged: list[int] = []

    def _next(self) -> ServeProcess:
        with self.lock:
            self.turn += 1
            return self.workers[self.turn % len(self.workers)]

    def deliver(self, update: dict, deadline_s: float = 60) -> None:
        deadline = time.monotonic() + deadline_s
        while True:
            worker = self._next()
            with self.lock:
                self.attempts += 1
            if post_update(worker.url, update) == 200:
                with self.lock:
                    self.acknowledged.append(update["update_id"])
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"update {update['update_id']} was never acknowledged")
            time.sleep(0.05)


@pytest.fixture
def fake_api():
    fake = FakeTelegram(TOKEN)
    fake.url = fake.start()
    yield fake
    fake.stop()
