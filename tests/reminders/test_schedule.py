"""When reminders fire: working days of the real calendar (chinesecalendar, holidays.yaml),
09:00–20:00 Asia/Shanghai, and the dates an assessment gives."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.reminders.schedule import SHANGHAI, in_window, morning, plan, send_time
from bot.rules import Profile, assess
from bot.rules.workdays import WorkCalendar


@pytest.fixture(scope="module")
def calendar(knowledge):
    return WorkCalendar(knowledge.holidays)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def test_a_reminder_due_in_the_national_day_holiday_waits_for_the_first_working_day(calendar):
    # 2025: 1–8 October off (National Day with Mid-Autumn), 9 October the first working day.
    for day in range(1, 9):
        assert not calendar.is_workday(dt.date(2025, 10, day))
    assert morning(dt.date(2025, 10, 1), calendar) == at("2025-10-09T09:00")
    assert send_time(at("2025-09-30T20:00"), calendar) == at("2025-10-09T09:00")  # the window closes at 20:00
    assert send_time(at("2025-09-30T19:59"), calendar) == at("2025-09-30T19:59")


def test_an_adjusted_working_weekend_is_a_sending_day_and_an_ordinary_one_is_not(calendar):
    assert in_window(at("2025-09-28T10:00"), calendar)  # Sunday 28 September 2025: a working day (调休)
    assert not in_window(at("2025-09-27T10:00"), calendar)  # Saturday, an ordinary rest day
    assert send_time(at("2025-09-27T10:00"), calendar) == at("2025-09-28T09:00")
    assert send_time(at("2025-09-29T06:00"), calendar) == at("2025-09-29T09:00")  # before 09:00: the same day


def test_the_window_is_beijing_time_whatever_the_offset_given(calendar):
    assert in_window(dt.datetime(2025, 10, 9, 1, 0, tzinfo=dt.UTC), calendar)  # 09:00 in Beijing
    assert not in_window(dt.datetime(2025, 10, 9, 0, 59, tzinfo=dt.UTC), calendar)


def _renewal(knowledge, expiry: str, today: dt.date):
    profile = Profile.model_validate(
        {
            "district": "chaoyang",
            "business": "renewal",
            "permit_expiry": expiry,
            "declared": ["social_insurance_continuous", "same_employer_for_tax", "contract_months_left"],
        }
    )
    return assess(knowledge, profile, today=today)


def test_ten_working_days_before_the_last_day_counts_across_the_holiday(knowledge, calendar):
    today = dt.date(2025, 6, 1)
    assessment = _renewal(knowledge, "2025-11-20", today)
    dates = {d.id: d.date for d in assessment.deadlines}
    planned = {p.kind: p for p in plan(assessment, calendar, today)}
    last = dates["submit_by"]
    before, _ = calendar.working_days_before(last, 10)
    assert planned["before_last_day"].day == before
    # between them exactly ten working days, none of them in 1–8 October
    between = [last - dt.timedelta(days=i) for i in range(1, (last - before).days + 1)]
    assert sum(calendar.is_workday(d) for d in between) == 10
    assert planned["before_last_day"].at == morning(before, calendar)
    assert planned["window_opens"].day == dates["window_opens"]
    assert all(in_window(p.at, calendar) for p in planned.values())


def test_a_window_opening_on_national_day_is_reminded_on_9_october(knowledge, calendar):
    # Chaoyang opens the renewal window 60 days before expiry: expiry 30 Nov 2025 -> 1 Oct.
    assessment = _renewal(knowledge, "2025-11-30", dt.date(2025, 6, 1))
    opens = next(d for d in assessment.deadlines if d.id == "window_opens")
    assert opens.date == dt.date(2025, 10, 1)
    planned = {p.kind: p for p in plan(assessment, calendar, dt.date(2025, 6, 1))}
    assert planned["window_opens"].at == at("2025-10-09T09:00")
    assert "2025-10-01" in planned["window_opens"].text


def test_past_dates_are_not_reminded(knowledge, calendar):
    assessment = _renewal(knowledge, "2025-11-30", dt.date(2025, 10, 20))
    kinds = {p.kind for p in plan(assessment, calendar, dt.date(2025, 10, 20))}
    assert "window_opens" not in kinds


def test_from_date_x_you_qualify_is_data_on_the_check_and_a_reminder(knowledge, calendar):
    today = dt.date(2026, 3, 15)
    profile = Profile.model_validate({"district": "chaoyang", "business": "new", "months_employed": 2})
    assessment = assess(knowledge, profile, today=today)
    failing = [c for c in assessment.checks if c.status == "fail"]
    if any(c.met_from is None for c in failing):
        pytest.skip("another condition fails too: no single day one qualifies")
    x = assessment.qualifies_from
    assert x is not None and x > today
    assert x.isoformat() in next(c.advice for c in failing if c.met_from)  # the same day the advice names
    planned = {p.kind: p for p in plan(assessment, calendar, today)}
    assert planned["qualifies"].day == x and planned["qualifies"].at == morning(x, calendar)
