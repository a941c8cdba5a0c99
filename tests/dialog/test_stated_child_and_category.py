"""The first message's child age and category, through the interview to the verdict: a child
of 19 stated there is the child the age limit tests, and an award named there is the route."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.engine import Event, Interview

TODAY = dt.date(2026, 12, 2)


@pytest.fixture(scope="module")
def interview(knowledge):
    return Interview(knowledge, today=TODAY)


def _chat(interview: Interview, *messages: str):
    turn = interview.handle(None, Event.command("start", ""))
    for text in messages:
        turn = interview.handle(turn.state, Event.message(text))
    return turn


def test_a_child_of_19_to_add_in_bda_is_refused_with_the_guides_rule(interview):
    turn = _chat(interview, "经开区 增加随往子女 孩子19岁")  # the age decides: nothing more is asked
    assessment = turn.assessment
    assert turn.state["asking"] is None and assessment.verdict == "ineligible"
    child = next(c for c in assessment.checks if c.id == "children")
    assert child.status == "fail" and child.source.startswith("bda-2026.txt §六(七)")
    assert any("只能为未满 18 周岁的子女办理随往" in a for a in assessment.advice)
    assert "不符合条件" in turn.replies[-1].text and "✅" not in turn.replies[-1].text.splitlines()[0]


def test_a_child_of_5_to_add_in_bda_passes_the_age_limit(interview):
    turn = _chat(interview, "经开区 增加随往子女 孩子5岁", "2027-05-01")
    assessment = turn.assessment
    assert assessment.verdict == "eligible"
    assert next(c for c in assessment.checks if c.id == "children").status == "pass"


def test_the_childs_age_is_never_asked_when_not_stated(interview):
    turn = _chat(interview, "经开区 增加随往子女", "2027-05-01")
    assert turn.state["asking"] is None
    assert "child_age" not in turn.state["answers"]
    assert turn.assessment.verdict == "eligible"  # the age limit stays a condition to confirm


def test_an_award_in_the_first_message_is_the_category_to_the_verdict(interview):
    turn = _chat(
        interview, "东城 获得过北京市科学技术奖二等奖 月薪8000 外地户口 30岁 男 入职8个月 本科 租房 企业", "新办"
    )
    assert turn.state["answers"]["category"] == "award"
    assert turn.state["asking"] == "declared"
    turn = interview.handle(turn.state, Event.message("都符合"))  # typed as the example says
    assert turn.state["asking"] is None
    assessment = turn.assessment
    assert assessment.verdict == "eligible"
    assert any(c.id == "category_award" for c in assessment.checks), [c.id for c in assessment.checks]
