"""Months-left minimums (a lease, a contract): "不少于/以上" includes the figure, "大于" does not
(``exclusive`` in the knowledge), for a lease and a contract alike."""

import datetime as dt

import pytest

from bot.knowledge.cited import Stated
from bot.rules import Profile, assess
from bot.rules.applicant import meets_minimum

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("left", "exclusive", "meets"),
    [(6, False, True), (5.5, False, False), (7, False, True), (6, True, False), (6.5, True, True)],
)
def test_a_minimum_is_inclusive_unless_the_guide_says_more_than(left, exclusive, meets):
    assert meets_minimum(left, Stated[int](value=6, source="chaoyang-2021.txt §三", exclusive=exclusive)) is meets


def _check(knowledge, check_id, **answers):
    profile = Profile(district="chaoyang", business="new", **answers)
    return next(c for c in assess(knowledge, profile, today=TODAY).checks if c.id == check_id)


def test_a_lease_of_exactly_the_minimum_passes_and_one_month_short_fails(knowledge):
    lease = knowledge.districts["chaoyang"].applicant.lease_months_left
    assert lease is not None and lease.value == 6 and not lease.exclusive
    assert _check(knowledge, "housing", housing="rented", lease_months_left=6).status == "pass"
    short = _check(knowledge, "housing", housing="rented", lease_months_left=5)
    assert short.status == "fail" and "还剩 5 个月" in short.message and short.advice


def test_a_lease_rule_marked_exclusive_needs_more_than_the_figure(knowledge):
    district = knowledge.districts["chaoyang"]
    lease = district.applicant.lease_months_left
    assert lease is not None
    changed = district.model_copy(
        update={
            "applicant": district.applicant.model_copy(
                update={"lease_months_left": lease.model_copy(update={"exclusive": True})}
            )
        }
    )
    knowledge.districts["chaoyang"], saved = changed, district
    try:
        assert _check(knowledge, "housing", housing="rented", lease_months_left=6).status == "fail"
        assert _check(knowledge, "housing", housing="rented", lease_months_left=7).status == "pass"
    finally:
        knowledge.districts["chaoyang"] = saved
