"""The command menu (setMyCommands) in webhook mode: gjz serve sends it once, not once per
worker, and gjz set-webhook sends it too; both send the one list of dialogs/commands.yaml."""

from __future__ import annotations

import subprocess
import sys

from bot.dialog.commands import menu
from tests.conftest import REPO
from tests.telegram.conftest import TOKEN

from .conftest import SECRET, ServeProcess


def sent_menus(fake) -> int:
    return sum(method == "setMyCommands" for method, _ in fake.calls)


def test_serve_sends_the_menu_once_for_all_its_workers(fake_api, pg_url, tmp_path):
    serving = ServeProcess(fake_api.url, pg_url, tmp_path / "data", workers=2).start()
    try:
        assert sent_menus(fake_api) == 1
        assert [(c["command"], c["description"]) for c in fake_api.commands] == menu()
        assert "checklist" in [c["command"] for c in fake_api.commands]
    finally:
        serving.stop()


def test_set_webhook_sends_the_menu(fake_api, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "GJZ_TELEGRAM_TOKEN": TOKEN,
        "GJZ_TELEGRAM_API_URL": fake_api.url,
        "GJZ_WEBHOOK_URL": "https://bot.example.invalid/telegram",
        "GJZ_WEBHOOK_SECRET": SECRET,
        "GJZ_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "set-webhook"], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert any(method == "setWebhook" for method, _ in fake_api.calls)
    assert sent_menus(fake_api) == 1
    assert [(c["command"], c["description"]) for c in fake_api.commands] == menu()
