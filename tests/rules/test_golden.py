"""Golden profiles: tests/rules/golden/*.yaml, readable cases a policy person can write.

Each case names the guide section it checks, a profile, and what must come out: the
verdict, the status of named checks, what is missing, materials that must (not) be on the
checklist, and deadline dates. ``missing_order`` names missing fields in the order they must
be asked (a fallback question after the one that usually settles the case).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.rules import Profile, assess

GOLDEN_DIR = Path(__file__).parent / "golden"


def _cases():
    for path in sorted(GOLDEN_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            yield pytest.param(case, id=f"{path.stem}:{case['name']}")


CASES = list(_cases())


def test_there_are_enough_golden_cases():
    assert len(CASES) >= 60
    districts = {c.values[0]["profile"]["district"] for c in CASES}
    businesses = {c.values[0]["profile"]["business"] for c in CASES}
    assert {"bda", "chaoyang", "dongcheng", "tongzhou", "haidian"} <= districts
    assert {"new", "renewal", "employer_change", "info_change", "dependent_change", "unit_account"} <= businesses


@pytest.mark.parametrize("case", CASES)
def test_golden(case, knowledge):
    assert case.get("rule"), "every golden case names the guide section it checks"
    profile = Profile.model_validate(case["profile"])
    result = assess(knowledge, profile, today=dt.date(2026, 11, 23))
    expect = case["expect"]
    explain = "\n".join(f"  {c.status:8} {c.id}: {c.message}" for c in result.checks)
    assert result.verdict == expect["verdict"], f"verdict {result.verdict}\n{explain}\nmissing={result.missing}"
    statuses = {c.id: c.status for c in result.checks}
    for check_id, status in (expect.get("checks") or {}).items():
        assert statuses.get(check_id) == status, f"{check_id}: {statuses.get(check_id)}\n{explain}"
    if "missing" in expect:
        assert result.missing[: len(expect["missing"])] == expect["missing"], result.missing
    for field in expect.get("missing_includes", []):
        assert field in result.missing, result.missing
    for field in expect.get("missing_excludes", []):
        assert field not in result.missing, result.missing
    order = expect.get("missing_order", [])
    assert all(f in result.missing for f in order), result.missing
    assert order == sorted(order, key=result.missing.index), f"{order} out of order in {result.missing}"
    ids = [m.id for m in result.materials]
    assert len(ids) == len(set(ids)), "no duplicate materials"
    for mid in expect.get("materials_include", []):
        assert mid in ids, f"{mid} not in {ids}"
    for mid in expect.get("materials_exclude", []):
        assert mid not in ids, f"{mid} unexpectedly in {ids}"
    if "materials_order" in expect:
        positions = [ids.index(m) for m in expect["materials_order"]]
        assert positions == sorted(positions), ids
    deadlines = {d.id: d.date.isoformat() for d in result.deadlines}
    for did, date in (expect.get("deadlines") or {}).items():
        assert deadlines.get(did) == str(date), deadlines
    for text in expect.get("advice_contains", []):
        assert any(text in a for a in result.advice), result.advice
    for text in expect.get("advice_excludes", []):
        assert not any(text in a for a in result.advice), result.advice
