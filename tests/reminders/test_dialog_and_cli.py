"""提醒我, /reminders, /mute through the engine and a real store, and `gjz reminders send-due`
with a fixed clock (a dry run, then through the local Bot API stand-in)."""

from __future__ import annotations

import asyncio
import datetime as dt

import icalendar
import pytest

from bot.cli import main
from bot.dialog.engine import Event, Interview
from bot.store.sqlite import SQLiteStore
from tests.telegram.conftest import TOKEN
from tests.telegram.fake_api import FakeTelegram

TODAY = dt.date(2025, 6, 1)
RENEWAL = {"district": "chaoyang", "business": "renewal", "permit_expiry": "2025-11-30"}
CHAT = 4242


@pytest.fixture
def interview(knowledge):
    return Interview(knowledge, today=TODAY)


def verdict_state(interview) -> tuple[dict, object]:
    state = {"v": 1, "answers": dict(RENEWAL), "history": list(RENEWAL), "skipped": [], "asking": "declared"}
    turn = interview.handle(state, Event.button("a:declared:0"))  # ✅ 都符合
    assert turn.assessment is not None and turn.assessment.verdict == "eligible"
    return turn.state, turn


def labels(reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def test_a_renewal_verdict_offers_remind_me_and_pressing_it_sets_the_reminders(interview):
    state, turn = verdict_state(interview)
    assert "⏰ 提醒我" in labels(turn.replies[-1])
    pressed = interview.handle(state, Event.button("c:remind"))
    kinds = {r["key"].split(":")[0]: r for r in pressed.reminders}
    assert set(kinds) == {"window_opens", "before_last_day"}
    assert kinds["window_opens"]["at"] == "2025-10-09T09:00:00+08:00"  # opens 1 Oct, in the holiday
    assert "2025-10-09 09:00" in pressed.replies[0].plain()
    ics = next(r for r in pressed.replies if r.document and r.document.endswith(".ics"))
    events = icalendar.Calendar.from_ical(ics.document_text).walk("VEVENT")
    assert sorted(e.decoded("dtstart").isoformat() for e in events) == sorted(
        d.date.isoformat() for d in turn.assessment.deadlines
    )


def test_reminders_lists_what_the_store_holds_and_cancels_one_or_all(interview):
    state, _ = verdict_state(interview)
    pending = interview.handle(state, Event.button("c:remind")).reminders
    shown = [{k: r[k] for k in ("key", "at", "label")} for r in pending]
    listing = interview.handle({**state, "reminders": shown}, Event.typed("/reminders"))
    assert "2025-10-09 09:00" in listing.replies[0].plain() and len(shown) == 2
    assert labels(listing.replies[0]) == ["❌ 取消 1", "❌ 取消 2", "❌ 全部取消"]
    one = interview.handle({**state, "reminders": shown}, Event.button(listing.replies[0].buttons[0][0].data))
    assert one.cancel_reminders == [shown[0]["key"]] and "reminders" not in one.state
    everything = interview.handle({**state, "reminders": shown}, Event.button("r:*"))
    assert sorted(everything.cancel_reminders) == sorted(r["key"] for r in shown)
    # the interview has expired, the reminders have not: still listed, nothing else lost
    gone = interview.handle({"reminders": shown}, Event.typed("/reminders"))
    assert "2025-10-09 09:00" in gone.replies[0].plain()


def test_mute_and_unmute(interview):
    assert interview.handle(None, Event.typed("/mute")).mute is True
    assert interview.handle(None, Event.typed("/mute off")).mute is False


def test_remind_me_is_offered_only_for_a_verdict_with_dates(knowledge):
    from bot.dialog.presenter import result_reply
    from bot.rules import Profile, assess

    def offered(profile: dict) -> bool:
        assessment = assess(knowledge, Profile.model_validate(profile), today=TODAY)
        return "⏰ 提醒我" in labels(result_reply(assessment))

    new = {"district": "chaoyang", "business": "new"}
    assert offered({**new, "months_employed": 1})  # only time is missing: "约 2026-05-01 起可申请"
    assert not offered({**new, "hukou": "beijing"})  # a Beijing hukou: no date makes it right
    assert offered(RENEWAL)


def _store_reminders(tmp_path, interview):
    async def go():
        store = SQLiteStore(tmp_path / "gjz.sqlite3")
        await store.open()
        state, _ = verdict_state(interview)
        await store.save(CHAT, state)
        await store.run_turn(CHAT, 1, lambda s: interview.handle(s, Event.button("c:remind")))
        await store.close()

    asyncio.run(go())


def test_send_due_dry_run_then_for_real_through_the_bot_api(tmp_path, interview, monkeypatch, capsys):
    _store_reminders(tmp_path, interview)
    monkeypatch.setenv("GJZ_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GJZ_DATABASE_URL", raising=False)
    monkeypatch.delenv("GJZ_DATA_KEY", raising=False)
    assert main(["reminders", "send-due", "--now", "2025-10-05T10:00", "--dry-run"]) == 0
    assert "outside 09:00–20:00" in capsys.readouterr().out  # 5 October: the holiday
    assert main(["reminders", "send-due", "--now", "2025-10-09T11:30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would send 1 reminder(s), 1 late" in out and "（补发）" in out and str(CHAT) not in out
    fake = FakeTelegram(TOKEN)
    url = fake.start()
    try:
        monkeypatch.setenv("GJZ_TELEGRAM_TOKEN", TOKEN)
        monkeypatch.setenv("GJZ_TELEGRAM_API_URL", url)
        assert main(["reminders", "send-due", "--now", "2025-10-09T11:30"]) == 0
        assert "sent 1 reminder(s)" in capsys.readouterr().out
        sent = [m.text for m in fake.chats[CHAT].messages]
        assert len(sent) == 1 and "（补发）" in sent[0] and "提交窗口已开启" in sent[0]
        assert main(["reminders", "send-due", "--now", "2025-10-09T11:31"]) == 0  # fired once
        assert len(fake.chats[CHAT].messages) == 1
    finally:
        fake.stop()
    monkeypatch.delenv("GJZ_TELEGRAM_TOKEN")
    assert main(["reminders", "send-due", "--now", "2025-10-09T11:30"]) == 2  # no token, no --dry-run
