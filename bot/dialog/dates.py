"""A date as people type it at a date question ("2027年1月15日到期", "明年2月底", "下个月15号").

``read_date`` turns the words of dialogs/reading.yaml ``dates`` into the date grammar of
bot/dialog/parsers.py, counted from the day it is read on: 明年/下个月 from that day's year
and month, a month without a year as the next such month (never a past one), 月底 as the
month's last day. A phrase that names no one day (月初, 年底) is not guessed: it comes back
as ``Vague`` with its literal reading, which the reader offers as a button. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from . import parsers
from .numerals import PUNCTUATION, ParseError, normalise

_PUNCTUATION = PUNCTUATION + ":："  # "有效期至：2027-1-15"


@dataclass(frozen=True)
class Vague:
    """A phrase that names no one day; ``day`` is what it says literally (a month's first day,
    a year's last), to be confirmed, never taken unasked."""

    day: dt.date


def read_date(text: str, today: dt.date, words: dict[str, Any], around: list[str]) -> dt.date | Vague:
    """``words``: reading.yaml ``dates``; ``around``: further words said around an answer that
    mean nothing for it (the reader's filler, the permit's names)."""
    s = _without_around(normalise(text).replace(" ", ""), [*words["around"], *around])
    for name, month in words["month_names"].items():
        s = s.replace(name, f"{month}月")
    end = _end_of_period(s, words["period"])
    if end is not None:
        return end
    s = _absolute(s, today, words)
    for kind in ("year_end", "month_start", "month_end"):
        for word in sorted(words[kind], key=len, reverse=True):
            if s.endswith(word):
                return _at_an_end(kind, s[: -len(word)], today)
    return parsers.parse_date(s, today)


def _without_around(s: str, around: list[str]) -> str:
    """Words before and after the date dropped, as often as they stand there ("就到期了")."""
    alternatives = "|".join(re.escape(normalise(w)) for w in sorted(set(around), key=len, reverse=True))
    pattern = re.compile(rf"^(?:{alternatives})+|(?:{alternatives})+$")
    previous = None
    while s != previous:
        previous, s = s, pattern.sub("", s.strip(_PUNCTUATION))
    return s


def _end_of_period(s: str, between: list[str]) -> dt.date | None:
    """'2024年1月15日至2027年1月15日', '2024.1.15-2027.1.15' -> the later end; None when the text
    is no two full dates (a '-' inside '2027-1-15' separates no period)."""
    for word in between:
        at = s.find(word)
        while at > 0:
            try:
                start, end = parsers.parse_date(s[:at]), parsers.parse_date(s[at + len(word) :])
            except ParseError:
                at = s.find(word, at + 1)
                continue
            return end if start < end else None
    return None


def _absolute(s: str, today: dt.date, words: dict[str, Any]) -> str:
    """'下个月15号' -> '2027年1月15号', '明年2月底' -> '2027年2月底' (read on 2026-12-02)."""
    for word, ahead in sorted(words["months"].items(), key=lambda item: -len(item[0])):
        if s.startswith(word):
            month = today.month - 1 + ahead
            return f"{today.year + month // 12}年{month % 12 + 1}月{s[len(word) :]}"
    for word, ahead in sorted(words["years"].items(), key=lambda item: -len(item[0])):
        if s.startswith(word):
            return f"{today.year + ahead}年{s[len(word) :]}"
    return s


def _at_an_end(kind: str, before: str, today: dt.date) -> dt.date | Vague:
    """'2027年2月底' (kind month_end, before '2027年2'), '3月初', '2027年底', '月底' alone (this month's)."""
    if kind == "year_end":  # '2027年底', '2027年年底', '年底' (this year's)
        written = before.removesuffix("年")
        return Vague(parsers.make_date(parsers.parse_year(written) if written else today.year, 12, 31))
    year, month = parsers.parse_month(before) if before else (today.year, today.month)
    first = kind == "month_start"

    def day_in(y: int) -> int:
        return 1 if first else parsers.last_day(y, month)

    day = parsers.next_day(month, day_in, today) if year is None else parsers.make_date(year, month, day_in(year))
    return Vague(day) if first else day


__all__ = ["ParseError", "Vague", "read_date"]
