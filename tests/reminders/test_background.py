"""The running bot's minute timer: at start it sends what fell due while it was down (marked
late), then nothing twice; through the real Bot API client against the local stand-in."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Bot

from bot.dialog.messages import Reply
from bot.dialog.turn import Turn
from bot.reminders.schedule import SHANGHAI
from bot.reminders.send import remind_forever, telegram_sender
from bot.rules.workdays import WorkCalendar
from bot.store.sqlite import SQLiteStore
from tests.telegram.conftest import TOKEN
from tests.telegram.fake_api import FakeTelegram


async def test_the_timer_sends_the_missed_reminder_at_start_once(tmp_path, knowledge):
    due = dt.datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI)
    store = SQLiteStore(tmp_path / "gjz.sqlite3")
    await store.open()
    item = {
        "key": "window_opens:2025-10-01",
        "at": due.isoformat(),
        "label": "窗口开启",
        "text": "⏰ <b>窗口今天开启</b>",
    }
    await store.run_turn(11, 1, lambda s: Turn({"v": 1}, [Reply("ok")], reminders=[item]))
    fake = FakeTelegram(TOKEN)
    url = fake.start()
    clock = iter([due + dt.timedelta(hours=3)] + [due + dt.timedelta(hours=3, minutes=i) for i in range(1, 50)])
    try:
        async with Bot(TOKEN, base_url=url) as bot:
            task = asyncio.create_task(
                remind_forever(
                    store,
                    telegram_sender(bot),
                    WorkCalendar(knowledge.holidays),
                    interval=0.05,
                    clock=lambda: next(clock),
                )
            )
            await asyncio.sleep(0.5)  # several rounds
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        messages = fake.chats[11].messages
        assert len(messages) == 1 and "（补发）" in messages[0].text and "窗口今天开启" in messages[0].text
        assert await store.reminder_count() == 0
    finally:
        fake.stop()
        await store.close()
