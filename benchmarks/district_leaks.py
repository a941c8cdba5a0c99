"""How many distinct fragments of other districts' rules reach an applicant (issue 11, part 4).

    .venv/bin/python benchmarks/district_leaks.py [--baseline 977701e] [--show 10]

Sweeps district × business × housing × category, and every other `when` key of the
materials (marital, children, employer_form, employer_sector, info_change, degree_abroad,
title), for the four districts with a guide. For each case it collects what the applicant
sees: the checks' messages, the advice, the materials' names and details, the result reply
(bot/dialog/presenter.py result_reply) and the checklist document (checklist.txt.j2). A
fragment (a clause between ；。\\n) that names another seeded district is a leak.

With --baseline REV it also extracts that commit (git archive) into a temporary folder and
runs the same sweep there, printing both counts side by side.
tests/rules/test_district_only.py asserts the count is zero, using the same sweep.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import get_args

# The seeded districts and the words that name them (ids included: a citation file name
# such as chaoyang-2021.txt names its district too).
DISTRICT_WORDS: dict[str, tuple[str, ...]] = {
    "bda": ("经开区", "开发区", "亦庄", "bda"),
    "chaoyang": ("朝阳", "chaoyang"),
    "dongcheng": ("东城", "dongcheng"),
    "tongzhou": ("通州", "tongzhou"),
}

# Where a district's own rule genuinely names another seeded district: (district, word,
# a substring of the fragment, why). Empty: no rule of the four needs one.
ALLOWED: list[tuple[str, str, str, str]] = [
    (
        d,
        "经开区",
        "“住经开区公租房”不在本区认可的住所证明之列",
        "echoes the housing the applicant chose (BDA's public rental) to say this district does not accept it",
    )
    for d in ("chaoyang", "dongcheng", "tongzhou")
]

APPLICATION_DATE = dt.date(2026, 3, 2)
CLAUSE = re.compile(r"[\n；。;]")
# What a render adds around a clause (a status icon, the mistakes' heading, a citation).
DECORATION = re.compile(r"^(?:[^\w（“《]+\s*)?(?:常见退回原因：)?|\s*〔[^〕]*〕$")

# A profile that passes most checks, so the sweep sees the messages of a complete case.
BASE = {
    "nationality": "cn",
    "hukou": "non_beijing",
    "gender": "female",
    "age": 30,
    "criminal_record": False,
    "social_insurance_continuous": True,
    "same_employer_for_tax": True,
    "employer_form": "enterprise",
    "employer_sector": "tech_innovation",
    "months_employed": 24,
    "degree": "master",
    "work_years": 5,
    "title": "intermediate",
    "monthly_income": 40000,
    "annual_incomes": {2023: 500000, 2024: 500000, 2025: 500000},
    "contract_months_left": 24,
    "employer_registered_months": 60,
    "employer_capital": 1000,
    "employer_annual_tax": 500,
    "employer_tax_3y": 1500,
    "employer_staff": 100,
    "employer_has_quota": True,
    "employer_strategic_startup": False,
    "employer_real_estate_dev": False,
    "permit_expiry": "2026-04-15",
    "children": 0,
    "marital": "married",
}


def _values(vocabulary, name: str) -> list:
    return list(get_args(getattr(vocabulary, name)))


def profiles(district: str) -> list[dict]:
    """The swept cases of one district: every business × housing × category, then every
    value of each other `when` key (with and without a housing and a category)."""
    from bot.knowledge import vocabulary as v

    businesses = _values(v, "BusinessId")
    housings = [None] + _values(v, "Housing")
    categories = [None] + _values(v, "CategoryId")
    others = {
        "marital": _values(v, "Marital"),
        "children": [0, 1, 2],
        "employer_form": _values(v, "EmployerForm"),
        "employer_sector": _values(v, "EmployerSector"),
        "info_change": _values(v, "InfoChange"),
        "degree_abroad": [False, True],
        "title": _values(v, "Title"),
    }
    cases = []
    for business in businesses:
        for housing in housings:
            for category in categories:
                cases.append(
                    {**BASE, "district": district, "business": business, "housing": housing, "category": category}
                )
        for key, values in others.items():
            for value in values:
                for housing, category in ((None, None), ("rented", "degree"), ("relatives", "title")):
                    cases.append(
                        {
                            **BASE,
                            "district": district,
                            "business": business,
                            "housing": housing,
                            "category": category,
                            key: value,
                        }
                    )
    return cases + _cases_of_each_material(district)


def _cases_of_each_material(district: str) -> list[dict]:
    """One case per material a district's business lists, answering its `when` with the first
    value it allows: every material of the district is seen at least once (e.g. a divorced
    parent's documents need marital and children together)."""
    from bot.knowledge import get_knowledge
    from bot.rules.materials import WHEN_FIELDS

    cases = []
    for business, b in get_knowledge().districts[district].businesses.items():
        for ref in b.materials:
            case = {**BASE, "district": district, "business": business, "housing": None, "category": None}
            for key, allowed in ref.when:
                if allowed is None:
                    continue
                if key == "children":
                    case["children"] = 1 if allowed else 0
                else:
                    case[WHEN_FIELDS[key]] = allowed if isinstance(allowed, bool) else allowed[0]
            cases.append(case)
    return cases


def seen_texts(knowledge, case: dict) -> list[str]:
    """Everything the applicant of ``case`` reads: checks, advice, materials, both renders."""
    from bot.dialog.messages import render
    from bot.dialog.presenter import result_reply
    from bot.rules import Profile, assess

    try:
        from bot.rules.materials import by_party
    except ImportError:  # a tree from before the checklist was grouped (the --baseline run)
        by_party = None

    profile = Profile.model_validate({k: v for k, v in case.items() if v is not None})
    a = assess(knowledge, profile, today=APPLICATION_DATE)
    texts = [c.message for c in a.checks] + [c.advice for c in a.checks if c.advice] + list(a.advice)
    texts += [m.name for m in a.materials] + [m.detail for m in a.materials]
    texts.append(result_reply(a).plain())
    if a.materials and by_party is not None:  # the chat's lines and the forwarded file, as the engine renders them
        context = dict(a=a, ctx=a.context, parties=by_party(a.materials), document="checklist.txt")
        texts += [render("checklist_chat.txt.j2", **context), render("checklist.txt.j2", **context)]
    elif a.materials:
        texts.append(render("checklist.txt.j2", a=a, ctx=a.context))
    return texts


def _allowed(district: str, word: str, fragment: str) -> bool:
    return any(d == district and w == word and part in fragment for d, w, part, _ in ALLOWED)


def leaks(knowledge, district: str, texts: list[str]) -> set[str]:
    """The clauses of ``texts`` that name a seeded district other than ``district``."""
    found = set()
    other_words = [w for d, words in DISTRICT_WORDS.items() if d != district for w in words]
    for text in texts:
        for fragment in CLAUSE.split(text):
            fragment = DECORATION.sub("", fragment.strip())
            for word in other_words:
                if word in fragment.lower() and not _allowed(district, word, fragment):
                    found.add(fragment)
    return found


def sweep() -> dict[str, set[str]]:
    """district -> the distinct leaking fragments its applicants see."""
    from bot.knowledge import get_knowledge

    knowledge = get_knowledge()
    result = {}
    for district in DISTRICT_WORDS:
        found: set[str] = set()
        for case in profiles(district):
            found |= leaks(knowledge, district, seen_texts(knowledge, case))
        result[district] = found
    return result


def _run_at(rev: str) -> dict[str, list[str]]:
    """Run this script's sweep on the tree of commit ``rev`` (its bot/, knowledge/, dialogs/)."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", rev, "bot", "knowledge", "dialogs"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        out = subprocess.run(
            [sys.executable, __file__, "--json"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
            env={"GJZ_TREE": tmp, "PATH": "/usr/bin:/bin"},
        ).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="also count at this commit (e.g. 977701e)")
    parser.add_argument("--show", type=int, default=0, help="print up to N fragments per district")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json:  # the baseline's subprocess
        print(json.dumps({d: sorted(f) for d, f in sweep().items()}, ensure_ascii=False))
        return 0
    runs = {}
    if args.baseline:
        runs[args.baseline] = _run_at(args.baseline)
    runs["working tree"] = {d: sorted(f) for d, f in sweep().items()}
    for label, result in runs.items():
        total = len({f for fragments in result.values() for f in fragments})
        per = ", ".join(f"{d} {len(f)}" for d, f in result.items())
        pairs = sum(len(f) for f in result.values())
        print(f"{label:>14}: {total} distinct other-district fragments, {pairs} (district, fragment) pairs ({per})")
        for d, fragments in result.items():
            for f in fragments[: args.show]:
                print(f"    [{d}] {f}")
    return 0


if __name__ == "__main__":
    # the tree whose bot/ is swept: this repository, or the baseline's extracted copy
    sys.path.insert(0, os.environ.get("GJZ_TREE") or str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
