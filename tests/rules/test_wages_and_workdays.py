"""The wage table's year rule and the working-day calendar."""

import dataclasses
import datetime as dt

import pytest

from bot.knowledge.holidays import Holidays
from bot.rules.wages import wage_for_application, wage_for_year
from bot.rules.workdays import WorkCalendar


def test_application_year_measured_against_previous_year(knowledge):
    # bda-2026.txt §二 table: an application in 2025 is measured against 2024's 11937,
    # whose 1.2x the table prints as "≥ 14324": 14324 yuan reaches it.
    fig = wage_for_application(knowledge.wages, dt.date(2025, 6, 1))
    assert (fig.year, fig.value, fig.provisional) == (2024, 11937, False)
    assert fig.threshold(1.2) == 14324
    assert fig.reaches(14324, 1.2) and not fig.reaches(14323.99, 1.2)


def test_unpublished_year_falls_back_and_is_provisional(knowledge):
    # bda-2026.txt §二 table: 2026 applications use 2025, "暂参照 11937", printed 14324 again.
    fig = wage_for_application(knowledge.wages, dt.date(2026, 3, 1))
    assert (fig.year, fig.published_year, fig.value, fig.provisional) == (2025, 2024, 11937, True)
    assert fig.threshold(1.2) == 14324


# Every threshold the guides' tables print, copied by hand from the guide texts (wage year:
# {multiple: figure}); the wage table must give each of them exactly.
PRINTED_IN_GUIDES = {
    2016: {1.2: 9247},  # tongzhou-2021.txt renewal table
    2017: {1.2: 10160, 3: 25401, 6: 50802, 4: 33868, 8: 67736},  # tongzhou new table; chaoyang table
    2018: {1.2: 9426, 3: 23565, 6: 47130, 4: 31420, 8: 62840},
    2019: {1.2: 10616, 3: 26541, 6: 53082, 4: 35388, 8: 70776},
    2020: {1.2: 11288.4, 1.5: 14110.5, 4: 37628, 8: 75256},  # chaoyang-2021.txt 2021 row
    2021: {1.2: 12754, 4: 42512, 8: 85024},  # bda-2026.txt §二 2022 row
    2022: {1.2: 13556, 4: 45188, 8: 90376},
    2023: {1.2: 14113, 4: 47044, 8: 94088},
    2024: {1.2: 14324, 4: 47748, 8: 95496},
}


@pytest.mark.parametrize("year", sorted(PRINTED_IN_GUIDES))
def test_thresholds_are_the_figures_the_guides_print(knowledge, year):
    fig = wage_for_year(knowledge.wages, year)
    assert {m: fig.threshold(m) for m in PRINTED_IN_GUIDES[year]} == PRINTED_IN_GUIDES[year]


def test_the_rounding_rule_reproduces_every_printed_whole_figure(knowledge):
    # The one rule for unprinted years (wages.yaml rounding: nearest yuan) gives the same
    # figure as each table that prints whole yuan; only Chaoyang's one row is unrounded.
    for year, row in PRINTED_IN_GUIDES.items():
        bare = dataclasses.replace(wage_for_year(knowledge.wages, year), printed={})
        for multiple, figure in row.items():
            if figure == int(figure):
                assert bare.threshold(multiple) == figure, (year, multiple)


def test_unprinted_multiple_is_rounded_half_up_to_the_yuan(knowledge):
    # No table prints 1.5x of 2024 (11937 x 1.5 = 17905.5) or 2023 (17641.5): half a yuan rounds up.
    assert wage_for_year(knowledge.wages, 2024).threshold(1.5) == 17906
    assert wage_for_year(knowledge.wages, 2023).threshold(1.5) == 17642
    assert wage_for_year(knowledge.wages, 2022).threshold(1.5) == 16946  # 16945.5
    assert wage_for_year(knowledge.wages, 2024).threshold(1.0) == 11937


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
    extra = Holidays.model_validate(
        {"years": {2031: {"source": "test notice", "holidays": ["2031-03-19"], "workdays": ["2031-03-15"]}}}
    )
    cal = WorkCalendar(extra)
    assert not cal.is_workday(dt.date(2031, 3, 19))
    assert cal.is_workday(dt.date(2031, 3, 15))  # a Saturday made a working day
    day, certain = cal.working_days_before(dt.date(2031, 3, 20), 3)
    # 18, 17, 15(Sat worked) → 15
    assert (day, certain) == (dt.date(2031, 3, 15), True)


def test_statutory_only_year_counts_its_days_but_stays_uncertain(knowledge):
    # holidays.yaml 2027: the 放假办法 第二条 days, the State Council schedule not yet out.
    cal = WorkCalendar(knowledge.holidays)
    assert not cal.is_workday(dt.date(2027, 1, 1))  # 元旦, a Friday
    assert not cal.is_workday(dt.date(2027, 2, 5)) and not cal.is_workday(dt.date(2027, 2, 8))  # 除夕, 初三
    assert cal.is_workday(dt.date(2027, 2, 9))  # no bridge day is guessed
    assert cal.counts_statutory_days(dt.date(2027, 6, 9)) and not cal.covers(dt.date(2027, 6, 9))
    # Back from Thu 10 Jun over 端午 (Wed 9, off): 8, 7, [Sun 6, Sat 5], 4 → 4 Jun (weekdays alone: 7 Jun).
    assert cal.working_days_before(dt.date(2027, 6, 10), 3) == (dt.date(2027, 6, 4), False)


def test_statutory_only_year_refuses_adjusted_working_days():
    with pytest.raises(ValueError, match="statutory_only"):
        Holidays.model_validate(
            {
                "years": {
                    2031: {
                        "source": "x",
                        "statutory_only": True,
                        "holidays": ["2031-01-01"],
                        "workdays": ["2031-01-04"],
                    }
                }
            }
        )


def test_a_date_outside_its_year_is_refused():
    with pytest.raises(ValueError, match="2030-12-31 not in 2031"):
        Holidays.model_validate({"years": {2031: {"source": "x", "holidays": ["2030-12-31"]}}})
