"""The average wage an application is measured against, and thresholds computed from it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..knowledge.models import WageTable


@dataclass(frozen=True)
class WageFigure:
    """The figure used for an application: its year, value, and whether it is provisional."""

    year: int  # the year the figure belongs to (application year + offset)
    value: float
    source: str
    provisional: bool  # the year is not published yet: the latest published figure stands in
    published_year: int  # the year whose figure is actually used

    def threshold(self, multiple: float) -> int:
        """multiple × wage, rounded up to the yuan (the guides' tables round 14324.4 to 14324;
        'reach' means ≥, so we compare against the unrounded product and show it rounded)."""
        return math.ceil(round(self.value * multiple, 6))

    def exact(self, multiple: float) -> float:
        return round(self.value * multiple, 2)

    def annual(self, multiple: float) -> float:
        """multiple × wage × 12 months, unrounded: the yearly income threshold."""
        return self.value * multiple * 12


def wage_for_year(table: WageTable, year: int) -> WageFigure:
    """The figure for ``year``, falling back to the latest published one before it."""
    published = sorted(y for y in table.values if y <= year)
    if not published:
        raise ValueError(f"no average wage is known for {year} or earlier")
    used = published[-1]
    entry = table.values[used]
    return WageFigure(year, entry.value, entry.source, used != year, used)


def wage_for_application(table: WageTable, application_date: dt.date) -> WageFigure:
    """An application in year Y is measured against year Y + offset (the previous year)."""
    return wage_for_year(table, application_date.year + table.measured_year_offset)
