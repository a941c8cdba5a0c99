"""Expiry dates as people type them (bot/dialog/dates.py through the reader `gjz read` runs),
read on the day they are read: a wrong expiry gives a wrong renewal deadline, so a phrase
that does not name one day is asked back, never guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.reader import AskBack, NotTaken, ReadContext, Taken, read_answer, read_follow_up
from bot.dialog.spec import load_spec

TODAY = dt.date(2026, 12, 2)


def _read(knowledge, text, today=TODAY):
    return read_answer(load_spec().questions["permit_expiry"], text, ReadContext(knowledge, {}, today))


@pytest.mark.parametrize(
    "text, day",
    [
        # words said around the date
        ("2027年1月15日到期", "2027-01-15"),
        ("2027年1月5号到期", "2027-01-05"),
        ("到期日2027年1月15日", "2027-01-15"),
        ("有效期到2027年1月15日", "2027-01-15"),
        ("有效期至2027.1.15", "2027-01-15"),
        ("截止到2027年1月15日", "2027-01-15"),
        ("2027年1月15日为止", "2027-01-15"),
        ("证件2027年1月15日到期", "2027-01-15"),
        ("我的工作居住证2027年1月15日到期了", "2027-01-15"),
        ("２０２７年１月１５日到期", "2027-01-15"),
        # the month's last day
        ("明年2月底", "2027-02-28"),
        ("2028年2月底", "2028-02-29"),
        ("2027年4月末", "2027-04-30"),
        ("2月底", "2027-02-28"),  # a month without a year: the next such month
        ("12月底", "2026-12-31"),  # this month is not past yet
        ("11月底", "2027-11-30"),  # a past month is next year's, never a past expiry
        ("这个月底", "2026-12-31"),
        ("下个月底到期", "2027-01-31"),
        # relative months and years
        ("下个月15号", "2027-01-15"),
        ("这个月20号", "2026-12-20"),
        ("下月5日", "2027-01-05"),
        ("明年1月15号", "2027-01-15"),
        ("后年3月1日", "2028-03-01"),
        ("今年12月31日", "2026-12-31"),
        # Chinese numerals
        ("二〇二七年一月十五日", "2027-01-15"),
        ("二零二七年一月十五号到期", "2027-01-15"),
        ("2027年元月15日", "2027-01-15"),
        ("元月十五号", "2027-01-15"),
        ("明年元月底", "2027-01-31"),
    ],
)
def test_expiry_dates_people_type(knowledge, text, day):
    assert _read(knowledge, text) == Taken(day)


def test_relative_months_roll_over_the_year(knowledge):
    assert _read(knowledge, "下个月15号", dt.date(2026, 11, 20)) == Taken("2026-12-15")
    assert _read(knowledge, "下个月底", dt.date(2026, 12, 31)) == Taken("2027-01-31")


@pytest.mark.parametrize(
    "text, figure, day",
    [
        ("2027年3月初", "2027年3月1日", "2027-03-01"),
        ("明年3月初到期", "2027年3月1日", "2027-03-01"),
        ("下个月初", "2027年1月1日", "2027-01-01"),
        ("明年年底", "2027年12月31日", "2027-12-31"),
        ("2027年底到期", "2027年12月31日", "2027-12-31"),
        ("年底", "2026年12月31日", "2026-12-31"),
    ],
)
def test_a_vague_day_is_asked_back_with_its_literal_reading_as_a_button(knowledge, text, figure, day):
    reading = _read(knowledge, text)
    assert isinstance(reading, AskBack) and f"“{text}”" in reading.prompt and "哪一天" in reading.prompt
    assert [(o.label, o.value) for o in reading.options] == [(f"就是 {figure}", day)]
    # the day typed as a reply to the follow-up is taken; any other day is a fresh answer
    d = dt.date.fromisoformat(day)
    assert read_follow_up(reading, f"{d.day}号") == Taken(day)
    assert read_follow_up(reading, "20号") is None


@pytest.mark.parametrize("text", ["2027年3月", "二〇二七年三月", "明年2月", "下个月", "明年", "2月30日到期", "到期"])
def test_no_day_or_no_such_day_is_refused(knowledge, text):
    assert isinstance(_read(knowledge, text), NotTaken)


def test_a_month_without_a_day_is_asked_for_the_day_in_the_form_asked(knowledge):
    assert "请写到具体哪一天" in _read(knowledge, "二〇二七年三月到期").reason


def test_a_long_past_date_is_read_as_typed(knowledge):
    # the rules then say the permit has expired (bot/rules/businesses.py permit_valid)
    assert _read(knowledge, "2010年1月1日到期") == Taken("2010-01-01")


@pytest.mark.parametrize(
    "text",
    ["2024年1月15日至2027年1月15日", "有效期：2024.1.15-2027.1.15", "2024-01-15~2027-01-15", "2024/1/15到2027/1/15"],
)
def test_a_validity_period_copied_from_the_form_is_read_as_its_end(knowledge, text):
    assert _read(knowledge, text) == Taken("2027-01-15")


def test_a_period_ending_before_it_starts_is_refused(knowledge):
    assert isinstance(_read(knowledge, "2027年1月15日至2024年1月15日"), NotTaken)


def test_odd_dates_are_refused_or_read_never_crash(knowledge):
    assert _read(knowledge, "2月29日") == Taken("2028-02-29")  # the next 29 February
    for text in ["0000年2月底", "〇〇〇〇年底", "0000年3月1日", "2027年13月底", "2月30日", "年底年底", "底"]:
        assert isinstance(_read(knowledge, text), NotTaken), text
