"""A row the batch refers to the district office (请咨询区办公室) says why, as the chat's verdict
does for the same answers: each check that refers it with its message, source and what to ask,
or, where no check does (a district without a guide), the reason the chat gives first. In the
result file (需咨询的原因), under the printed summary line, and in --json."""

from __future__ import annotations

import csv

from bot.cli import main
from bot.dialog.presenter import referral, result_reply
from bot.rules import Profile, assess
from tests.batch.test_batch import rows_to_table, run_batch, write

TODAY = "2026-11-18"
# The tester's staff list (cells as HR typed them) beside the profiles they mean.
ROWS = [
    (
        {
            "district": "东城区",
            "business": "续签",
            "permit_expiry": "2027年1月15日到期",
            "hukou": "外地户口",
            "monthly_income": "11800",
            "months_employed": "36",
            "same_employer_for_tax": "是",
            "contract_months_left": "10",
        },
        {
            "district": "dongcheng",
            "business": "renewal",
            "permit_expiry": "2027-01-15",
            "hukou": "non_beijing",
            "monthly_income": 11800,
            "months_employed": 36,
            "same_employer_for_tax": True,
            "contract_months_left": 10,
        },
    ),
    (
        {
            "district": "通州",
            "business": "续签",
            "permit_expiry": "二〇二七年一月十五日",
            "hukou": "外地户口",
            "monthly_income": "14113",
            "months_employed": "36",
            "same_employer_for_tax": "是",
            "contract_months_left": "12个月",
        },
        {
            "district": "tongzhou",
            "business": "renewal",
            "permit_expiry": "2027-01-15",
            "hukou": "non_beijing",
            "monthly_income": 14113,
            "months_employed": 36,
            "same_employer_for_tax": True,
            "contract_months_left": 12,
        },
    ),
    (
        {"district": "Dongcheng", "business": "新办", "hukou": "北京集体户口", "monthly_income": "3万"},
        {"district": "dongcheng", "business": "new", "hukou": "beijing_collective", "monthly_income": 30000},
    ),
    ({"district": "海淀", "business": "新办"}, {"district": "haidian", "business": "new"}),
    (
        {"district": "朝阳", "business": "新办", "hukou": "外地户口", "monthly_income": "8000"},
        {"district": "chaoyang", "business": "new", "hukou": "non_beijing", "monthly_income": 8000},
    ),
]


def chat_verdict(knowledge, profile):
    assessment = assess(knowledge, Profile.model_validate({**profile, "application_date": TODAY}))
    return assessment, result_reply(assessment).plain()


def test_a_referred_row_names_why_in_the_file_the_summary_and_json(knowledge, tmp_path, capsys):
    headers, body = rows_to_table([cells for cells, _ in ROWS], "zh")
    write(tmp_path / "staff.csv", headers, body)
    assert main(["batch", str(tmp_path / "staff.csv"), "-o", str(tmp_path / "out.csv"), "--today", TODAY]) == 0
    printed = capsys.readouterr().out.splitlines()
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as f:
        cells = list(csv.DictReader(f))
    rows = run_batch(tmp_path / "staff.csv", capsys, "--today", TODAY)["rows"]

    referred = 0
    for (_, profile), cell, row in zip(ROWS, cells, rows, strict=True):
        assessment, chat = chat_verdict(knowledge, profile)
        assert row["verdict"] == assessment.verdict
        reason = cell["需咨询的原因"]
        assert row["refer_reason"] == (reason or None)
        if assessment.verdict != "refer":
            assert reason == "" and row["refer"] == []
            assert not any(line.startswith(f"  第 {row['row']} 行") for line in printed)
            continue
        referred += 1
        refers, why = referral(assessment)
        assert row["refer"] == [c.id for c in refers]
        assert reason, cell
        for c in refers:  # the chat's own words for each check, in the cell
            for part in (c.message, c.source, c.advice):
                assert part and part in chat and part in reason, (part, reason)
        if not refers:
            assert why and why in chat and reason == why
        assert f"  第 {row['row']} 行 请咨询区办公室：{reason}" in printed
    assert referred == 4
