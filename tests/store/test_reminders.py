"""Reminders and verdict records in every store: sealed, laid over the chat's turns, claimed
once across workers, surviving a restart and the interview's retention, gone with /forget."""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3

import asyncpg
import pytest

from bot.dialog.messages import Reply
from bot.dialog.turn import Turn
from bot.reminders.schedule import SHANGHAI
from bot.reminders.send import send_due
from bot.rules.workdays import WorkCalendar
from bot.store.sqlite import SQLiteStore

SECRET = "第八百八十八号提醒"  # a phrase that must never be at rest in plaintext
DUE = dt.datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI)  # the first working day after National Day


def reminder(key: str, at: dt.datetime = DUE, text: str = SECRET) -> dict:
    return {"key": key, "at": at.isoformat(), "label": f"标签 {key}", "text": text}


def setting(*items: dict, record: dict | None = None, mute: bool | None = None):
    """An engine that sets reminders (and sees what is pending, returned as its reply)."""
    seen = {}

    def step(state):
        seen["pending"] = (state or {}).get("reminders", [])
        return Turn({"v": 1, "answers": {}}, [Reply("ok")], reminders=list(items), record=record, mute=mute)

    step.seen = seen
    return step


def cancelling(*keys: str):
    return lambda state: Turn({"v": 1, "answers": {}}, [Reply("ok")], cancel_reminders=list(keys))


class Outbox:
    def __init__(self):
        self.sent: list[tuple[int, str]] = []

    async def __call__(self, chat_id: int, reply: Reply) -> bool:
        await asyncio.sleep(0.01)  # a Bot API call takes a while: room for another worker to race
        self.sent.append((chat_id, reply.text))
        return True


@pytest.fixture
def calendar(knowledge):
    return WorkCalendar(knowledge.holidays)


async def test_reminders_are_stored_sealed_laid_over_later_turns_and_cancelled(make_store):
    store = make_store()
    await store.open()
    try:
        await store.run_turn(
            7,
            700,
            setting(reminder("window_opens:2025-10-01"), reminder("qualifies:2025-12-01", DUE + dt.timedelta(days=60))),
        )
        looking = setting()
        await store.run_turn(7, 701, looking)
        assert [p["key"] for p in looking.seen["pending"]] == ["window_opens:2025-10-01", "qualifies:2025-12-01"]
        assert "text" not in looking.seen["pending"][0]  # the list needs no message text
        assert (await store.load(7)).get("reminders") is None  # never saved into the interview
        await store.run_turn(7, 702, cancelling("qualifies:2025-12-01"))
        await store.run_turn(7, 703, looking)
        assert [p["key"] for p in looking.seen["pending"]] == ["window_opens:2025-10-01"]
        if isinstance(store, SQLiteStore):
            db = sqlite3.connect(store.path)
            bodies = [r[0] for r in db.execute("SELECT body FROM reminders")]
            db.close()
        else:
            conn = await asyncpg.connect(store.url)
            bodies = [r[0] for r in await conn.fetch("SELECT body FROM reminders")]
            await conn.close()
        assert bodies and all(b.startswith("gjz1.") and SECRET not in b for b in bodies)
    finally:
        await store.close()


async def test_two_workers_on_one_database_send_each_reminder_once(make_store, calendar):
    first, second = make_store(), make_store()
    await first.open()
    await second.open()
    try:
        for chat in range(1, 21):
            await first.run_turn(chat, chat, setting(reminder(f"k:{chat}")))
        outbox = Outbox()
        now = DUE + dt.timedelta(minutes=1)
        rounds = await asyncio.gather(*(send_due(s, outbox, now, calendar, limit=3) for s in (first, second) * 3))
        assert sorted(c for c, _ in outbox.sent) == list(range(1, 21))  # every chat, once
        assert sum(len(r) for r in rounds) == 20
        assert await first.reminder_count() == 0
        assert await send_due(second, outbox, now + dt.timedelta(minutes=1), calendar) == []
    finally:
        await first.close()
        await second.close()


async def test_a_restart_after_the_due_time_sends_it_once_marked_late(make_store, calendar):
    store = make_store()
    await store.open()
    await store.run_turn(5, 500, setting(reminder("window_opens:2025-10-01")))
    await store.close()  # the bot is down at 09:00 on 9 October
    restarted = make_store()
    await restarted.open()
    try:
        outbox = Outbox()
        later = DUE + dt.timedelta(hours=2)
        sent = await send_due(restarted, outbox, later, calendar)
        assert [(o.chat_id, o.late) for o in sent] == [(5, True)]
        assert "（补发）" in outbox.sent[0][1] and SECRET in outbox.sent[0][1]
        assert await send_due(restarted, outbox, later + dt.timedelta(minutes=1), calendar) == []
        assert len(outbox.sent) == 1
    finally:
        await restarted.close()


