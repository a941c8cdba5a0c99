"""The `gjz assess` contract other programs rely on (issue 4, "The contract").

Exit 0 whatever the verdict; exit 2 with one line on standard error naming the offending
field for malformed input — never a traceback; `--json` prints exactly the agreed keys.
"""

from __future__ import annotations

import io
import json

import pytest

from bot.cli import main
from tests.profiles import BDA_MASTER

TOP_KEYS = {
    "district",
    "business",
    "application_date",
    "verdict",
    "checks",
    "missing",
    "materials",
    "deadlines",
    "advice",
    "disclaimer",
}


def run(monkeypatch, capsys, text: str, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))
    code = main(["assess", "-", *args])
    out, err = capsys.readouterr()
    return code, out, err


GOOD = BDA_MASTER  # eligible


@pytest.mark.parametrize(
    "profile, verdict",
    [
        (GOOD, "eligible"),
        ({**GOOD, "monthly_income": 14323}, "ineligible"),  # bda-2026.txt §二 1.2倍 ≥ 14324
        (
            {
                **GOOD,
                "district": "chaoyang",
                "employer_form": "institution",
                "criminal_record": False,
                "months_employed": 12,
                "lease_months_left": 4,
            },
            "ineligible",
        ),  # chaoyang-2021.txt §三 办理材料2(2)
        ({"district": "bda", "business": "new", "application_date": "2026-03-02"}, "needs_more_info"),
        ({"district": "haidian", "business": "new", "application_date": "2026-03-02"}, "refer"),
    ],
)
def test_exit_0_for_every_verdict(monkeypatch, capsys, profile, verdict):
    code, out, err = run(monkeypatch, capsys, json.dumps(profile), "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["verdict"] == verdict


def test_json_output_has_exactly_the_agreed_keys(monkeypatch, capsys):
    renewal = {
        "district": "chaoyang",
        "business": "renewal",
        "application_date": "2025-09-01",
        "permit_expiry": "2025-10-15",
    }
    for profile in (GOOD, renewal):
        code, out, _ = run(monkeypatch, capsys, json.dumps(profile), "--json")
        assert code == 0
        result = json.loads(out)
        assert set(result) == TOP_KEYS
        assert result["verdict"] in {"eligible", "ineligible", "needs_more_info", "refer"}
        assert all(set(c) == {"id", "status", "message", "source"} for c in result["checks"])
        assert all(c["status"] in {"pass", "fail", "unknown", "confirm"} for c in result["checks"])
        # who provides it and its alternative group were added to the first three (issue 12)
        assert all(
            set(m) == {"id", "name", "detail", "provided_by", "one_of", "together_with"} for m in result["materials"]
        )
        assert {m["provided_by"] for m in result["materials"]} == {"applicant", "unit"}
        assert all(set(d) == {"id", "date", "label"} for d in result["deadlines"])
        assert isinstance(result["missing"], list) and isinstance(result["advice"], list)
        assert isinstance(result["disclaimer"], str) and result["disclaimer"]
    # the renewal has its three deadlines, as ISO dates
    assert {d["id"]: d["date"] for d in result["deadlines"]} == {
        "window_opens": "2025-08-16",
        "submit_by": "2025-09-11",
        "expires": "2025-10-15",
    }


def test_text_output_exits_0(monkeypatch, capsys):
    code, out, err = run(monkeypatch, capsys, json.dumps(GOOD))
    assert code == 0 and err == ""
    assert "符合条件" in out and "材料清单" in out


def test_reads_a_file(tmp_path, capsys):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    assert main(["assess", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["assess", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert "nope.json" in err and "Traceback" not in err


BASE = '"district": "bda", "business": "new"'


@pytest.mark.parametrize(
    "text, field",
    [
        ("{district: bda", "JSON"),  # not JSON
        ("", "JSON"),  # empty input
        ('["bda", "new"]', "JSON object"),  # JSON, but not an object
        ('{"district": "pudong", "business": "new"}', "district"),  # unknown value
        ('{"district": "bda", "business": "visa"}', "business"),
        ("{" + BASE + ', "housing": "castle"}', "housing"),
        ("{" + BASE + ', "months_employed": -1}', "months_employed"),  # negative number
        ("{" + BASE + ', "lease_months_left": -1}', "lease_months_left"),  # negative number
        ("{" + BASE + ', "monthly_income": -0.5}', "monthly_income"),
        ("{" + BASE + ', "annual_incomes": {"2024": -1}}', "annual_incomes"),
        ("{" + BASE + ', "application_date": "2027-02-30"}', "application_date"),  # impossible date
        ("{" + BASE + ', "permit_expiry": "2026-13-01"}', "permit_expiry"),
        ("{" + BASE + ', "application_date": "1999-06-01"}', "application_date"),  # before the wage table
        ("{" + BASE + ', "monthly_income": Infinity}', "monthly_income"),  # not a finite number
        ("{" + BASE + ', "age": true}', "age"),  # a boolean is not a number
        ("{" + BASE + ', "favourite_colour": "red"}', "favourite_colour"),  # unknown field
        ('{"district": "bda"}', "business"),  # required field missing
    ],
)
def test_malformed_input_exits_2_with_one_line_naming_the_field(monkeypatch, capsys, text, field):
    code, out, err = run(monkeypatch, capsys, text, "--json")
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert field in err
