"""Ask-back through the engine: a bare '2' or '快两年' keeps every earlier answer and completes
by a button or by typing; the issue-11 answers land in the profile as the right values."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bot.dialog.engine import Event, Interview
from bot.dialog.spec import options_for

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY, bot_username="gjz_test_bot")


# Whatever else the rules ask first, answered as a typical applicant would.
TYPICAL = {
    "category": "degree",
    "degree": "master",
    "degree_abroad": False,
    "work_years": "3年",
    "monthly_income": "3万",
    "months_employed": "18个月",
    "housing": "rented",
    "lease_months_left": "10个月",
    "nationality": "cn",
    "hukou": "non_beijing",
    "age": "32",
    "gender": "male",
    "criminal_record": False,
    "social_insurance_continuous": True,
    "same_employer_for_tax": True,
    "contract_months_left": "2年",
    "children": 0,
    "marital": "single",
    "title": "intermediate",
}


def at_question(interview, field: str, answers: dict):
    """Start, then answer until ``field`` is asked (choices by button, the rest typed)."""
    answers = dict(TYPICAL, **answers)
    turn = interview.handle(None, Event.command("start"))
    for _ in range(40):
        name = turn.state["asking"]
        if name == field:
            return turn
        question = interview.spec.questions.get(name)
        if question is not None and question.kind == "declare":  # one by one, to reach ``field``
            turn = interview.handle(turn.state, Event.button(f"a:{name}:1"))
            continue
        assert name is not None and name in answers, f"asked {name} before {field}"
        value = answers[name]
        if question.kind in ("choice", "yesno"):
            options = options_for(question, interview.knowledge, turn.state["answers"])
            index = next(i for i, o in enumerate(options) if o.value == value)
            turn = interview.handle(turn.state, Event.button(f"a:{name}:{index}"))
        else:
            turn = interview.handle(turn.state, Event.message(value))
    raise AssertionError(f"{field} never asked")


RENEWAL = {"district": "bda", "business": "renewal", "permit_expiry": "2027年1月10日"}


def _to_contract(interview):
    turn = at_question(interview, "contract_months_left", RENEWAL)
    return turn, dict(turn.state["answers"])


def test_a_bare_number_is_asked_back_with_buttons_and_keeps_earlier_answers(interview):
    turn, before = _to_contract(interview)
    turn = interview.handle(turn.state, Event.message("2"))
    assert turn.state["answers"] == before and turn.state["asking"] == "contract_months_left"
    reply = turn.replies[-1]
    assert "2 个月还是 2 年" in reply.plain()
    assert [b.label for row in reply.buttons for b in row] == ["2 个月", "2 年"]
    json.dumps(turn.state)  # the pending follow-up is kept in a JSON-able state
    data = next(b.data for row in reply.buttons for b in row if b.label == "2 年")
    turn = interview.handle(turn.state, Event.button(data))
    assert turn.state["answers"]["contract_months_left"] == 24
    assert {k: v for k, v in turn.state["answers"].items() if k in before} == before
    assert "clarify" not in turn.state


@pytest.mark.parametrize("typed, months", [("年", 24), ("个月", 2), ("18个月", 18)])
def test_a_follow_up_completes_by_typing(interview, typed, months):
    turn, before = _to_contract(interview)
    turn = interview.handle(turn.state, Event.message("2"))
    turn = interview.handle(turn.state, Event.message(typed))
    assert turn.state["answers"]["contract_months_left"] == months
    assert {k: v for k, v in turn.state["answers"].items() if k in before} == before


def test_a_stale_follow_up_button_is_refused(interview):
    turn, _ = _to_contract(interview)
    turn = interview.handle(turn.state, Event.message("2"))
    state = json.loads(json.dumps(turn.state))
    turn = interview.handle(state, Event.command("back"))
    assert "clarify" not in turn.state
    turn = interview.handle(turn.state, Event.button("b:contract_months_left:1"))
    assert "contract_months_left" not in turn.state["answers"] and "已过期" in turn.replies[-1].plain()


def test_an_approximate_figure_is_not_taken(interview):
    turn = at_question(
        interview, "work_years", {"district": "bda", "business": "new", "category": "degree", "degree": "master"}
    )
    turn = interview.handle(turn.state, Event.message("快两年"))
    assert "work_years" not in turn.state["answers"] and turn.state["asking"] == "work_years"
    assert "不到 2 年" in turn.replies[-1].plain()
    turn = interview.handle(turn.state, Event.message("22个月"))
    assert turn.state["answers"]["work_years"] == pytest.approx(1.83)


@pytest.mark.parametrize(
    "field, typed, value, answers",
    [
        ("work_years", "3", 3, {"district": "bda", "business": "new", "category": "degree", "degree": "master"}),
        ("contract_months_left", "无固定期限", 1200, RENEWAL),
        ("contract_months_left", "还有2年多", 24, RENEWAL),
        ("monthly_income", "1w5", 15000, {"district": "bda", "business": "new"}),
        ("permit_expiry", "27年3月1号", "2027-03-01", {"district": "bda", "business": "renewal"}),
    ],
)
def test_issue_11_answers_land_in_the_profile(interview, field, typed, value, answers):
    turn = at_question(interview, field, answers)
    turn = interview.handle(turn.state, Event.message(typed))
    assert turn.state["answers"][field] == value
