"""What decides is asked, in the district's own terms (issue 11): the lease question where a
district sets a minimum, housing options from the district's knowledge, and an income
question that asks the figure the district's rule tests."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.choices import match_choice
from bot.dialog.engine import Event, Interview
from bot.dialog.spec import options_for
from tests.profiles import CHAOYANG_MASTER

TODAY = dt.date(2026, 3, 2)
SEEDED_NAMES = ("经开区", "开发区", "亦庄", "朝阳", "东城", "通州")


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY)


def start(interview: Interview, *texts: str):
    turn = interview.handle(None, Event.command("start"))
    for text in texts:
        turn = interview.handle(turn.state, Event.message(text))
    return turn


def asked_text(turn) -> str:
    return turn.replies[-1].text


@pytest.mark.parametrize("district", ["bda", "chaoyang", "dongcheng", "tongzhou"])
def test_housing_options_are_the_districts_own_and_name_no_district(interview, knowledge, district):
    question = interview.spec.questions["housing"]
    options = options_for(question, knowledge, {"district": district})
    accepted = knowledge.districts[district].applicant.housing_accepted.value
    values = [o.value for o in options]
    # every proof the district accepts comes first, then only the neutral situations it rejects
    assert values[: len(accepted)] == [o.value for o in question.options if o.value in accepted]
    assert set(values[len(accepted) :]) <= set(question.also_offer) - set(accepted)
    for option in options:
        assert not any(name in option.label for name in SEEDED_NAMES), option.label


def test_public_rental_typed_in_chaoyang_is_the_neutral_option_and_gets_chaoyangs_answer(interview, knowledge):
    question = interview.spec.questions["housing"]
    picked = match_choice("公租房", options_for(question, knowledge, {"district": "chaoyang"}))
    assert picked is not None and picked.value == "public_rental" and "经开区" not in picked.label


def test_chaoyang_renter_is_asked_the_lease_and_four_months_fails(interview, knowledge):
    answers = {**CHAOYANG_MASTER, "criminal_record": False, "same_employer_for_tax": True, "contract_months_left": 12}
    turn = interview.handle(None, Event.command("start"))
    state = turn.state
    state["answers"].update(answers)
    turn = interview._next(state)
    assert turn.state["asking"] == "lease_months_left"
    assert "租房合同还剩多久" in asked_text(turn)
    turn = interview.handle(turn.state, Event.message("4个月"))
    while turn.state["asking"] is not None:  # tailoring questions (children, marital) answered 0 / skipped
        turn = interview.handle(turn.state, Event.message("不清楚" if turn.state["asking"] != "children" else "0"))
    assessment = turn.assessment
    assert assessment.verdict == "ineligible"
    housing = next(c for c in assessment.checks if c.id == "housing")
    assert housing.status == "fail" and "6 个月" in housing.message
    lease = next(m for m in assessment.materials if m.id == "lease_contract")
    assert "6个月" in lease.detail


def test_bda_renter_is_never_asked_the_lease(interview, knowledge):
    turn = interview.handle(None, Event.command("start"))
    state = turn.state
    state["answers"].update({"district": "bda", "business": "new", "housing": "rented"})
    assessment = interview._assess(state)
    assert "lease_months_left" not in assessment.missing
    housing = next(c for c in assessment.checks if c.id == "housing")
    assert housing.status == "pass" and "尚在租赁期限内" in housing.message


@pytest.mark.parametrize(
    "district, business, must, must_not",
    [
        ("bda", "new", ["近 3 个月中", "最低的一个月"], ["平均"]),
        ("tongzhou", "new", ["近 12 个月中", "最低的一个月"], ["平均"]),
        ("chaoyang", "new", ["近 12 个月", "月平均"], ["最低"]),
        ("dongcheng", "new", ["近 6 个月", "月平均"], ["最低"]),
        ("dongcheng", "renewal", ["近 36 个月", "最低的一个月"], ["平均"]),
        ("tongzhou", "renewal", ["近 36 个月", "月平均", "最低的那一年"], []),
    ],
)
def test_income_question_asks_what_the_districts_rule_tests(interview, district, business, must, must_not):
    state = interview.handle(None, Event.command("start")).state
    state["answers"].update({"district": district, "business": business})
    text = interview._question_text(interview.spec.questions["monthly_income"], state)
    for words in must:
        assert words in text, text
    for words in must_not:
        assert words not in text, text


def test_income_rule_periods_come_from_the_knowledge(knowledge):
    # The words above are rendered from these fields, each read from its guide.
    rules = {d: knowledge.districts[d].applicant.income for d in ("bda", "chaoyang", "dongcheng", "tongzhou")}
    assert {d: (r.months_checked.value, r.every_month) for d, r in rules.items()} == {
        "bda": (3, True),
        "tongzhou": (12, True),
        "chaoyang": (12, False),
        "dongcheng": (6, False),
    }
