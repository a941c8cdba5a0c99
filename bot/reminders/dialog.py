"""The chat side of reminders and notices: 提醒我, /reminders (list, cancel), /mute.

Pure like the engine it serves: it returns a Turn whose ``reminders``/``cancel_reminders``/
``mute`` the store applies in the same transaction; ``pending`` is what the store holds for
the chat (key, at, label), laid over the state for this turn."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..dialog.messages import Button, Reply, render
from ..rules.workdays import WorkCalendar
from .ics import FILENAME, calendar_bytes
from .schedule import SHANGHAI, plan

if TYPE_CHECKING:
    from ..dialog.engine import Interview
    from ..dialog.turn import Event, Turn

REMIND = "remind"
LIST = "reminders"
MUTE = "mute"
OFF_WORDS = ("off", "关", "关闭", "取消", "恢复")  # "/mute off": notices back on


def handle(interview: Interview, state: dict | None, event: Event, pending: list[dict]) -> Turn | None:
    name = _name(event)
    if name is None:
        return None
    if name == REMIND:
        return remind(interview, state)
    if name == MUTE:
        return mute(state, event.arg)
    if name.startswith("cancel:"):
        return cancel(state, pending, name.removeprefix("cancel:"))
    return listing(state, pending)


def _name(event: Event) -> str | None:
    if event.kind == "command" and event.text.lower() in (REMIND, LIST, MUTE):
        return event.text.lower()
    if event.kind == "button":
        kind, _, rest = event.text.partition(":")
        if kind == "c" and rest in (REMIND, LIST):
            return rest
        if kind == "r" and rest:
            return "cancel:" + rest
    return None


def _shown(item: dict) -> dict:
    at = dt.datetime.fromisoformat(item["at"]).astimezone(SHANGHAI)
    return {"key": item["key"], "at": at.strftime("%Y-%m-%d %H:%M"), "label": item["label"]}


def remind(interview: Interview, state: dict | None) -> Turn:
    from ..dialog.turn import Turn

    assessment = interview._assess(state) if state is not None else None
    if assessment is None:
        return Turn(state, [Reply("还没有评估结果，请先回答问题（发送 /start 开始）。")] + interview._resume(state))
    planned = plan(assessment, WorkCalendar(interview.knowledge.holidays), interview.today)
    items = [p.to_json() for p in planned]
    replies = [
        Reply(
            render("remind_set.html.j2", items=[_shown(i) for i in items]),
            buttons=[[Button("📋 查看提醒", "c:reminders")]] if items else [],
        )
    ]
    if assessment.deadlines or assessment.qualifies_from:
        stamp = dt.datetime.combine(interview.today, dt.time(9), SHANGHAI)
        replies.append(
            Reply(
                "📅 日历文件：导入手机日历即可在当天收到提醒。",
                html=False,
                document=FILENAME,
                document_text=calendar_bytes(assessment, stamp).decode("utf-8"),
            )
        )
    return Turn(state, replies, reminders=items)


def listing(state: dict | None, pending: list[dict]) -> Turn:
    from ..dialog.turn import Turn

    items = sorted((_shown(p) for p in pending), key=lambda i: i["at"])
    buttons = [[Button(f"❌ 取消 {i}", f"r:{item['key']}")] for i, item in enumerate(items, start=1)]
    if len(items) > 1:
        buttons.append([Button("❌ 全部取消", "r:*")])
    return Turn(state, [Reply(render("reminders.html.j2", items=items), buttons=buttons)])


def cancel(state: dict | None, pending: list[dict], key: str) -> Turn:

    keys = [p["key"] for p in pending] if key == "*" else [p["key"] for p in pending if p["key"] == key]
    left = [p for p in pending if p["key"] not in keys]
    text = f"已取消 {len(keys)} 条提醒。" if keys else "这条提醒已经发送或取消了。"
    turn = listing(state, left)
    turn.replies.insert(0, Reply(text))
    turn.cancel_reminders = keys
    return turn


def mute(state: dict | None, arg: str) -> Turn:
    from ..dialog.turn import Turn

    muted = arg.strip().lower() not in OFF_WORDS
    return Turn(state, [Reply(render("mute.html.j2", muted=muted))], mute=muted)