async def test_on_time_is_not_late_and_nothing_goes_out_before_its_time_or_outside_the_window(store, calendar):
    await store.run_turn(6, 600, setting(reminder("a", DUE)))
    outbox = Outbox()
    assert await send_due(store, outbox, DUE - dt.timedelta(minutes=1), calendar) == []
    holiday = dt.datetime(2025, 10, 10, 21, 0, tzinfo=SHANGHAI)  # past due, but after 20:00
    assert await send_due(store, outbox, holiday, calendar) == []
    sent = await send_due(store, outbox, DUE + dt.timedelta(minutes=1), calendar)
    assert [o.late for o in sent] == [False] and "（补发）" not in outbox.sent[0][1]


async def test_a_sender_killed_mid_send_leaves_it_to_be_claimed_again_after_the_lease(store, calendar):
    await store.run_turn(8, 800, setting(reminder("a")))
    now = (DUE + dt.timedelta(minutes=1)).timestamp()
    claimed = await store.claim_reminders(now, lease_seconds=0.2)  # then the process dies
    assert len(claimed) == 1
    assert await store.claim_reminders(now) == []  # held: no other worker takes it
    await asyncio.sleep(0.3)
    again = await store.claim_reminders(now)
    assert [d.key for d in again] == ["a"]
    await store.finish_reminder(claimed[0])  # the dead claim's lease no longer deletes it
    assert await store.reminder_count() == 1
    await store.finish_reminder(again[0])
    assert await store.reminder_count() == 0


async def test_a_pending_reminder_outlives_the_interview_retention_and_forget_removes_it(make_store, monkeypatch):
    monkeypatch.setenv("GJZ_RETENTION_DAYS", "0.5")
    store = make_store()
    await store.open()
    try:
        await store.run_turn(9, 900, setting(reminder("a"), record={"verdict": "eligible"}))
        if isinstance(store, SQLiteStore):
            db = sqlite3.connect(store.path)
            db.execute("UPDATE interviews SET updated_at = updated_at - 86400")
            db.execute("UPDATE verdicts SET made_at = made_at - 86400")
            db.commit()
            db.close()
        else:
            conn = await asyncpg.connect(store.url)
            await conn.execute("UPDATE interviews SET updated_at = updated_at - interval '1 day'")
            await conn.execute("UPDATE verdicts SET made_at = made_at - interval '1 day'")
            await conn.close()
        assert await store.prune() == 1
        assert await store.load(9) is None and await store.verdict_records() == []
        assert await store.reminder_count() == 1  # kept until it has fired
        looking = setting()
        await store.run_turn(9, 901, looking)  # /reminders after the interview is gone still lists it
        assert [p["key"] for p in looking.seen["pending"]] == ["a"]
        await store.run_turn(9, 902, lambda state: Turn(None, [Reply("bye")], forget=True))
        assert await store.reminder_count() == 0
    finally:
        await store.close()


async def test_verdict_records_are_sealed_per_chat_and_mute_is_kept(store):
    await store.run_turn(3, 300, setting(record={"verdict": "eligible", "answers": {"monthly_income": 12345}}))
    await store.run_turn(4, 400, setting(record={"verdict": "ineligible", "answers": {}}, mute=True))
    records = await store.verdict_records()
    assert [(c, r["verdict"], m) for c, r, m in records] == [(3, "eligible", False), (4, "ineligible", True)]
    await store.run_turn(4, 401, setting(mute=False))
    await store.replace_verdict_record(3, {"verdict": "ineligible", "answers": {}})
    assert [(c, r["verdict"], m) for c, r, m in await store.verdict_records()] == [
        (3, "ineligible", False),
        (4, "ineligible", False),
    ]


async def test_rotation_reseals_reminders_and_verdict_records_so_the_new_key_alone_opens_them(make_store, monkeypatch):
    from bot.store.crypto import encode_key, generate_key

    old, new = encode_key(generate_key()), encode_key(generate_key())
    monkeypatch.setenv("GJZ_DATA_KEY", old)
    async with make_store() as store:
        await store.run_turn(4, 400, setting(reminder("a"), reminder("b"), record={"verdict": "eligible"}))
    monkeypatch.setenv("GJZ_DATA_KEY", f"{new},{old}")  # newest first
    async with make_store() as store:
        # the interview, its stored replies, two reminders, the verdict record
        assert await store.rotate_keys() == (5, 5)
        assert await store.rotate_keys() == (0, 5)  # nothing is left under the old key
    monkeypatch.setenv("GJZ_DATA_KEY", new)  # the old key dropped
    async with make_store() as store:
        due = await store.due_reminders((DUE + dt.timedelta(minutes=1)).timestamp())
        assert [(d.chat_id, d.key, d.body["text"]) for d in due] == [(4, "a", SECRET), (4, "b", SECRET)]
        assert [(chat, record) for chat, record, _ in await store.verdict_records()] == [(4, {"verdict": "eligible"})]
