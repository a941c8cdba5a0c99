"""`gjz serve` under hostile input (issue 14): oversized bodies, malformed update shapes,
odd callback data, group chats, silent connections, GJZ_LOG_LEVEL=DEBUG; one worker on a
real SQLite file (the webhook path is the same with PostgreSQL, tested in test_serve)."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from tests.telegram.conftest import TOKEN

from .conftest import SECRET, ServeProcess, post_update


@pytest.fixture
def serve(fake_api, tmp_path):
    worker = ServeProcess(
        fake_api.url,
        f"sqlite:///{tmp_path}/data/gjz.sqlite3",
        tmp_path / "data",
        extra_env={"GJZ_LOG_LEVEL": "DEBUG", "GJZ_DATA_KEY": ""},
    ).start()
    yield worker
    worker.stop()


def raw_post(url: str, body: bytes, headers: dict | None = None) -> int:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        conn.request("POST", "/telegram", body, {"X-Telegram-Bot-Api-Secret-Token": SECRET, **(headers or {})})
        return conn.getresponse().status
    except (ConnectionError, OSError):
        return 0
    finally:
        conn.close()


def test_malformed_updates_are_acknowledged_and_ignored(serve):
    shapes = [
        b"[]",
        b"[1, 2]",
        b"null",
        b'"update"',
        b"42",
        b"{}",
        b'{"update_id": "7"}',
        b'{"update_id": true}',
        b"{not json",
        b"\xff\xfe",
        b'{"update_id": 5, "message": "text"}',
        b'{"update_id": 6, "message": {"chat": []}}',
        b'{"update_id": 8, "callback_query": {"data": 1}}',
    ]
    assert [raw_post(serve.url, body) for body in shapes] == [200] * len(shapes)
    assert post_update(serve.url, {"update_id": 9}) == 200  # nothing to answer
    odd_text = {
        "update_id": 10,
        "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": 7},
    }
    assert post_update(serve.url, odd_text) == 200  # reads as an Update, fails in the adapter: not redelivered
    metrics = http.client.HTTPConnection("127.0.0.1", serve.port, timeout=10)
    metrics.request("GET", "/metrics")
    text = metrics.getresponse().read().decode()
    assert 'gjz_errors_total{stage="malformed"} 13.0' in text, text


def test_a_body_over_1_mb_is_refused_before_it_is_read(serve):
    assert raw_post(serve.url, b"{" + b" " * (2 << 20) + b"}") == 413
    # A chunked body (no Content-Length) is cut as soon as it grows past the limit.
    host, port = "127.0.0.1", serve.port
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request(
        "POST",
        "/telegram",
        (b"x" * 65536 for _ in range(40)),
        {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    assert conn.getresponse().status == 413
    assert post_update(serve.url, {"update_id": 1, "message": None}) == 200  # and the worker goes on


def test_callback_data_with_unicode_digits_gets_a_second_chance(serve, fake_api):
    chat = 4242
    assert post_update(serve.url, {"update_id": 100, **fake_api.make_message_update(chat, "/start")}) == 200
    question = fake_api.chats[chat].messages[-1]
    before = fake_api.count(chat)
    for n, data in enumerate(
        ["a:district:²", "a:district:①", "a:district:٣", "a:district:-1", "a:district:" + "9" * 40]
    ):
        update = fake_api.make_callback_update(chat, question, data)
        assert post_update(serve.url, {"update_id": 101 + n, **update}) == 200
    texts = [m.text for m in fake_api.chats[chat].messages[before:]]
    assert len(texts) == 5 and all("请点选下面的按钮" in t for t in texts), texts


def test_a_group_gets_a_link_to_a_private_chat_and_nothing_is_stored(serve, fake_api, tmp_path):
    group = -100123
    update = fake_api.make_message_update(group, "/start")
    update["message"]["chat"] = {"id": group, "type": "supergroup", "title": "HR"}
    assert post_update(serve.url, {"update_id": 200, **update}) == 200
    chatter = fake_api.make_message_update(group, "中午吃什么")
    chatter["message"]["chat"] = {"id": group, "type": "supergroup", "title": "HR"}
    assert post_update(serve.url, {"update_id": 201, **chatter}) == 200
    replies = fake_api.chats[group].messages
    assert len(replies) == 1 and "https://t.me/gjz_test_bot?start=" in replies[0].text
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "gjz.sqlite3")
    assert db.execute("SELECT count(*) FROM interviews").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM processed_updates").fetchone() == (0,)


def test_a_user_who_blocks_the_bot_is_forgotten(serve, fake_api, tmp_path):
    chat = 5151
    assert post_update(serve.url, {"update_id": 300, **fake_api.make_message_update(chat, "/start")}) == 200
    assert post_update(serve.url, {"update_id": 301, **fake_api.make_message_update(chat, "朝阳")}) == 200
    blocked = {
        "update_id": 302,
        "my_chat_member": {
            "chat": {"id": chat, "type": "private", "first_name": "测试"},
            "from": {"id": chat, "is_bot": False, "first_name": "测试"},
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": {"id": 777000111, "is_bot": True, "first_name": "b"}},
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 777000111, "is_bot": True, "first_name": "b"},
            },
        },
    }
    sent = fake_api.count(chat)
    assert post_update(serve.url, blocked) == 200
    assert fake_api.count(chat) == sent  # nothing sent to a user who blocked us
    import sqlite3

    db = sqlite3.connect(tmp_path / "data" / "gjz.sqlite3")
    assert db.execute("SELECT count(*) FROM interviews WHERE chat_id = ?", (chat,)).fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM processed_updates WHERE chat_id = ?", (chat,)).fetchone() == (0,)


def test_a_silent_connection_is_closed(serve):
    with socket.create_connection(("127.0.0.1", serve.port), timeout=30) as sock:
        sock.sendall(b"POST /telegram HTTP/1.1\r\nHost: x\r\n")  # a head that never ends
        started = time.monotonic()
        assert sock.recv(1024) == b""  # closed by the worker (HEAD_SECONDS), not by our timeout
        assert time.monotonic() - started < 20


def test_debug_logs_hold_no_token_nor_what_users_typed(serve, fake_api):
    chat = 6161
    for n, text in enumerate(["/start", "朝阳", "新办", "学位", "企业", "硕士", "5年", "87654元"]):
        assert post_update(serve.url, {"update_id": 400 + n, **fake_api.make_message_update(chat, text)}) == 200
    log = serve.log.read_text(errors="replace")
    assert '"level": "debug"' in log  # DEBUG is on
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "87654" not in log and "硕士" not in log
