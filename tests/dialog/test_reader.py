"""The typed-answer corpus (tests/dialog/typed_answers.yaml) through the reader `gjz read` runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.dialog.reader import AskBack, NotTaken, ReadContext, Taken, read_answer, read_follow_up
from bot.dialog.spec import load_spec

CORPUS = yaml.safe_load((Path(__file__).parent / "typed_answers.yaml").read_text(encoding="utf-8"))
TODAY = CORPUS["today"]
ROWS = [
    pytest.param(*row[:3], row[3] if len(row) > 3 else {}, id=f"{part}:{row[0]}:{row[1]}")
    for part in ("tune", "held_out")
    for row in CORPUS[part]
]


def outcome(reading):
    if isinstance(reading, Taken):
        return reading.value
    return "ASK" if isinstance(reading, AskBack) else "ERROR"


def test_the_corpus_is_big_enough_and_keeps_a_held_out_part():
    assert len(CORPUS["tune"]) + len(CORPUS["held_out"]) >= 300 and len(CORPUS["held_out"]) >= 100


@pytest.mark.parametrize("question, text, expected, context", ROWS)
def test_corpus(knowledge, question, text, expected, context):
    got = outcome(read_answer(load_spec().questions[question], str(text), ReadContext(knowledge, dict(context), TODAY)))
    if isinstance(expected, float):
        assert got == pytest.approx(expected)
    else:  # the type too: True is no 1, '2027-03-01' no date
        assert (got, type(got)) == (expected, type(expected))


def _read(knowledge, question, text, **answers):
    return read_answer(load_spec().questions[question], text, ReadContext(knowledge, answers, TODAY))


def test_a_bare_number_asks_months_or_years_with_buttons(knowledge):
    reading = _read(knowledge, "contract_months_left", "2")
    assert isinstance(reading, AskBack) and "2 个月还是 2 年" in reading.prompt
    assert [(o.label, o.value) for o in reading.options] == [("2 个月", 2), ("2 年", 24)]
    assert read_follow_up(reading, "年") == Taken(24) and read_follow_up(reading, "个月") == Taken(2)
    assert read_follow_up(reading, "2 年") == Taken(24) and read_follow_up(reading, "3年") is None
    assert AskBack.from_state(json.loads(json.dumps(reading.to_state("contract_months_left")))) == reading


def test_a_bare_number_only_one_unit_of_which_fits_is_taken(knowledge):
    assert _read(knowledge, "months_employed", "100") == Taken(100)  # 100 years is past the question's maximum


def test_an_around_figure_offers_to_confirm_it(knowledge):
    reading = _read(knowledge, "monthly_income", "大概1.5万")
    assert isinstance(reading, AskBack) and [(o.label, o.value) for o in reading.options] == [("就是 15000 元", 15000)]


def test_a_below_figure_asks_for_the_exact_one_without_a_button(knowledge):
    reading = _read(knowledge, "work_years", "快两年")
    assert isinstance(reading, AskBack) and reading.options == () and "不到 2 年" in reading.prompt


def test_out_of_range_is_not_taken(knowledge):
    assert isinstance(_read(knowledge, "age", "15"), NotTaken)
    assert isinstance(_read(knowledge, "work_years", "100年"), NotTaken)


def test_choices_depend_on_the_district(knowledge):
    assert _read(knowledge, "category", "学位", district="bda") == Taken("degree")


def _gjz(*args):
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "read", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
    )


def test_gjz_read_exit_codes():
    taken = _gjz("employer_capital", "50w", "--json")
    assert taken.returncode == 0 and json.loads(taken.stdout) == {"question": "employer_capital", "value": 50}
    asked = _gjz("contract_months_left", "2", "--json")
    body = json.loads(asked.stdout)
    assert asked.returncode == 3 and body["options"] == ["2 个月", "2 年"] and "2 个月还是 2 年" in body["ask"]
    refused = _gjz("monthly_income", "很多", "--json")
    ask = json.loads(refused.stdout)["ask"]  # the question as the bot asks it, its placeholders filled
    assert refused.returncode == 3 and "应税收入" in ask and "{" not in ask
    assert _gjz("no_such_question", "1").returncode == 2
    human = _gjz("work_years", "3")
    assert human.returncode == 0 and "-> 3" in human.stdout
