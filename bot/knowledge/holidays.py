"""Holidays and working weekend days for the years the calendar package lacks."""

from __future__ import annotations

import datetime as dt

from .cited import Strict, Text


class HolidayYear(Strict):
    source: Text
    holidays: list[dt.date]
    workdays: list[dt.date] = []  # 调休: weekend days that are working days


class Holidays(Strict):
    """Years the calendar package lacks, added by a maintainer from the State Council notice."""

    years: dict[int, HolidayYear] = {}
