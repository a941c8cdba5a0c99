"""/metrics in polling mode: `gjz run` with GJZ_METRICS_PORT serves the webhook workers' metrics
on 127.0.0.1, counting the turns it runs."""

from __future__ import annotations

import re
import time
import urllib.request

from .conftest import BotProcess, Conversation, free_port


def test_polling_serves_metrics_on_the_metrics_port(fake_api, tmp_path):
    port = free_port()
    bot = BotProcess(fake_api.url, tmp_path, {"GJZ_METRICS_PORT": str(port)}).start()
    try:
        bot.wait_ready(fake_api)
        Conversation(fake_api, 31000).say("/start")
        deadline = time.monotonic() + 10
        while True:
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
            if re.search(r'^gjz_updates_total\{kind="command"\} 1\.0$', text, re.M) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert re.search(r'^gjz_updates_total\{kind="command"\} 1\.0$', text, re.M), text
        assert "gjz_turn_seconds_bucket" in text and "gjz_flood_dropped_total 0.0" in text
    finally:
        bot.stop()
