"""FAQ answers with their income figures filled in for the day they are read.

An answer names a threshold as ``{monthly:1.5}`` (the placeholders are listed, and checked by
``gjz check``, in bot/knowledge/figures.py); this fills it in from knowledge/wages.yaml with
the rules' own ``WageFigure.threshold``, so the FAQ and the verdict never disagree and a new
wage (or a new year) moves both. Rendered when shown, not when indexed: a bot running over
New Year shows the new year's figures.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..knowledge.figures import PLACEHOLDER, parse
from ..rules.labels import money
from ..rules.wages import WageFigure, wage_for_application

if TYPE_CHECKING:
    from ..knowledge.wagetable import WageTable


def has_figures(text: str) -> bool:
    return PLACEHOLDER.search(text) is not None


def plain(text: str) -> str:
    """The text without its placeholders: what the index matches on (a figure is no word)."""
    return PLACEHOLDER.sub("", text)


def render(text: str, wages: WageTable, today: dt.date | None = None) -> str:
    """``text`` with every placeholder filled in for an application made ``today``."""
    if not has_figures(text):
        return text
    day = today or dt.date.today()
    wage = wage_for_application(wages, day)
    return PLACEHOLDER.sub(lambda m: _value(m.group(1), wage, day.year), text)


def _value(body: str, wage: WageFigure, year: int) -> str:
    name, multiple = parse(body)  # gjz check has rejected an unknown one
    if name == "monthly" and multiple is not None:
        return money(wage.threshold(multiple))
    if name == "annual" and multiple is not None:
        return money(wage.annual(multiple))
    if name == "provisional":
        return f"（{wage.year}年数字尚未公布，暂参照{wage.published_year}年）" if wage.provisional else ""
    return {
        "year": str(year),
        "measured_year": str(wage.year),
        "wage": money(wage.value),
        "wage_year": str(wage.published_year),
    }[name]
