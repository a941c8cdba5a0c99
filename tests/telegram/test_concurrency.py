"""Many chats at once through the real `gjz run`: order, exactly-once, floods, flood control,
a failing store. Each chat answers whatever it is asked (its own income and months), so the
tests hold whatever order the interview asks in."""

from __future__ import annotations

import sqlite3
import time

from .applicant import APPLICANT, make_move, move_for
from .conftest import BotProcess, ends_turn, field_asked, is_verdict


def answers_for(chat: int) -> dict:
    """The applicant, with an income and months of its own: a crossed reply shows."""
    return {**APPLICANT, "monthly_income": f"{20000 + (chat % 1000) * 7}元", "months_employed": f"{13 + chat % 11}个月"}


def answer(fake, chat: int, message, answers: dict) -> str | None:
    """Answer what ``message`` asks (or skip it); returns the field it asks."""
    make_move(fake, chat, move_for(message, answers))
    return field_asked(message.text)


def run_rounds(fake, chats, until, rounds: int = 25) -> dict:
    """All chats answer one question per round, concurrently, until ``until(answered)``."""
    marks = {chat: fake.count(chat) for chat in chats}
    for chat in chats:
        fake.send_text(chat, "/start")
    last = {chat: fake.wait_for(chat, marks[chat], ends_turn, timeout=60) for chat in chats}
    answered = {chat: set() for chat in chats}
    for _ in range(rounds):
        active = [c for c in chats if not until(answered[c], last[c])]
        if not active:
            break
        marks = {chat: fake.count(chat) for chat in active}
        for chat in active:
            answered[chat].add(answer(fake, chat, last[chat], answers_for(chat)))
        for chat in active:
            last[chat] = fake.wait_for(chat, marks[chat], ends_turn, timeout=60)
    return last


def asked_next(field):
    return lambda answered, message: field_asked(message.text) == field or is_verdict(message)


def income_shown(chat: int) -> str:
    return f"{20000 + (chat % 1000) * 7:,} 元"


def test_two_hundred_interleaved_chats_never_cross(bot, fake_api):
    chats = list(range(9000, 9200))
    run_rounds(
        fake_api,
        chats,
        lambda answered, message: {"monthly_income", "months_employed"} <= answered or is_verdict(message),
    )
    for chat in chats:
        mark = fake_api.count(chat)
        fake_api.send_text(chat, "/summary")
        summary = fake_api.wait_for(chat, mark, lambda m: "您已回答" in m.text, timeout=60)
        assert income_shown(chat) in summary.text, summary.text
        assert f"{13 + chat % 11} 个月" in summary.text
        for other in (chat + 1, chat - 1):
            if other in chats:
                assert income_shown(other) not in summary.text
    assert fake_api.errors == []


def test_a_burst_from_one_chat_is_answered_in_order_once_each(bot, fake_api):
    chat = 9301
    mark = fake_api.count(chat)
    for text in ("/start", "/summary", "/help", "/summary"):  # sent before the first is answered
        fake_api.send_text(chat, text)
    fake_api.wait_for(chat, mark, lambda m: "使用说明" in m.text or "/back" in m.text and "帮助" in m.text, timeout=20)
    time.sleep(1.0)
    texts = [m.text for m in fake_api.chats[chat].messages[mark:]]
    summaries = [i for i, t in enumerate(texts) if "您已回答" in t]
    welcome = next(i for i, t in enumerate(texts) if "您好" in t)
    assert len(summaries) == 2 and welcome < summaries[0]  # /start first, then each summary once
    assert not any("发得太快" in t for t in texts)  # four messages are not a flood


def test_kill9_in_the_middle_of_200_interviews_resumes_each_at_its_question(fake_api, tmp_path):
    data = tmp_path / "data"
    process = BotProcess(fake_api.url, data).start()
    chats = list(range(8000, 8200))
    try:
        last = run_rounds(fake_api, chats, asked_next("monthly_income"))
        chats = [c for c in chats if field_asked(last[c].text) == "monthly_income"]
        assert len(chats) == 200, "every chat is asked its income"
        marks = {chat: fake_api.count(chat) for chat in chats}
        for chat in chats:
            fake_api.send_text(chat, answers_for(chat)["monthly_income"])
        # Kill while the answers are being processed: some applied and answered, some applied
        # and not yet answered, some not yet read.
        fake_api.wait_for(chats[20], marks[chats[20]], ends_turn, timeout=60)
        process.kill9()
        process = BotProcess(fake_api.url, data).start()
        for chat in chats:
            message = fake_api.wait_for(chat, marks[chat], ends_turn, timeout=60)
            assert field_asked(message.text) != "monthly_income", message.text  # applied, and only once
        for chat in chats[::20]:
            mark = fake_api.count(chat)
            fake_api.send_text(chat, "/summary")
            summary = fake_api.wait_for(chat, mark, lambda m: "您已回答" in m.text, timeout=30)
            assert summary.text.count(income_shown(chat)) == 1
        assert fake_api.errors == []
    finally:
        process.stop()


