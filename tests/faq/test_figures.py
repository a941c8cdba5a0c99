"""Income figures in FAQ answers: computed from the wage table as the rules compute them,
never the guide's old example passed off as today's; placeholders checked by `gjz check`."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.questions import answer_question, chosen_answer
from bot.faq.figures import PLACEHOLDER, render
from bot.rules.labels import money
from bot.rules.wages import wage_for_application
from tests.knowledge.conftest import check_names


def _threshold(knowledge, multiple: float, day: dt.date | None = None) -> str:
    return money(wage_for_application(knowledge.wages, day or dt.date.today()).threshold(multiple))


@pytest.mark.parametrize(
    ("district", "question", "multiple"),
    [
        ("chaoyang", "月薪要多少才能办", 1.5),
        ("chaoyang", "朝阳工居证收入要求多少", 1.5),
        ("tongzhou", "收入要多少", 1.2),
        ("dongcheng", "收入要多少", 1.5),
        ("bda", "亦庄工居证工资要多少", 1.2),
    ],
)
def test_an_income_answer_states_the_current_threshold_the_rules_use(index, knowledge, district, question, multiple):
    top = index.search(question, district=district).answers[0]
    assert _threshold(knowledge, multiple) in top.answer
    assert not PLACEHOLDER.search(top.answer), top.answer


def test_the_guides_example_stays_only_as_that_years_example(index, knowledge):
    text = index.search("朝阳1.5倍社平是多少钱", district="chaoyang").answers[0].answer
    current, example = text.split("指南的工资表是2021年的例子", 1)
    assert "14110.5" not in current and "14110.5" in example
    assert _threshold(knowledge, 1.5) in current


def test_figures_follow_the_application_year(knowledge):
    entry = next(e for e in knowledge.faq if e.id == "tongzhou-income-multiple")
    day = dt.date(2023, 6, 1)  # measured against 2022's published wage
    text = render(entry.answer, knowledge.wages, today=day)
    assert _threshold(knowledge, 1.2, day) in text and "2023年申报" in text
    assert _threshold(knowledge, 1.2, day) != _threshold(knowledge, 1.2, dt.date(2026, 6, 1))


def test_an_answer_picked_by_its_button_is_filled_in_too(index, knowledge):
    reply = chosen_answer(knowledge, index, "chaoyang-income-example", "chaoyang")
    assert _threshold(knowledge, 1.5) in reply.text and "{" not in reply.text
    without_index = chosen_answer(knowledge, None, "chaoyang-income-example", "chaoyang")
    assert _threshold(knowledge, 1.5) in without_index.text


def test_an_interview_question_gets_the_current_figure(index, knowledge):
    reply = answer_question(knowledge, index, "收入要多少", "tongzhou", resume=True)
    assert _threshold(knowledge, 1.2) in reply.text


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        (
            "1.5倍为每月{monthly:1.5}元；",
            "1.5倍为每月{monthy:1.5}元；",
            r"entries\[\d+\]\.answer: unknown placeholder \{monthy:1\.5\}",
        ),
        (
            "1.5倍为每月{monthly:1.5}元；",
            "1.5倍为每月{monthly}元；",
            r"entries\[\d+\]\.answer: \{monthly\} needs a multiple",
        ),
        (
            "1.5倍为每月{monthly:1.5}元；",
            "1.5倍为每月{monthly:1.8}元；",
            r"entries\[\d+\]\.answer: \{monthly:1\.8\}: chaoyang's rules use",
        ),
    ],
)
def test_gjz_check_names_a_bad_placeholder(knowledge_copy, capsys, old, new, says):
    check_names(knowledge_copy, capsys, "faq/chaoyang.yaml", old, new, "answer: 现行标准", says)
