"""The continuity question asks the period the district's renewal rule checks, and a break gets
that district's own answer (the tester's transcript: Chaoyang's 12 months asked as 持证期间, and
a break refused with Dongcheng's 产假/病假/事假 advice)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.engine import Event, Interview
from bot.dialog.messages import render_inline
from bot.dialog.spec import question_context


@pytest.mark.parametrize(
    "district, period",
    [
        ("chaoyang", "近 12 个月"),  # chaoyang-2021.txt §七 办理材料3、4: 近12个月 records
        ("bda", "持证期间（近 36 个月）"),  # bda-2026.txt §六(四) 【续签条件】3: 连续三年
        ("dongcheng", "持证期间（近 36 个月）"),  # dongcheng-2021.txt §六(三)4: 近36个月
        ("tongzhou", "持证期间（近 36 个月）"),  # tongzhou-2021.txt §三(三): 持证期间（36个月）
    ],
)
def test_the_question_asks_the_districts_period(knowledge, district, period):
    interview = Interview(knowledge, today=dt.date(2026, 11, 23))
    question = interview.spec.questions["social_insurance_continuous"]
    context = question_context(
        question, knowledge, {"district": district, "business": "renewal"}, dt.date(2026, 11, 23)
    )
    assert render_inline(question.text, **context).startswith(period + "您在北京")


def test_before_a_district_the_question_still_reads(knowledge):
    interview = Interview(knowledge, today=dt.date(2026, 11, 23))
    question = interview.spec.questions["social_insurance_continuous"]
    text = render_inline(question.text, **question_context(question, knowledge, {}, dt.date(2026, 11, 23)))
    assert "{{" not in text and text.startswith("持证期间")


def test_testers_chaoyang_break_is_referred_with_chaoyangs_words(knowledge):
    interview = Interview(knowledge, today=dt.date(2026, 11, 23))
    turn = interview.handle(None, Event.command("start"))
    asked = ""
    for text in ("朝阳区", "续签", "2027年1月15日到期", "有不符合 / 不确定", "有中断"):
        asked = turn.replies[-1].text
        turn = interview.handle(turn.state, Event.message(text))
    assert "<b>近 12 个月您在北京的个税和社保" in asked
    assert turn.assessment is not None and turn.assessment.verdict == "refer"
    said = "\n".join(r.text for r in turn.replies)
    assert "产假" not in said and "指南未说明个税或社保中断" in said
