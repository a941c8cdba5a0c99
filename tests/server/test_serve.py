"""Several `gjz serve` workers on one PostgreSQL behind a round-robin deliverer (issue 7)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import KNOWLEDGE_DIR

from .conftest import Deliverer, ServeProcess, post_update


def script(chat: int) -> list[str]:
    """Typed answers only (buttons need no message ids): a Chaoyang new application."""
    return [
        "/start",
        "朝阳",
        "新办",
        "外地户口",
        f"{13 + chat % 11}个月",
        "硕士",
        "5年",
        "企业",
        f"{20000 + chat % 1000 * 7}元",
    ]


def run_chats(fake, deliverer: Deliverer, chats: list[int], twice: bool = False, threads: int = 24) -> None:
    def one_chat(chat: int) -> None:
        for text in script(chat):
            update = fake.make_message_update(chat, text)
            with fake.cond:
                update["update_id"] = fake.next_update_id
                fake.next_update_id += 1
            deliverer.deliver(update)
            if twice:  # Telegram retries an update it thinks was not answered
                deliverer.deliver(update)

    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one_chat, chats))


def summary_of(fake, deliverer: Deliverer, chat: int) -> str:
    mark = fake.count(chat)
    update = fake.make_message_update(chat, "/summary")
    with fake.cond:
        update["update_id"] = fake.next_update_id
        fake.next_update_id += 1
    deliverer.deliver(update)
    return fake.wait_for(chat, mark, lambda m: "您已回答" in m.text, timeout=30).text


def assert_complete(fake, deliverer, chats):
    for chat in chats:
        text = summary_of(fake, deliverer, chat)
        income = f"{20000 + chat % 1000 * 7:,} 元"
        assert income in text, text
        assert f"{13 + chat % 11} 个月" in text
        assert text.count("朝阳区") == 1 and text.count("硕士") == 1
        assert "您已回答（9 项）" in text, (
            text
        )  # every answer applied once, none lost (the hukou settles the nationality)


@pytest.fixture
def two_workers(fake_api, pg_url, tmp_path):
    workers = [ServeProcess(fake_api.url, pg_url, tmp_path / "data").start() for _ in range(2)]
    yield workers
    for w in workers:
        w.stop()


def test_200_interleaved_interviews_on_two_workers_each_update_twice(fake_api, two_workers):
    deliverer = Deliverer(fake_api, two_workers)
    chats = list(range(20000, 20200))
    run_chats(fake_api, deliverer, chats, twice=True)
    assert_complete(fake_api, deliverer, chats)
    # Each chat's questions arrived in order: what is left never grows.
    for chat in chats[::10]:
        left = [int(m) for msg in fake_api.chats[chat].messages for m in re.findall(r"还有约 (\d+) 个问题", msg.text)]
        assert len(left) >= 5 and left == sorted(left, reverse=True), left
    assert fake_api.errors == []


def test_a_worker_killed_mid_load_loses_no_acknowledged_answer(fake_api, two_workers):
    deliverer = Deliverer(fake_api, two_workers)
    chats = list(range(21000, 21060))
    killer = threading.Timer(1.0, two_workers[0].kill_all)
    killer.start()
    run_chats(fake_api, deliverer, chats)
    killer.join()
    assert two_workers[0].proc.poll() is not None, "the worker was killed during the load"
    deliverer.workers = [two_workers[1]]
    assert_complete(fake_api, deliverer, chats)


def test_sigterm_drains_the_updates_in_flight(fake_api, two_workers):
    first, second = two_workers
    chats = list(range(22000, 22040))
    updates = []
    for chat in chats:
        update = fake_api.make_message_update(chat, "/start")
        update["update_id"] = fake_api.next_update_id
        fake_api.next_update_id += 1
        updates.append(update)
    with ThreadPoolExecutor(40) as pool:
        futures = [pool.submit(post_update, first.url, u) for u in updates]
        time.sleep(0.05)
        first.signal(signal.SIGTERM)
        statuses = [f.result() for f in futures]
    assert first.proc.wait(30) == 0
    acknowledged = [u for u, s in zip(updates, statuses, strict=True) if s == 200]
    assert acknowledged, statuses
    for update in acknowledged:  # every acknowledged update was applied and answered
        chat = update["message"]["chat"]["id"]
        fake_api.wait_for(chat, 0, lambda m: "哪个区" in m.text, timeout=10)
    for update, status in zip(updates, statuses, strict=True):  # the rest go to the other worker, as Telegram would
        if status != 200:
            assert post_update(second.url, update) == 200


def test_requests_without_the_secret_are_refused_and_change_nothing(fake_api, two_workers):
    update = fake_api.make_message_update(23000, "/start")
    update["update_id"] = 1
    assert post_update(two_workers[0].url, update, secret=None) == 403
    assert post_update(two_workers[1].url, update, secret="wrong") == 403
    time.sleep(0.3)
    assert fake_api.count(23000) == 0
    metrics = urllib.request.urlopen(two_workers[0].url + "/metrics").read().decode()
    assert "gjz_webhook_refused_total" in metrics


def test_health_readiness_and_metrics(fake_api, two_workers):
    worker = two_workers[0]
    assert json.loads(urllib.request.urlopen(worker.url + "/healthz").read())["status"] == "alive"
    ready = json.loads(urllib.request.urlopen(worker.url + "/readyz").read())
    assert ready["status"] == "ready" and ready["knowledge"].startswith("knowledge ok: 17 districts")
    deliverer = Deliverer(fake_api, two_workers)
    run_chats(fake_api, deliverer, [24000])
    metrics = urllib.request.urlopen(worker.url + "/metrics").read().decode()
    assert re.search(r'gjz_updates_total\{kind="text"\} \d', metrics)
    assert "gjz_turn_seconds_bucket" in metrics


def test_sighup_reloads_good_knowledge_and_refuses_broken(fake_api, pg_url, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    worker = ServeProcess(fake_api.url, pg_url, tmp_path / "data", knowledge_dir=knowledge).start()
    try:

        def summary():
            return json.loads(urllib.request.urlopen(worker.url + "/readyz").read())["knowledge"]

        before = summary()
        faq = knowledge / "faq" / "citywide.yaml"
        faq.write_text(
            faq.read_text(encoding="utf-8")
            + (
                "\n  - id: city-test-reload\n    topic: general\n    questions: [测试重载, 重载测试]\n"
                "    answer: 测试。\n    source: README.md 测试\n"
            ),
            encoding="utf-8",
        )
        worker.signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while summary() == before:
            assert time.monotonic() < deadline, "good knowledge was not picked up"
            time.sleep(0.1)
        good = summary()
        assert re.search(r"(\d+) faq", good).group(1) == str(int(re.search(r"(\d+) faq", before).group(1)) + 1)
        (knowledge / "wages.yaml").write_text("values: [", encoding="utf-8")
        worker.signal(signal.SIGHUP)
        deadline = time.monotonic() + 20
        while "knowledge reload refused" not in worker.log.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the broken knowledge was not reported"
            time.sleep(0.1)
        assert summary() == good  # still serving the last good knowledge
    finally:
        worker.stop()


def test_the_previous_secret_is_accepted_during_a_rotation(fake_api, pg_url, tmp_path):
    worker = ServeProcess(
        fake_api.url, pg_url, tmp_path / "data", extra_env={"GJZ_WEBHOOK_SECRET_PREVIOUS": "the_old_secret"}
    ).start()
    try:
        update = fake_api.make_message_update(25000, "/start")
        update["update_id"] = 1
        assert post_update(worker.url, update, secret="the_old_secret") == 200
        update["update_id"] = 2
        assert post_update(worker.url, update) == 200  # the new one (GJZ_WEBHOOK_SECRET)
        update["update_id"] = 3
        assert post_update(worker.url, update, secret="another") == 403
    finally:
        worker.stop()
