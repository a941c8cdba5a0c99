"""Properties every assessment must have, checked over all golden profiles."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from bot.rules import FIELD_ORDER, Profile, assess

from .test_golden import CASES

TODAY = dt.date(2026, 11, 23)
GUIDE_FILES = (
    "bda-2026.txt",
    "chaoyang-2021.txt",
    "dongcheng-2021.txt",
    "dongcheng-renewal-checklist.txt",
    "tongzhou-2021.txt",
    "README.md",
)


def _assess(knowledge, case: dict):
    return assess(knowledge, Profile.model_validate(case["profile"]), today=TODAY)


PLAIN = [param.values[0] for param in CASES]


def test_every_golden_case_cites_a_guide_section():
    for case in PLAIN:
        rule = case["rule"]
        cited = [name for name in GUIDE_FILES if name in rule]
        assert cited, f"no guide file in: {rule}"
        # the file and then its section: "bda-2026.txt §二 …", "… 续签需提供的材料 2"
        assert re.search(re.escape(cited[0]) + r"\s*\S", rule), f"no section in: {rule}"


def test_every_profile_field_has_a_place_in_the_question_order():
    # A field missing from FIELD_ORDER would silently be asked last.
    assert set(Profile.model_fields) - {"application_date"} == set(FIELD_ORDER)


@pytest.mark.parametrize("case", CASES)
def test_every_failed_check_says_what_would_change_it(knowledge, case):
    result = _assess(knowledge, case)
    for check in result.checks:
        if check.status == "fail":
            assert check.advice, f"{check.id} fails without advice"
            assert check.advice in result.advice


@pytest.mark.parametrize("case", CASES)
def test_missing_only_while_more_information_is_needed(knowledge, case):
    result = _assess(knowledge, case)
    assert bool(result.missing) == (result.verdict == "needs_more_info")


def test_same_profile_same_answer(knowledge):
    for case in PLAIN[:20]:
        first, second = _assess(knowledge, case), _assess(knowledge, case)
        assert json.dumps(first.to_json(), ensure_ascii=False) == json.dumps(second.to_json(), ensure_ascii=False)


def test_deadlines_are_in_order(knowledge):
    order = ["window_opens", "submit_by", "expires"]
    for case in PLAIN:
        result = _assess(knowledge, case)
        dated = [d for d in result.deadlines if d.id in order]
        assert [d.id for d in dated] == sorted((d.id for d in dated), key=order.index)
        assert [d.date for d in dated] == sorted(d.date for d in dated)
