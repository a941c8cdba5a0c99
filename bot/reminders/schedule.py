"""When reminders fire: pure date arithmetic over the Chinese working-day calendar.

A reminder is sent between 09:00 and 20:00 Asia/Shanghai on a working day (holidays and the
adjusted working weekends of bot/rules/workdays.py). A due time outside that window moves to
the next working day at 09:00. China keeps no daylight saving time, so Asia/Shanghai is
UTC+08:00 all year; a fixed offset needs no tz database on the host.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..dialog.messages import render
from ..rules import Assessment
from ..rules.workdays import WorkCalendar

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
OPENS = dt.time(9, 0)
CLOSES = dt.time(20, 0)
# Working days before the last day to submit at which the second reminder fires: time to
# gather the materials and still file (issue 15).
BEFORE_LAST_DAY = 10
# Sent later than this after its time: the bot was down (or outside the window); the message says so.
LATE_AFTER = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class Planned:
    """One reminder to store: ``key`` is unique per chat (kind and day), ``at`` the aware
    send time, ``text`` the message (Telegram HTML), ``label`` one line for /reminders."""

    key: str
    kind: str  # "window_opens", "before_last_day", "qualifies"
    day: dt.date
    at: dt.datetime
    label: str
    text: str

    def to_json(self) -> dict:
        return {"key": self.key, "at": self.at.isoformat(), "label": self.label, "text": self.text}


def in_window(moment: dt.datetime, calendar: WorkCalendar) -> bool:
    """Whether a reminder may be sent at ``moment`` (aware)."""
    local = moment.astimezone(SHANGHAI)
    return calendar.is_workday(local.date()) and OPENS <= local.time() < CLOSES


def send_time(moment: dt.datetime, calendar: WorkCalendar) -> dt.datetime:
    """``moment`` if it lies in the sending window, else the next working day's 09:00."""
    local = moment.astimezone(SHANGHAI)
    if in_window(local, calendar):
        return local
    day = local.date()
    if local.time() >= OPENS:  # today's window has passed (or today is no working day)
        day += dt.timedelta(days=1)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, OPENS, SHANGHAI)


def morning(day: dt.date, calendar: WorkCalendar) -> dt.datetime:
    """A reminder "on ``day``": its 09:00, or the next working day's when ``day`` is not one."""
    return send_time(dt.datetime.combine(day, OPENS, SHANGHAI), calendar)


def plan(assessment: Assessment, calendar: WorkCalendar, today: dt.date) -> list[Planned]:
    """The reminders an assessment's dates call for, each still ahead of ``today``: at the
    window's opening, BEFORE_LAST_DAY working days before the last day to submit (or the
    expiry, where no last day is stated), and on the day one qualifies."""
    dates = {d.id: d for d in assessment.deadlines}
    ctx = assessment.context
    what = f"{ctx.get('district_name', '')}{ctx.get('business_name', '')}"
    office = ctx.get("office_line", "")
    planned: list[Planned] = []

    def add(kind: str, day: dt.date, label: str, **context) -> None:
        if day <= today:
            return
        text = render("reminder.html.j2", kind=kind, what=what, office=office, day=day, **context)
        planned.append(Planned(f"{kind}:{day.isoformat()}", kind, day, morning(day, calendar), label, text))

    last = dates.get("submit_by") or dates.get("expires")
    if "window_opens" in dates:
        opens = dates["window_opens"]
        add("window_opens", opens.date, f"{what}窗口开启（{opens.date.isoformat()}）", deadline=opens, last=last)
    if last is not None:
        before, certain = calendar.working_days_before(last.date, BEFORE_LAST_DAY)
        add(
            "before_last_day",
            before,
            f"距最晚提交日 {last.date.isoformat()} 还有 {BEFORE_LAST_DAY} 个工作日",
            deadline=last,
            last=last,
            certain=certain and last.certain,
            working_days=BEFORE_LAST_DAY,
        )
    qualifies = assessment.qualifies_from
    if qualifies is not None:
        add("qualifies", qualifies, f"约 {qualifies.isoformat()} 起可申请{what}", last=None)
    return planned


def is_late(due: dt.datetime, now: dt.datetime) -> bool:
    return now - due > LATE_AFTER
