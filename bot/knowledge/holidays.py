"""Holidays and working weekend days for the years the calendar package lacks."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationInfo, field_validator

from .cited import Strict, Text


class HolidayYear(Strict):
    source: Text
    # True before the State Council's notice for the year is out: `holidays` holds only the
    # days the 放假办法 itself fixes, so a deadline counts them (the safe, earlier direction)
    # but stays uncertain, since the notice adds bridge and make-up days (补假) of its own.
    # Declared before workdays, whose check reads it.
    statutory_only: bool = False
    holidays: list[dt.date]
    workdays: list[dt.date] = []  # 调休: weekend days that are working days

    @field_validator("workdays")
    @classmethod
    def _no_workdays_before_the_notice(cls, v: list[dt.date], info: ValidationInfo) -> list[dt.date]:
        if v and info.data.get("statutory_only"):
            raise ValueError("a statutory_only year has no 调休 working days: only the State Council notice sets them")
        return v


class Holidays(Strict):
    """Years the calendar package lacks, added by a maintainer from the State Council notice,
    or from the 放假办法's fixed days while the notice is not out (``statutory_only``)."""

    years: dict[int, HolidayYear] = {}

    @field_validator("years")
    @classmethod
    def _dates_in_their_year(cls, v: dict[int, HolidayYear]) -> dict[int, HolidayYear]:
        for year, days in v.items():
            stray = [d.isoformat() for d in [*days.holidays, *days.workdays] if d.year != year]
            if stray:
                raise ValueError(f"{year}: {', '.join(stray)} not in {year}")
        return v
