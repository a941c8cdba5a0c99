"""Tell those a published knowledge change affects: a new average wage that flips 3 of 10
stored verdicts tells exactly those 3, once, with the old and new figure and the source."""

from __future__ import annotations

import asyncio
import datetime as dt
import re

import pytest

from bot.cli import main
from bot.dialog.engine import Interview
from bot.dialog.messages import Reply
from bot.dialog.turn import Event, Turn
from bot.knowledge import load_knowledge
from bot.reminders.notify import knowledge_version, notify, verdict_record
from bot.rules import Profile, assess
from bot.store.sqlite import SQLiteStore
from tests.profiles import BDA_MASTER

# Ten stored verdicts differ only in the income, so the income is left out here.
BASE = {k: v for k, v in BDA_MASTER.items() if k != "monthly_income"} | {"application_date": "2026-03-02"}
# Under the shipped table a 2026 application is measured against 11937 (1.2× printed 14324);
# the change below publishes 2025 at 12500 (1.2× = 15000): 14324, 14500 and 14900 flip.
INCOMES = [20000, 19000, 18000, 16000, 15500, 14900, 14500, 14324, 13000, 12000]
FLIPPED = {14900, 14500, 14324}
CHAT = 9_876_543_000  # chat ids that must never be printed


@pytest.fixture
def changed(knowledge_copy):
    path = knowledge_copy / "wages.yaml"
    text = path.read_text(encoding="utf-8")
    entry = "  2025:\n    value: 12500\n    source: bda-2026.txt §二 工资标准表（测试：假设公布的新一年度）\n"
    text = re.sub(r"(\n  2024:\n(?:    .*\n|      .*\n)+)", lambda m: m.group(1) + entry, text, count=1)
    path.write_text(text, encoding="utf-8")
    return load_knowledge(knowledge_copy)


class Outbox:
    def __init__(self):
        self.sent: list[tuple[int, Reply]] = []

    async def __call__(self, chat_id: int, reply: Reply) -> bool:
        self.sent.append((chat_id, reply))
        return True


async def _stored(tmp_path, knowledge, muted=()):
    store = SQLiteStore(tmp_path / "gjz.sqlite3")
    await store.open()
    for i, income in enumerate(INCOMES):
        answers = {**BASE, "monthly_income": income}
        record = verdict_record(
            knowledge, answers, assess(knowledge, Profile.model_validate(answers), today=dt.date(2026, 3, 2))
        )
        chat = CHAT + income
        await store.run_turn(
            chat, i, lambda state, r=record, c=chat: Turn({"v": 1}, [], record=r, mute=True if c in muted else None)
        )
    return store


async def test_a_wage_change_that_flips_3_of_10_verdicts_tells_exactly_those_3_once(tmp_path, knowledge, changed):
    assert knowledge_version(knowledge) != knowledge_version(changed)
    store = await _stored(tmp_path, knowledge)
    try:
        assert (await notify(store, knowledge, None, dry_run=True)).affected == []  # no change, nobody
        dry = await notify(store, changed, None, dry_run=True)
        assert dry.seen == 10 and len(dry.affected) == 3
        outbox = Outbox()
        report = await notify(store, changed, outbox, dry_run=False)
        assert sorted(c - CHAT for c, _ in outbox.sent) == sorted(FLIPPED) and report.told == 3
        text = outbox.sent[0][1].plain()
        assert "11,937" in text and "12,500" in text and "测试：假设公布的新一年度" in text  # old, new, source
        assert "暂不符合条件" in text
        again = Outbox()
        assert (await notify(store, changed, again, dry_run=False)).told == 0 and again.sent == []
        # taking the change back is a change too: the same three hear of it
        assert len((await notify(store, knowledge, again, dry_run=True)).affected) == 3
    finally:
        await store.close()


async def test_muted_users_are_counted_not_told(tmp_path, knowledge, changed):
    store = await _stored(tmp_path, knowledge, muted={CHAT + 14500})
    try:
        outbox = Outbox()
        report = await notify(store, changed, outbox, dry_run=False)
        assert report.muted == 1 and sorted(c - CHAT for c, _ in outbox.sent) == [14324, 14900]
    finally:
        await store.close()


def test_gjz_notify_dry_run_prints_counts_and_the_changed_figure_only(
    tmp_path, knowledge, changed, knowledge_copy, monkeypatch, capsys
):
    async def prepare():
        await (await _stored(tmp_path, knowledge)).close()

    asyncio.run(prepare())
    monkeypatch.setenv("GJZ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GJZ_DATABASE_URL", raising=False)
    monkeypatch.setenv("GJZ_KNOWLEDGE_DIR", str(knowledge_copy))
    assert main(["notify", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "3 of 10" in out and "3 user(s) would be told" in out
    assert "11,937" in out and "12,500" in out and "check income pass→fail" in out
    assert str(CHAT)[:6] not in out and not any(f"{i:,}" in out or str(i) in out for i in FLIPPED)


def test_a_verdict_turn_carries_the_record_and_its_knowledge_version(knowledge):
    interview = Interview(knowledge, today=dt.date(2026, 3, 2))
    state = {"v": 1, "answers": dict(BASE), "history": list(BASE), "skipped": [], "asking": "monthly_income"}
    turn = interview.handle(state, Event.message("20000"))  # the last answer: the verdict
    assert turn.record is not None and turn.record["verdict"] == turn.assessment.verdict
    assert turn.record["version"] == knowledge_version(knowledge)
