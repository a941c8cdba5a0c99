"""Answers as people type them, table by table."""

import datetime as dt

import pytest

from bot.dialog.parsers import (
    ParseError,
    last_day,
    next_day,
    parse_date,
    parse_duration,
    parse_incomes,
    parse_money,
    parse_month,
    parse_months,
    parse_number,
    parse_wan,
    parse_year,
)
from tests.dialog.spoken_numbers import STEP_DOWN, ZERO_AND_MIXED

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "text, value",
    [
        ("15000", 15000),
        ("15K", 15000),
        ("15,000元", 15000),
        ("15，000元", 15000),
        ("¥15000", 15000),
        ("１５０００", 15000),
        ("1万2000", 12000),
        ("两万", 20000),
        ("一万五千", 15000),
        ("2.5w", 25000),
        ("14324.4", 14324.4),
        ("1,234,567", 1234567),
        (" 15000 ", 15000),
        ("1.5亿", 150_000_000),
        ("一万", 10000),
        ("十万", 100000),
        ("人民币15000", 15000),
        # and every spoken number the numeral reader's tests read, to the same figure
        *STEP_DOWN,
        *ZERO_AND_MIXED,
    ],
)
def test_money(text, value):
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["", "-1", "-15000", "abc", "很多", "1.5.5万", "15000美元吗？"])
def test_money_rejects(text):
    with pytest.raises(ParseError):
        parse_money(text)


@pytest.mark.parametrize(
    "text, months",
    [
        ("18个月", 18),
        ("1年半", 18),
        ("2年", 24),
        ("一年零三个月", 15),
        ("1.5年", 18),
        ("18", 18),
        ("半年", 6),
        ("三个月", 3),
        ("十二个月", 12),
        ("1年3个月", 15),
        ("两年半", 30),
        ("一个半月", 1.5),
    ],
)
def test_months(text, months):
    assert parse_months(text) == months


@pytest.mark.parametrize("text", ["", "很久", "-3个月", "年"])
def test_months_rejects(text):
    with pytest.raises(ParseError):
        parse_months(text)


@pytest.mark.parametrize(
    "text, day",
    [
        ("2027年3月1日", dt.date(2027, 3, 1)),
        ("2027-3-1", dt.date(2027, 3, 1)),
        ("2027/03/01", dt.date(2027, 3, 1)),
        ("2027.3.1", dt.date(2027, 3, 1)),
        ("20270301", dt.date(2027, 3, 1)),
        ("2027年3月1号", dt.date(2027, 3, 1)),
        ("３月１日", dt.date(2027, 3, 1)),
        ("12月25日", dt.date(2026, 12, 25)),
        ("27年3月1号", dt.date(2027, 3, 1)),
        ("二〇二七年三月一日", dt.date(2027, 3, 1)),
        ("二零二七年一月十五号", dt.date(2027, 1, 15)),
        ("11月1日", dt.date(2027, 11, 1)),  # past this year: next year's, never a past one
    ],
)
def test_dates(text, day):
    assert parse_date(text, TODAY) == day


@pytest.mark.parametrize("text", ["2027-02-30", "2027年13月1日", "明年", "2027年3月", "二〇二七年三月", ""])
def test_dates_reject(text):
    with pytest.raises(ParseError):
        parse_date(text, TODAY)


def test_a_month_before_its_end_word():
    # the grammar of '2027年2月底' and '3月初' (the words are read by bot/dialog/dates.py)
    assert parse_month("2027年2") == (2027, 2) and parse_month("二〇二七年二") == (2027, 2)
    assert parse_month("27-12") == (2027, 12) and parse_month("十一") == (None, 11)
    with pytest.raises(ParseError):
        parse_month("13")
    assert parse_year("二〇二七") == 2027 and last_day(2028, 2) == 29 and last_day(2027, 2) == 28
    assert next_day(2, lambda y: last_day(y, 2), TODAY) == dt.date(2027, 2, 28)
    assert next_day(11, lambda y: 30, TODAY) == dt.date(2026, 11, 30)  # today's month, not past yet


def test_a_bare_duration_is_marked_bare():
    # the question decides what a bare number means (bot/dialog/reader.py)
    assert parse_duration("2") == (2, True) and parse_duration("2年") == (24, False)


def test_numbers():
    assert parse_number("三") == 3 and parse_number("12人") == 12 and parse_number("32岁") == 32
    with pytest.raises(ParseError):
        parse_number("-4")


def test_a_count_is_not_read_through_wan():
    # '1.5万' is no age: not 1.5 (the old reading, refused as "too small") but unreadable
    with pytest.raises(ParseError):
        parse_number("1.5万")


@pytest.mark.parametrize(
    "text,wan",
    [
        ("500", 500),
        ("500万", 500),
        ("500万元", 500),
        ("五百", 500),
        ("五百万", 500),
        ("50w", 50),
        ("50W", 50),
        ("1亿", 10_000),
        ("1.5亿元", 15_000),
        ("一亿", 10_000),
        ("5000000元", 500),
        ("5,000,000元", 500),
        ("一千万", 1000),
        ("2千万", 2000),
        ("25.5", 25.5),
        ("1万5", 1.5),
        ("0", 0),
        ("15w", 15),
        ("1000w", 1000),
    ],
)
def test_amounts_asked_in_wan(text, wan):
    assert parse_wan(text) == pytest.approx(wan)


@pytest.mark.parametrize("text", ["", "-5", "很多", "五百美元吗", "abc万"])
def test_unreadable_wan_amounts(text):
    with pytest.raises(ParseError):
        parse_wan(text)


def test_incomes_in_order_or_labelled():
    years = [2023, 2024, 2025]
    assert parse_incomes("60万 58万 62万", years) == {2023: 600000, 2024: 580000, 2025: 620000}
    assert parse_incomes("2025:62万，2023：60万、2024年 58万", years) == {2023: 600000, 2024: 580000, 2025: 620000}
    assert parse_incomes("600000 580000 620000", years) == {2023: 600000, 2024: 580000, 2025: 620000}
    with pytest.raises(ParseError):
        parse_incomes("60万 58万", years)
