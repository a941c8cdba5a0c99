"""The wage table's year rule and the working-day calendar."""

import datetime as dt

import pytest

from bot.knowledge.models import Holidays
from bot.rules.wages import wage_for_application, wage_for_year
from bot.rules.workdays import WorkCalendar


def test_application_year_measured_against_previous_year(knowledge):
    # bda-2026.txt §二 table: an application in 2025 is measured against 2024's 11937.
    fig = wage_for_application(knowledge.wages, dt.date(2025, 6, 1))
    assert (fig.year, fig.value, fig.provisional) == (2024, 11937, False)
    assert fig.threshold(1.2) == 14325  # 14324.4 rounded up: 14324 yuan does not reach 1.2x
    assert fig.exact(1.2) == 14324.4


def test_unpublished_year_falls_back_and_is_provisional(knowledge):
    # bda-2026.txt §二 table: 2026 applications use 2025, "暂参照 11937".
    fig = wage_for_application(knowledge.wages, dt.date(2026, 3, 1))
    assert (fig.year, fig.published_year, fig.value, fig.provisional) == (2025, 2024, 11937, True)


@pytest.mark.parametrize("year, value, x12, x15, x4", [
    # chaoyang-2021.txt §三 table, 2021 row: 9407, 11288.4, 14110.5, 37628
    (2020, 9407, 11288.4, 14110.5, 37628),
    # bda-2026.txt §二 table, 2024 row: 11761 → 14113 (1.2x, shown rounded), 47044 (4x)
    (2023, 11761, 14113.2, 17641.5, 47044),
])
def test_guide_tables_are_reproduced_from_the_wage_table(knowledge, year, value, x12, x15, x4):
    fig = wage_for_year(knowledge.wages, year)
    assert fig.value == value
    assert (fig.exact(1.2), fig.exact(1.5), fig.exact(4)) == (x12, x15, x4)


def test_year_before_the_table_is_an_error(knowledge):
    with pytest.raises(ValueError):
        wage_for_year(knowledge.wages, 2010)


def test_working_days_skip_national_day_holiday():
    cal = WorkCalendar()
    # 2025: 1–8 October are holidays; Sunday 28 Sep and Saturday 11 Oct are working days (调休).
    assert not cal.is_workday(dt.date(2025, 10, 3))
    assert cal.is_workday(dt.date(2025, 9, 28))
    assert cal.is_workday(dt.date(2025, 10, 11))
    day, certain = cal.working_days_before(dt.date(2025, 10, 15), 5)
    # 14, 13, 11(Sat, worked), 10, 9 → 2025-10-09
    assert (day, certain) == (dt.date(2025, 10, 9), True)


def test_year_not_in_any_calendar_is_marked_uncertain():
    cal = WorkCalendar()
    day, certain = cal.working_days_before(dt.date(2031, 3, 20), 3)
    assert day == dt.date(2031, 3, 17) and certain is False


def test_knowledge_can_add_a_year():
    extra = Holidays.model_validate({"years": {2031: {"source": "test notice", "holidays": ["2031-03-19"],
                                                        "workdays": ["2031-03-15"]}}})
    cal = WorkCalendar(extra)
    assert not cal.is_workday(dt.date(2031, 3, 19))
    assert cal.is_workday(dt.date(2031, 3, 15))  # a Saturday made a working day
    day, certain = cal.working_days_before(dt.date(2031, 3, 20), 3)
    # 18, 17, 15(Sat worked) → 15
    assert (day, certain) == (dt.date(2031, 3, 15), True)
