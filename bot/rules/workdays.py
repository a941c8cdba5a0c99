"""Chinese working days: public holidays and adjusted working weekends (调休).

The calendar comes from the ``chinesecalendar`` package, which follows the State Council's
yearly notice; knowledge/holidays.yaml can add a year the package does not know yet, either
from the notice or, before it is out, with only the statutory days of the 放假办法. A date in a
year with no notice is reported as uncertain: counted by weekdays and whatever statutory days
holidays.yaml has for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from ..knowledge.holidays import Holidays

_PACKAGE_YEARS = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}


@dataclass
class WorkCalendar:
    extra: Holidays = field(default_factory=Holidays)

    def covers(self, day: dt.date) -> bool:
        """True when the State Council's schedule for the year is known, so no day can move."""
        year = self.extra.years.get(day.year)
        if year is not None:
            return not year.statutory_only
        return day.year in _PACKAGE_YEARS

    def counts_statutory_days(self, day: dt.date) -> bool:
        """True when the year's holidays are counted, from the notice or from the 放假办法 alone."""
        return day.year in self.extra.years or day.year in _PACKAGE_YEARS

    def is_workday(self, day: dt.date) -> bool:
        year = self.extra.years.get(day.year)
        if year is not None:
            if day in year.workdays:
                return True
            if day in year.holidays:
                return False
            return day.weekday() < 5
        if day.year in _PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))  # the package is untyped
        return day.weekday() < 5

    def working_days_before(self, day: dt.date, n: int) -> tuple[dt.date, bool]:
        """The date n working days before ``day`` (``day`` itself not counted).

        Returns (date, certain): certain is False when a year on the way has no State Council
        schedule yet, so the answer must say the date may move (earlier, as bridge days are added).
        """
        certain = self.covers(day)
        current = day
        counted = 0
        while counted < n:
            current -= dt.timedelta(days=1)
            certain = certain and self.covers(current)
            if self.is_workday(current):
                counted += 1
        return current, certain
