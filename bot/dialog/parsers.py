"""The values inside answers: an amount, a duration, a count, a date.

Each parser takes text already cleaned by the reader (bot/dialog/reader.py strips filler
words and decides what approximate words mean) and returns the value, or raises
``ParseError`` with a short Chinese reason. The units here are grammar, not synonyms:
元/块 and 万/w/k/亿 for money, 年/个月 for durations, 个/人/岁 for counts.
Nothing here knows about Telegram or the interview.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from .numerals import DIGITS, ParseError, normalise, read_number

__all__ = [
    "ParseError",
    "normalise",
    "parse_money",
    "parse_wan",
    "parse_duration",
    "parse_months",
    "parse_number",
    "parse_date",
    "parse_month",
    "parse_year",
    "next_day",
    "last_day",
    "make_date",
    "parse_incomes",
    "Duration",
]

_YUAN = re.compile(r"(元整?|块钱|块|rmb|cny|人民币)$")
_SCALED = re.compile(r"[万萬w亿千k]")
_AMOUNT = re.compile(r"[万萬w亿k]")  # in a count, a sign of an amount typed in the wrong place


def parse_money(text: str) -> float:
    """15000, 1.5万, 15k, 一万五, 15,000元, ¥15000, 1万5, 1w5, 2万5千, 1万零500, 1.5亿 -> yuan."""
    s = _YUAN.sub("", re.sub(r"^(¥|￥|rmb|cny|人民币)", "", normalise(text))).strip()
    if s.startswith(("-", "负")):
        raise ParseError("金额不能是负数")
    if not s:
        raise ParseError("没有找到金额")
    try:
        return round(read_number(s), 2)
    except ParseError:
        raise ParseError("没有看懂这个金额") from None


def parse_wan(text: str) -> float:
    """An amount asked in 万元. A bare number is in 万元 ('500', '五百' -> 500); an amount with a
    unit is converted: '50w', '50万', '500万元' -> 50/50/500, '1亿' -> 10000, '5000000元' -> 500."""
    s = normalise(text).lstrip("¥￥")
    if _YUAN.search(s) or _SCALED.search(s):
        return round(parse_money(s) / 10_000, 4)
    return parse_money(s)


class Duration(NamedTuple):
    months: float
    bare: bool  # no unit was written ('2'): the question decides what it means


_MONTHS = r"(?:个月|个多月|月)"


def parse_duration(text: str) -> Duration:
    """18个月, 1年半, 2年, 一年零三个月, 1.5年, 半年, 1个半月 -> months; '18' -> bare 18."""
    s = normalise(text).replace(" ", "")
    if not s:
        raise ParseError("没有找到时长")
    if s.startswith(("-", "负")):
        raise ParseError("不能是负数")
    if s in ("半年", "半年整"):
        return Duration(6, False)
    m = re.fullmatch(r"(.+?)年(?:整)?(半)?(?:零)?(?:(.+?)" + _MONTHS + ")?", s)
    if m:
        months = _count(m.group(1)) * 12 + (6 if m.group(2) else 0)
        if m.group(3):
            months += _count(m.group(3))
        return Duration(months, False)
    m = re.fullmatch(r"(.+?)(个半月|" + _MONTHS + ")", s)
    if m:  # '3个月', '一个半月'
        return Duration(_count(m.group(1)) + (0.5 if m.group(2) == "个半月" else 0), False)
    return Duration(_count(s), True)


def parse_months(text: str) -> float:
    """A duration in months, a bare number counted as months."""
    return parse_duration(text).months


def _count(s: str) -> float:
    try:
        return read_number(s.strip())
    except ParseError:
        raise ParseError("没有看懂这个时长") from None


def parse_number(text: str) -> float:
    """A plain count: '3', '三', '12人', '32岁', '2.5'. Amounts in 万 are no count ('1.5万' is refused)."""
    s = re.sub(r"(个|人|名|位|岁|周岁)$", "", normalise(text)).strip()
    if s.startswith(("-", "负")):
        raise ParseError("不能是负数")
    if not s or _AMOUNT.search(s):
        raise ParseError("没有看懂这个数字")
    try:
        return read_number(s)
    except ParseError:
        raise ParseError("没有看懂这个数字") from None


_YEAR = r"([\d〇零○一二三四五六七八九]{4}|[\d〇零○一二三四五六七八九]{2})"


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """2027年3月1日, 27年3月1号, 2027-3-1, 2027/03/01, 2027.3.1, 20270301, 二〇二七年三月一日,
    3月1日 (the next such day). Words around a date ('到期', '明年', '月底') are read by
    bot/dialog/dates.py, which hands the date itself to this."""
    s = re.sub(r"(日|号|號)$", "", normalise(text).replace(" ", ""))
    m = re.fullmatch(r"(\d{8})", s)
    if m:
        return make_date(int(s[:4]), int(s[4:6]), int(s[6:]))
    m = re.fullmatch(_YEAR + r"[年\-/.](.{1,3}?)[月\-/.](.{1,3})", s)
    if m:
        return make_date(_year(m.group(1)), _small(m.group(2)), _small(m.group(3)))
    if re.fullmatch(_YEAR + r"[年\-/.](.{1,3}?)月?份?", s):
        raise ParseError("请写到具体哪一天，例如 2027年3月1日")
    m = re.fullmatch(r"(.{1,3}?)[月\-/.](.{1,3})", s)
    if m and today is not None:
        return next_day(_small(m.group(1)), lambda year: _small(m.group(2)), today)
    raise ParseError("没有看懂这个日期")


def parse_month(text: str) -> tuple[int | None, int]:
    """'2027年2', '27-2', '二〇二七年二', '2' -> (year or None, month): a month before 月底 and such."""
    s = normalise(text).replace(" ", "")
    m = re.fullmatch(r"(?:" + _YEAR + r"[年\-/.])?(.{1,3})", s)
    if not m:
        raise ParseError("没有看懂这个日期")
    month = _small(m.group(2))
    if not 1 <= month <= 12:
        raise ParseError(f"{month}月 不是一个存在的月份")
    return (_year(m.group(1)) if m.group(1) else None), month


def parse_year(text: str) -> int:
    """'2027', '27', '二〇二七' -> 2027."""
    s = normalise(text).replace(" ", "")
    if not re.fullmatch(_YEAR, s):
        raise ParseError("没有看懂这个日期")
    return _year(s)


def next_day(month: int, day_in: Callable[[int], int], today: dt.date) -> dt.date:
    """The day of that month (``day_in(year)``: the day in that year's month) this year, or
    next year once it is past: a month typed without a year is never a past one."""
    for year in range(today.year, today.year + 5):  # '2月29日': the next year that has one
        try:
            day = make_date(year, month, day_in(year))
        except ParseError:
            continue
        if day >= today:
            return day
    return make_date(today.year, month, day_in(today.year))  # no such day in any year: why not


def last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _year(s: str) -> int:
    """'2027', '27' (this century), '二〇二七' (digit by digit)."""
    digits = "".join(c if c.isdigit() else str(DIGITS[c]) for c in s)
    year = 2000 + int(digits) if len(digits) == 2 else int(digits)
    if year < 1:  # '0000': no calendar's year
        raise ParseError("没有看懂这个日期")
    return year


def _small(s: str) -> int:
    try:
        value = read_number(s)
    except ParseError:
        raise ParseError("没有看懂这个日期") from None
    if not float(value).is_integer():
        raise ParseError("没有看懂这个日期")
    return int(value)


def make_date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(f"{year}年{month}月{day}日 不是一个存在的日期") from None


def parse_incomes(text: str, years: list[int], read: Callable[[str], float] = parse_money) -> dict[int, float]:
    """'60万 58万 62万' or '2023:60万, 2024:58万, 2025:62万' -> {year: yuan} for the given years;
    ``read`` reads one amount (the reader passes its own, which knows approximate words)."""
    s = normalise(text, join_digits=False)
    labelled = re.findall(r"(\d{4})\s*年?\s*[:：]?\s*([^,，;；、\s]+)", s)
    if labelled and all(int(y) in years for y, _ in labelled):
        result = {int(y): read(v) for y, v in labelled}
    else:
        parts = [p for p in re.split(r"[,，;；、\s]+", s) if p]
        if len(parts) != len(years):
            raise ParseError(f"请按顺序给出 {len(years)} 个年份的金额，用空格或逗号隔开")
        result = {y: read(p) for y, p in zip(years, parts, strict=True)}
    if set(result) != set(years):
        raise ParseError("年份不全：需要 " + "、".join(str(y) for y in years))
    return result


def looks_bare(text: str) -> bool:
    """A figure written with no unit at all: '1.5', '3', not '1.5万' or '3年'."""
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", text.strip()))