def flood(fake, chat: int, count: int = 300) -> list[int]:
    return [fake.send_text(chat, f"消息{i}") for i in range(count)]


def test_a_flood_from_one_chat_is_bounded_and_never_holds_another(bot, fake_api):
    flooder, other = 9401, 9402
    mark = fake_api.count(flooder)
    fake_api.send_text(flooder, "/start")
    fake_api.wait_for(flooder, mark, ends_turn)
    ids = flood(fake_api, flooder)
    user_mark = fake_api.count(other)
    fake_api.send_text(other, "/start")
    fake_api.wait_for(other, user_mark, ends_turn, timeout=10)
    deadline = time.monotonic() + 30
    while not any(offset > ids[-1] for offset in fake_api.get_updates_offsets()):  # all 300 confirmed
        assert time.monotonic() < deadline, "the flood was never confirmed"
        time.sleep(0.1)
    time.sleep(1.0)
    replies = [m.text for m in fake_api.chats[flooder].messages[mark + 2 :]]
    assert sum("发得太快" in t for t in replies) == 1
    assert len(replies) <= 300 and len(replies) < 50  # the excess was dropped, not answered
    assert fake_api.errors == []


def test_flood_control_for_one_chat_waits_for_that_chat_only(bot, fake_api):
    flooder, other = 9501, 9502
    fake_api.per_chat_limit(2, retry_after=3)  # Telegram's per-chat limit, much stricter
    mark = fake_api.count(flooder)
    flood(fake_api, flooder, 20)
    fake_api.wait_for(flooder, mark, lambda m: True, timeout=10)  # the flood is being answered
    user_mark = fake_api.count(other)
    fake_api.send_text(other, "/start")
    answered_at = fake_api.wait_for(other, user_mark, ends_turn, timeout=10).at
    deadline = time.monotonic() + 90
    settled, count = time.monotonic(), fake_api.count(flooder)
    while time.monotonic() - settled < 4:  # the flooder's replies trickle out between 429s; wait them out
        assert time.monotonic() < deadline, "the flooder's replies never settled"
        time.sleep(0.2)
        if fake_api.count(flooder) != count:
            settled, count = time.monotonic(), fake_api.count(flooder)
    assert fake_api.throttled > 0 and sum("发得太快" in m.text for m in fake_api.chats[flooder].messages) == 1
    flooder_last = max(m.at for m in fake_api.chats[flooder].messages)
    assert answered_at < flooder_last  # the other user did not wait behind the flooder's 429s
    assert all(method == "sendMessage" for method, _ in fake_api.errors)  # only the 429s


def test_a_store_error_keeps_the_update_unconfirmed_until_the_store_takes_it(bot, fake_api, tmp_path):
    user = 9601
    mark = fake_api.count(user)
    fake_api.send_text(user, "/start")
    fake_api.wait_for(user, mark, ends_turn)
    blocker = sqlite3.connect(tmp_path / "data" / "gjz.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database: the bot's commit fails
    try:
        mark = fake_api.count(user)
        update_id = fake_api.send_text(user, "/summary")
        deadline = time.monotonic() + 20
        while "store error" not in bot.log.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the locked store was never noticed"
            time.sleep(0.2)
        assert fake_api.count(user) == mark  # no reply from a turn that is not committed
        assert not any(offset > update_id for offset in fake_api.get_updates_offsets())  # not confirmed
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    fake_api.wait_for(user, mark, lambda m: "您已回答" in m.text, timeout=30)  # retried, then answered
    deadline = time.monotonic() + 10
    while not any(offset > update_id for offset in fake_api.get_updates_offsets()):
        assert time.monotonic() < deadline, "confirmed once committed"
        time.sleep(0.1)
