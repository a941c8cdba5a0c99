"""The average wage an application is measured against, and thresholds computed from it."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from ..knowledge.wagetable import WageTable


@dataclass(frozen=True)
class WageFigure:
    """The figure used for an application: its year, value, and whether it is provisional."""

    year: int  # the year the figure belongs to (application year + offset)
    value: float
    source: str
    provisional: bool  # the year is not published yet: the latest published figure stands in
    published_year: int  # the year whose figure is actually used
    # multiple -> the threshold a guide's table prints for this figure (knowledge/wages.yaml)
    printed: dict[float, float] = field(default_factory=dict)

    def threshold(self, multiple: float) -> float:
        """The monthly threshold "≥ multiple × wage": the guide's printed figure where a table
        prints one (11937 × 1.2 is printed 14324, so 14324 reaches it), otherwise the product
        rounded half up to the yuan, as every printed integer figure is (wages.yaml rounding)."""
        if multiple in self.printed:
            return self.printed[multiple]
        return math.floor(round(self.value * multiple, 6) + 0.5)

    def reaches(self, income: float, multiple: float) -> bool:
        return income >= self.threshold(multiple)

    def annual(self, multiple: float) -> float:
        """The yearly income threshold: twelve months of the monthly one."""
        return self.threshold(multiple) * 12


def wage_for_year(table: WageTable, year: int) -> WageFigure:
    """The figure for ``year``, falling back to the latest published one before it."""
    published = sorted(y for y in table.values if y <= year)
    if not published:
        raise ValueError(f"no average wage is known for {year} or earlier")
    used = published[-1]
    entry = table.values[used]
    printed = {m: f.value for m, f in entry.printed.items()}
    return WageFigure(year, entry.value, entry.source, used != year, used, printed)


def wage_for_application(table: WageTable, application_date: dt.date) -> WageFigure:
    """An application in year Y is measured against year Y + offset (the previous year)."""
    return wage_for_year(table, application_date.year + table.measured_year_offset)
