"""条件详情 (details_reply) says each thing once: the office's contact in its last line only, and
a condition two rules state (Condition.same_as) under the rule that states it, with its source."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.dialog.presenter import details_reply
from bot.rules import Profile, assess

TODAY = dt.date(2026, 12, 2)
DONGCHENG_AWARD = dict(
    district="dongcheng",
    business="new",
    category="award",
    hukou="non_beijing",
    employer_form="enterprise",
    monthly_income=30000,
    months_employed=24,
    housing="rented",
    lease_months_left=12,
    same_employer_for_tax=True,
    contract_months_left=24,
)


def details(knowledge, **answers):
    assessment = assess(knowledge, Profile.model_validate(answers), today=TODAY)
    return assessment, details_reply(assessment).plain()


@pytest.mark.parametrize("district", ["bda", "chaoyang", "dongcheng", "tongzhou"])
@pytest.mark.parametrize("business", ["new", "renewal", "unit_account"])
def test_the_office_contact_is_printed_once(knowledge, district, business):
    assessment, text = details(knowledge, district=district, business=business)
    office = assessment.context["office_line"]
    assert any(office in line for line in assessment.advice)  # the advice does carry it...
    assert text.count(office) == 1  # ...and the screen prints it in its last line only
    assert text.rstrip().endswith(office)


def test_advice_other_than_the_office_is_still_shown(knowledge):
    assessment, text = details(
        knowledge, **dict(DONGCHENG_AWARD, category="degree", degree="master", monthly_income=8000)
    )
    others = [line for line in assessment.advice if assessment.context["office_line"] not in line]
    assert assessment.verdict == "ineligible" and len(others) >= 2  # what to earn, the provisional wage
    assert all(line in text for line in others)
    assert "说明" in text


def test_a_referral_without_checks_keeps_its_reason(knowledge):
    assessment, text = details(knowledge, district="haidian", business="new")
    assert assessment.verdict == "refer"
    assert assessment.advice[0] in text
    assert text.count(assessment.context["office_line"]) == 1


def test_dongcheng_tax_in_the_district_is_listed_once_with_its_source(knowledge):
    assessment, text = details(knowledge, **DONGCHENG_AWARD)
    tax = next(c for c in assessment.checks if c.id == "employer_tax")
    assert "在东城区缴纳税费" in tax.message and tax.source == "dongcheng-2021.txt §二(一)3"
    assert f"{tax.message} 〔{tax.source}〕" in text
    assert text.count("在东城区缴纳税费") == 1
    assert all(c.id != "employer_tax_in_dongcheng" for c in assessment.checks)


def test_every_confirm_item_is_listed_once(knowledge):
    assessment, text = details(knowledge, **DONGCHENG_AWARD)
    lines = [line for line in text.splitlines() if line.startswith("☑️")]
    assert lines and len(lines) == len(set(lines))
    for c in assessment.checks:
        assert c.message in text
