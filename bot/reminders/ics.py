"""The assessment's dates as an .ics calendar (RFC 5545, via icalendar), to add to a phone.

Each date is an all-day event with an alarm at 09:00 that day; the UIDs are derived from the
event's kind and day, so importing the file twice updates rather than duplicates."""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from ..rules import Assessment

FILENAME = "工作居住证日期.ics"
MIME = "text/calendar"


def calendar_bytes(assessment: Assessment, stamp: dt.datetime) -> bytes:
    """``stamp``: the DTSTAMP (when the file is made; injected for tests)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//gjz-bot//工作居住证助手//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "工作居住证")
    ctx = assessment.context
    what = f"{ctx.get('district_name', '')}{ctx.get('business_name', '')}"
    events = [(d.id, d.date, f"{what}：{d.label}") for d in assessment.deadlines]
    if assessment.qualifies_from is not None:
        events.append(("qualifies", assessment.qualifies_from, f"{what}：约此日起可申请"))
    for kind, day, summary in events:
        event = icalendar.Event()
        uid = hashlib.sha256(f"{assessment.district}:{assessment.business}:{kind}:{day}".encode()).hexdigest()[:24]
        event.add("uid", f"{uid}@gjz-bot")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        if ctx.get("office_line"):
            event.add("description", "办理咨询：" + ctx["office_line"])
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", dt.timedelta(hours=9))  # from the day's start: 09:00 local
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
