"""gjz diff --against (issue 15 part 3): the review step before a knowledge change is published.

A wage figure changed in a scratch copy must be reported for exactly the profiles whose outcome
it changes (found here by assessing every profile under both folders, not by the diff's own
comparison), with old and new values, and exit 1; an identical copy exits 0.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import yaml

from bot.cli import main
from bot.knowledge import load_knowledge
from bot.review import extract_ref
from bot.rules import Profile, assess
from tests.conftest import KNOWLEDGE_DIR, REPO

TODAY = "2026-11-23"  # the golden cases' own "today" (tests/rules/test_golden.py)


def profiles() -> list[tuple[tuple[str, str], dict]]:
    """((file, case name), profile) for every golden case and README profile."""
    found = []
    for path in sorted((REPO / "tests" / "rules" / "golden").glob("*.yaml")):
        origin = str(path.relative_to(REPO))
        found += [
            ((origin, case["name"]), case["profile"]) for case in yaml.safe_load(path.read_text(encoding="utf-8"))
        ]
    # README.md's profiles are named by their place among its JSON blocks, as the report names them
    blocks = re.findall(r"```json\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.S)
    for i, block in enumerate(blocks, start=1):
        data = json.loads(block)
        if "district" in data:
            found.append((("README.md", f"example {i}"), data))
    return found


def outcome(knowledge, profile: dict) -> tuple:
    a = assess(knowledge, Profile.model_validate(profile), today=dt.date.fromisoformat(TODAY))
    return (
        a.verdict,
        sorted((c.id, c.status, c.message) for c in a.checks),
        sorted((d.id, d.date) for d in a.deadlines),
        sorted(m.id for m in a.materials),
    )


def raise_the_2024_wage(folder: Path) -> None:
    """The 2024 average wage 11937 becomes 12000 (in a copy), with the figures a table prints for
    it recomputed as the loader requires: 1.2x is then 14400 instead of 14324."""
    wages = folder / "wages.yaml"
    data = yaml.safe_load(wages.read_text(encoding="utf-8"))
    year = data["values"][2024]
    assert year["value"] == 11937, "the 2024 figure is where this test expects it"
    year["value"] = 12000
    for multiple, printed in (year.get("printed") or {}).items():
        printed["value"] = round(12000 * multiple)
    wages.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_diff(capsys, against: Path | str, *args) -> tuple[int, str, str]:
    code = main(["diff", "--against", str(against), "--today", TODAY, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_changed_wage_reports_exactly_the_profiles_it_changes(knowledge_copy, capsys):
    raise_the_2024_wage(knowledge_copy)
    old, new = load_knowledge(knowledge_copy), load_knowledge(KNOWLEDGE_DIR)
    cases = profiles()
    expected = {name for name, p in cases if outcome(old, p) != outcome(new, p)}
    assert expected, "raising a threshold changes some case"
    assert len(expected) < len(cases)

    code, out, _ = run_diff(capsys, knowledge_copy, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["profiles"] == len(cases)
    reported = {(c["origin"], c["name"]): {ch["what"]: ch for ch in c["changes"]} for c in report["changed"]}
    assert set(reported) == expected
    flips = 0
    for key, profile in cases:
        if key not in expected:
            continue
        before, after = outcome(old, profile), outcome(new, profile)
        if before[0] != after[0]:
            assert reported[key]["verdict"] == {"what": "verdict", "old": before[0], "new": after[0]}
            flips += 1
        else:
            assert "verdict" not in reported[key]
    # raising 1.2x from 14324 to 14400 makes an income of 14324..14399 fail on the old side
    assert flips and any(
        r.get("verdict", {}).get("old") == "ineligible" and r["verdict"]["new"] == "eligible" for r in reported.values()
    )
    incomes = [r["check income"] for r in reported.values() if "check income" in r]
    assert any("14,400" in c["old"] and "14,324" in c["new"] for c in incomes)

    code, text, _ = run_diff(capsys, knowledge_copy)
    assert code == 1
    assert "old: ineligible" in text and "new: eligible" in text
    assert text.rstrip().splitlines()[-1].startswith(f"{len(expected)} of {len(cases)} profiles change")


def test_an_identical_copy_changes_nothing(knowledge_copy, capsys):
    code, out, _ = run_diff(capsys, knowledge_copy)
    assert code == 0
    assert out.startswith(f"0 of {len(profiles())} profiles change")


def test_a_git_ref_is_extracted_and_an_unknown_one_refused(tmp_path, capsys):
    folder = extract_ref("HEAD", tmp_path)
    shown = subprocess.run(
        ["git", "-C", str(REPO), "show", "HEAD:knowledge/wages.yaml"], capture_output=True, text=True
    )
    assert (folder / "wages.yaml").read_text(encoding="utf-8") == shown.stdout
    code, _, err = run_diff(capsys, "no-such-ref-xyz")
    assert code == 2 and "no-such-ref-xyz" in err


def test_a_broken_other_side_exits_2_naming_it(knowledge_copy, capsys):
    shutil.rmtree(knowledge_copy / "districts")
    code, _, err = run_diff(capsys, knowledge_copy)
    assert code == 2 and "other knowledge" in err


def test_a_changed_renewal_rule_reports_the_deadlines(knowledge_copy, capsys):
    # BDA's renewal: submit 20 working days before expiry becomes 25 (in a copy)
    path = knowledge_copy / "districts" / "bda.yaml"
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r"(submit_working_days_before_expiry:\s*\n\s*value: )20\b", r"\g<1>25", text, count=1)
    assert changed != text
    path.write_text(changed, encoding="utf-8")
    code, out, _ = run_diff(capsys, knowledge_copy, "--json")
    changes = [ch for c in json.loads(out)["changed"] for ch in c["changes"]]
    assert code == 1
    submit = [ch for ch in changes if ch["what"] == "deadline submit_by"]
    assert submit and all(ch["old"] < ch["new"] for ch in submit)  # 25 days before is earlier: old side
